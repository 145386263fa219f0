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

/** Runs two full collections at most once per `everyMs`. */
export class ForcedCollections {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly everyMs: number) {}

  /** Forgets the last collection: the next tick collects. */
  reset(): void {
    this.lastAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * Collects when `everyMs` has passed since the last time and returns the
   * collection, with V8's used heap and malloc's in-use read right after
   * it; null when not due.
   */
  runIfDue(): Collection | null {
    const started = performance.now();
    // Ticks land a little early or late: a tick due at the period counts.
    if (started - this.lastAt < this.everyMs * 0.9) return null;
    this.lastAt = started;
    collectGarbage();
    const ended = performance.now();
    const inUse = sampleHeap().heap?.inUse ?? null;
    return { time: performance.timeOrigin + ended, kind: 'major', durationMs: ended - started, v8Used: getHeapStatistics().used_heap_size, inUse, forced: true };
  }
}
