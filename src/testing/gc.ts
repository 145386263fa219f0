/**
 * A wait until freed ArrayBuffer memory is really back in the allocator,
 * for leak checks (the collections themselves: core/gc).
 * @packageDocumentation
 */
import { collectGarbage } from '../core/gc';
import { sample } from '../core/sample';
import type { MemorySample } from '../core/types';

export { collectGarbage, getGc } from '../core/gc';

/** Bytes the program holds from malloc, or V8's external memory where the allocator gives no statistics. */
export function nativeInUse(s: MemorySample): number {
  return s.heap !== null ? s.heap.inUse : s.v8.external;
}

/** Options of {@link collectAndSettle}. */
export interface SettleOptions {
  /** Give up waiting for two agreeing readings after this many milliseconds. Default 2000. */
  timeoutMs?: number;
  /** Two readings of native in-use bytes this close count as settled. Default 65536. */
  toleranceBytes?: number;
  /** What collects garbage. Default {@link collectGarbage}; a no-op runs the rest of this code path, to warm it up. */
  collect?: () => void;
  /** Counts what was done, added to: collections (calls of `collect`, each two GCs by default) and event-loop turns given to finalizers. */
  tally?: { collections: number; finalizerTurns: number };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Collects garbage until native memory stops falling and returns the sample
 * taken then: collects (two GCs), lets the event loop run the finalizers
 * and weak callbacks the GC scheduled (they can free native memory, e.g.
 * an addon's handles or a FinalizationRegistry's cleanups), collects again,
 * and repeats until two readings agree within `toleranceBytes` (or
 * `timeoutMs` ends).
 */
export async function collectAndSettle(options: SettleOptions = {}): Promise<MemorySample> {
  const { timeoutMs = 2000, toleranceBytes = 64 * 1024, collect = collectGarbage, tally } = options;
  const deadline = performance.now() + timeoutMs;
  collect();
  if (tally) tally.collections += 2;
  let previous = sample();
  while (true) {
    await nextTurn();
    collect();
    if (tally) {
      tally.finalizerTurns++;
      tally.collections += 2;
    }
    const current = sample();
    if (Math.abs(nativeInUse(current) - nativeInUse(previous)) <= toleranceBytes) return current;
    if (performance.now() >= deadline) return current;
    previous = current;
  }
}
