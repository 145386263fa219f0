/// <reference types="vitest" preserve="true" />
// (Kept in the .d.mts, where tsc drops the value import of vitest: without
// vitest's types loaded first, the augmentation below is not applied.)
/**
 * `mallinfo/vitest`: importing it (in a setup file or a test file) adds the
 * async matcher `expect(fn).not.toLeakMemory(options?)` to vitest's
 * `expect`, with its types. An ES module, because vitest is one.
 * @packageDocumentation
 */
import { expect } from 'vitest';
import { invalidType } from './core/errors.js';
import { formatRate } from './testing/leak-report.js';
import { expectNoLeak, LeakError, type LeakOptions } from './testing.js';

export type { LeakOptions } from './testing.js';

expect.extend({
  async toLeakMemory(received: unknown, options?: LeakOptions) {
    if (typeof received !== 'function') throw invalidType('expect(fn).toLeakMemory(): fn', 'a function', received);
    try {
      const check = await expectNoLeak(received as () => unknown, options);
      const rates = check.bytesPerIteration;
      const native = rates.native === null ? 'n/a' : formatRate(rates.native);
      return {
        pass: false,
        message: () =>
          `expected the function to leak memory, but in the last attempt (${check.attempts[check.attempts.length - 1].iterations} iterations) ` +
          `the native heap grew by ${native} and the V8 heap by ${formatRate(rates.v8)} bytes per iteration: ` +
          'within tolerance, or slowing down as the calls add up',
      };
    } catch (error) {
      if (error instanceof LeakError) return { pass: true, message: () => error.message };
      throw error;
    }
  },
});

declare module 'vitest' {
  // `T = any` repeats vitest's own declaration, which a merged interface must.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Assertion<T = any> {
    /**
     * Calls the function many times and checks whether memory grows per
     * call: use it as `await expect(fn).not.toLeakMemory(options?)`. Fails
     * with the `LeakError` message of `expectNoLeak` (from
     * `mallinfo/testing`), whose options it takes. Must be awaited.
     */
    toLeakMemory(options?: LeakOptions): Promise<void>;
  }
}
