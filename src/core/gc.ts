/**
 * Full garbage collections on demand, without asking the user for
 * --expose-gc: for leak checks, and for a Sampler's `collectEveryMs`.
 *
 * V8 frees the backing stores of dead ArrayBuffers (every Buffer has one)
 * on a background sweeper thread after the GC that found them dead, and the
 * next GC starts by waiting for that sweeper. One GC alone returns before
 * the memory is freed; two in a row return after it.
 * @packageDocumentation
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFunction: (() => void) | undefined;

/** Returns a function that runs a full, synchronous garbage collection. */
export function getGc(): () => void {
  if (gcFunction === undefined) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') {
      gcFunction = existing;
    } else {
      // The flag only affects contexts created after it is set; it is per
      // process, and each isolate (worker thread) gets its own function.
      setFlagsFromString('--expose-gc');
      try {
        gcFunction = runInNewContext('gc') as () => void;
      } finally {
        // Set back at once: left on, every vm context and worker thread the
        // program made later would find a global gc() it never asked for
        // (mallinfo run collects in every watched process).
        setFlagsFromString('--no-expose-gc');
      }
    }
  }
  return gcFunction;
}

/**
 * Runs two full GCs. When it returns, the native memory of every
 * ArrayBuffer that was unreachable at the first one is back in malloc (the
 * second GC waits for the first one's ArrayBuffer sweeper).
 */
export function collectGarbage(): void {
  const gc = getGc();
  gc();
  gc();
}
