/**
 * Garbage collection on demand, without asking the user for --expose-gc,
 * and a wait until freed ArrayBuffer memory is really back in the allocator
 * (V8 frees backing stores on a background thread after the GC).
 * @packageDocumentation
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as delay } from 'node:timers/promises';
import { sample } from './sample';

let gcFunction: (() => void) | undefined;

/** Returns a function that runs a full, synchronous garbage collection. */
export function getGc(): () => void {
  if (gcFunction === undefined) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') {
      gcFunction = existing;
    } else {
      // The flag only affects contexts created after it is set.
      setFlagsFromString('--expose-gc');
      gcFunction = runInNewContext('gc') as () => void;
    }
  }
  return gcFunction;
}

function nativeInUse(): number {
  const s = sample();
  return s.heap !== null ? s.heap.inUse : s.v8.external;
}

/**
 * Collects garbage until native memory stops falling: runs a full GC, gives
 * the ArrayBuffer sweeper time to return backing stores, and repeats until
 * two readings in a row agree within `toleranceBytes` (or `timeoutMs` ends).
 */
export async function collectAndSettle(options: { timeoutMs?: number; toleranceBytes?: number } = {}): Promise<void> {
  const { timeoutMs = 2000, toleranceBytes = 64 * 1024 } = options;
  const gc = getGc();
  const deadline = performance.now() + timeoutMs;
  let previous = Number.POSITIVE_INFINITY;
  let stableRounds = 0;
  while (performance.now() < deadline) {
    gc();
    await delay(5);
    const current = nativeInUse();
    stableRounds = Math.abs(previous - current) <= toleranceBytes ? stableRounds + 1 : 0;
    if (stableRounds >= 2) return;
    previous = current;
  }
}
