/**
 * The Sampler's own full collections (`collectEveryMs`): a sample read
 * right after two full GCs holds live memory only — no dead objects in
 * V8's heap, no Buffers waiting for V8's sweeper to hand their memory back
 * to malloc. Such readings settle in seconds what the garbage of a busy
 * process otherwise hides for minutes: whether memory still rises.
 * @packageDocumentation
 */
import { performance } from 'node:perf_hooks';
import { collectGarbage } from '../core/gc';
import type { MemorySample } from '../core/types';
import type { Collection } from '../diagnose/collections';

/** Runs two full collections at most once per `everyMs`. */
export class ForcedCollections {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly everyMs: number) {}

  /** Forgets the last collection: the next tick collects. */
  reset(): void {
    this.lastAt = Number.NEGATIVE_INFINITY;
  }

  /** Collects when `everyMs` has passed since the last time; returns how long that took in ms, or null when not due. */
  runIfDue(): number | null {
    const started = performance.now();
    // Ticks land a little early or late: a tick due at the period counts.
    if (started - this.lastAt < this.everyMs * 0.9) return null;
    this.lastAt = started;
    collectGarbage();
    return performance.now() - started;
  }
}

/** The collection record of a sample taken right after a forced collection that took `durationMs`. */
export function forcedCollection(s: MemorySample, durationMs: number): Collection {
  return { time: s.time, kind: 'major', durationMs, v8Used: s.v8.used, inUse: s.heap?.inUse ?? null, forced: true };
}
