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
      // The flag is per process: another thread setting it back between
      // our two calls (worker threads answering collections start together)
      // leaves the new context without gc(), so try again a few times.
      for (let attempt = 1; gcFunction === undefined; attempt++) {
        setFlagsFromString('--expose-gc');
        try {
          gcFunction = runInNewContext('typeof gc === "function" ? gc : undefined') as (() => void) | undefined;
        } finally {
          // Set back at once: left on, every vm context and worker thread the
          // program made later would find a global gc() it never asked for
          // (mallinfo run collects in every watched process).
          setFlagsFromString('--no-expose-gc');
        }
        if (gcFunction === undefined && attempt >= 10) throw new Error('could not get V8\'s gc(): another thread kept turning --expose-gc off');
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
