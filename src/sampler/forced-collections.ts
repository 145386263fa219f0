/**
 * The Sampler's own full collections (`collectEveryMs`): a reading taken
 * right after two full GCs holds live memory only — no dead objects in
 * V8's heap, no Buffers waiting for V8's sweeper to hand their memory back
 * to malloc. Such readings settle in seconds what the garbage of a busy
 * process otherwise hides for minutes: whether memory still rises.
 *
 * The collection runs right after a sample, not before it: the samples stay
 * what the program holds between collections (its garbage and working set
 * included, which tells headroom from fragmentation), and the reading
 * after the collection is a separate record.
 * @packageDocumentation
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { collectGarbage } from '../core/gc';
import { sampleHeap } from '../core/sample';
import type { Collection } from '../diagnose/collections';
import type { WorkerCollections } from './worker-collections';

/**
 * Runs two full collections at most once per `everyMs`, and no more often
 * than keeps their pauses within `maxPauseShare` of wall time: after a
 * collection that paused the program p ms, the next waits at least
 * p / maxPauseShare ms. A pause grows with the heap (15–30 ms per 10 MB),
 * so a large heap is collected less often instead of paused for most of
 * the run. With worker threads that answer (worker-collections.ts), they
 * collect first and the main thread's collection and reading follow.
 */
export class ForcedCollections {
  private lastAt = Number.NEGATIVE_INFINITY;
  private lastPauseMs = 0;
  /** Bumped by reset(): a reading still waiting for worker threads is dropped. */
  private generation = 0;
  private waiting = false;

  constructor(
    private readonly everyMs: number,
    private readonly maxPauseShare: number,
    private readonly collect: () => void = collectGarbage,
    private readonly workers: WorkerCollections | null = null,
  ) {}

  /** Forgets the last collection (the next tick collects) and drops a reading still waiting for worker threads. */
  reset(): void {
    this.lastAt = Number.NEGATIVE_INFINITY;
    this.lastPauseMs = 0;
    this.generation++;
    this.waiting = false;
  }

  /** The least time from one collection's start to the next, ms: `everyMs`, or longer after a long pause. */
  get gapMs(): number {
    return Math.max(this.everyMs, this.lastPauseMs / this.maxPauseShare);
  }

  /**
   * Collects when the gap has passed since the last time, and hands
   * `record` the collection, with V8's used heap and malloc's in-use read
   * right after it: at once, or, where worker threads answer, once they
   * have collected too. Returns whether a collection started.
   */
  runIfDue(record: (collection: Collection) => void): boolean {
    const started = performance.now();
    // Ticks land a little early or late: a tick due at the gap counts.
    if (this.waiting || started - this.lastAt < this.gapMs * 0.9) return false;
    this.lastAt = started;
    if (this.workers === null || this.workers.count === 0) {
      record(this.collectAndRead());
      return true;
    }
    this.waiting = true;
    const generation = this.generation;
    void this.workers.request().then((workers) => {
      if (generation !== this.generation) return;
      this.waiting = false;
      // Out of the promise chain: a throwing 'collection' listener reaches uncaughtException, as from a tick.
      process.nextTick(record, { ...this.collectAndRead(), workers });
    });
    return true;
  }

  private collectAndRead(): Collection {
    const started = performance.now();
    this.collect();
    const ended = performance.now();
    this.lastPauseMs = ended - started;
    // V8's heap first: the heap sample's own objects would count in it otherwise.
    const v8 = getHeapStatistics();
    const inUse = sampleHeap().heap?.inUse ?? null;
    return { time: performance.timeOrigin + ended, kind: 'major', durationMs: this.lastPauseMs, v8Used: v8.used_heap_size, inUse, v8External: v8.external_memory, forced: true };
  }
}
