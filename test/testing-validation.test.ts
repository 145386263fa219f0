import { describe, expect, it } from 'vitest';
import { expectNoLeak, measure, type LeakOptions } from 'mallinfo/testing';

type Case = [label: string, options: unknown, type: typeof TypeError | typeof RangeError, names: string];

const shared: Case[] = [
  ['options a number', 5, TypeError, 'options'],
  ['options null', null, TypeError, 'options'],
  ['options an array', [], TypeError, 'options'],
  ['an unknown option', { iteration: 5 }, TypeError, 'options.iteration'],
  ['iterations 0', { iterations: 0 }, RangeError, 'options.iterations'],
  ['iterations fractional', { iterations: 1.5 }, RangeError, 'options.iterations'],
  ['iterations NaN', { iterations: NaN }, RangeError, 'options.iterations'],
  ['iterations a string', { iterations: '10' }, TypeError, 'options.iterations'],
  ['iterations above 2^32', { iterations: 2 ** 32 + 1 }, RangeError, 'options.iterations'],
  ['warmup negative', { warmup: -1 }, RangeError, 'options.warmup'],
  ['warmup Infinity', { warmup: Infinity }, RangeError, 'options.warmup'],
  ['trim a string', { trim: 'yes' }, TypeError, 'options.trim'],
  ['timeoutMs 0', { timeoutMs: 0 }, RangeError, 'options.timeoutMs'],
  ['timeoutMs above the timer limit', { timeoutMs: 2 ** 31 }, RangeError, 'options.timeoutMs'],
  ['timeoutMs a bigint', { timeoutMs: 10n }, TypeError, 'options.timeoutMs'],
  ['ioWaitMs negative', { ioWaitMs: -1 }, RangeError, 'options.ioWaitMs'],
  ['ioWaitMs fractional', { ioWaitMs: 2.5 }, RangeError, 'options.ioWaitMs'],
  ['ioWaitMs above a minute', { ioWaitMs: 60_001 }, RangeError, 'options.ioWaitMs'],
  ['ioWaitMs a string', { ioWaitMs: '250' }, TypeError, 'options.ioWaitMs'],
];

const leakOnly: Case[] = [
  ['retries negative', { retries: -1 }, RangeError, 'options.retries'],
  ['retries above 10', { retries: 11 }, RangeError, 'options.retries'],
  ['retries fractional', { retries: 0.5 }, RangeError, 'options.retries'],
  ['tolerance negative', { tolerance: -1 }, RangeError, 'options.tolerance'],
  ['tolerance NaN', { tolerance: NaN }, RangeError, 'options.tolerance'],
  ['tolerance a string', { tolerance: '64' }, TypeError, 'options.tolerance'],
  ['tolerance null', { tolerance: null }, TypeError, 'options.tolerance'],
  ['tolerance an array', { tolerance: [64, 64] }, TypeError, 'options.tolerance'],
  ['tolerance.native negative', { tolerance: { native: -5 } }, RangeError, 'options.tolerance.native'],
  ['tolerance.v8 a string', { tolerance: { v8: '1' } }, TypeError, 'options.tolerance.v8'],
  ['tolerance with an unknown key', { tolerance: { rss: 1 } }, TypeError, 'options.tolerance.rss'],
  ['maxWarmup negative', { maxWarmup: -1 }, RangeError, 'options.maxWarmup'],
  ['maxWarmup fractional', { maxWarmup: 10.5 }, RangeError, 'options.maxWarmup'],
  ['maxWarmup Infinity', { maxWarmup: Infinity }, RangeError, 'options.maxWarmup'],
  ['maxWarmup null', { maxWarmup: null }, TypeError, 'options.maxWarmup'],
];

async function errorOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('mallinfo/testing rejects bad input before calling the function once', () => {
  let calls = 0;
  const fn = (): void => {
    calls++;
  };

  it.each([...shared, ...leakOnly])('expectNoLeak: %s', async (_label, options, type, name) => {
    const error = await errorOf(() => expectNoLeak(fn, options as LeakOptions));
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(name);
    expect(calls).toBe(0);
  });

  it.each(shared)('measure: %s', async (_label, options, type, name) => {
    const error = await errorOf(() => measure(fn, options as LeakOptions));
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(name);
    expect(calls).toBe(0);
  });

  it('measure rejects the options only expectNoLeak has', async () => {
    await expect(measure(fn, { retries: 1 } as never)).rejects.toThrow('options.retries must be one of the known options');
    await expect(measure(fn, { tolerance: 1 } as never)).rejects.toThrow(TypeError);
    await expect(measure(fn, { maxWarmup: 1 } as never)).rejects.toThrow('options.maxWarmup must be one of the known options');
  });

  it('rejects a missing or non-function fn, naming it', async () => {
    await expect(expectNoLeak(undefined as never)).rejects.toThrow('fn must be a function, got undefined');
    await expect(measure('fn' as never)).rejects.toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });

  it('says what was expected and what was given', async () => {
    await expect(expectNoLeak(fn, { tolerance: -1 })).rejects.toThrow(
      'options.tolerance must be a number >= 0 (Infinity to skip the check), got -1',
    );
    await expect(expectNoLeak(fn, { retries: 11 })).rejects.toThrow('options.retries must be an integer from 0 to 10, got 11');
    await expect(expectNoLeak(fn, { timeoutMs: 0 })).rejects.toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    await expect(expectNoLeak(fn, { maxWarmup: -1 })).rejects.toThrow('options.maxWarmup must be an integer from 0 to 4294967296, got -1');
    await expect(measure(fn, { ioWaitMs: 60_001 })).rejects.toThrow('options.ioWaitMs must be an integer from 0 to 60000, got 60001');
    expect(calls).toBe(0);
  });
});
