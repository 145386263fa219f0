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

/**
 * Runs two full collections at most once per `everyMs`, and no more often
 * than keeps their pauses within `maxPauseShare` of wall time: after a
 * collection that paused the program p ms, the next waits at least
 * p / maxPauseShare ms. A pause grows with the heap (15–30 ms per 10 MB),
 * so a large heap is collected less often instead of paused for most of
 * the run.
 */
export class ForcedCollections {
  private lastAt = Number.NEGATIVE_INFINITY;
  private lastPauseMs = 0;

  constructor(
    private readonly everyMs: number,
    private readonly maxPauseShare: number,
    private readonly collect: () => void = collectGarbage,
  ) {}

  /** Forgets the last collection: the next tick collects. */
  reset(): void {
    this.lastAt = Number.NEGATIVE_INFINITY;
    this.lastPauseMs = 0;
  }

  /** The least time from one collection's start to the next, ms: `everyMs`, or longer after a long pause. */
  get gapMs(): number {
    return Math.max(this.everyMs, this.lastPauseMs / this.maxPauseShare);
  }

  /**
   * Collects when the gap has passed since the last time and returns the
   * collection, with V8's used heap and malloc's in-use read right after
   * it; null when not due.
   */
  runIfDue(): Collection | null {
    const started = performance.now();
    // Ticks land a little early or late: a tick due at the gap counts.
    if (started - this.lastAt < this.gapMs * 0.9) return null;
    this.lastAt = started;
    this.collect();
    const ended = performance.now();
    this.lastPauseMs = ended - started;
    // V8's heap first: the heap sample's own objects would count in it otherwise.
    const v8 = getHeapStatistics();
    const inUse = sampleHeap().heap?.inUse ?? null;
    return { time: performance.timeOrigin + ended, kind: 'major', durationMs: this.lastPauseMs, v8Used: v8.used_heap_size, inUse, v8External: v8.external_memory, forced: true };
  }
}
