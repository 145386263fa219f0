import { describe, expect, it } from 'vitest';
import { diagnose, processMemory, sample, Sampler, trim, trimSync } from 'mallinfo';
import { openFdCount } from './helpers';
import { binding } from '../lib/core/native.js';

type Case = [label: string, call: () => unknown, type: typeof TypeError | typeof RangeError, names: string];

const cases: Case[] = [
  ['Sampler options not an object', () => new Sampler(5 as never), TypeError, 'options'],
  ['Sampler options null', () => new Sampler(null as never), TypeError, 'options'],
  ['Sampler options an array', () => new Sampler([] as never), TypeError, 'options'],
  ['Sampler unknown option', () => new Sampler({ interval: 5 } as never), TypeError, 'options.interval'],
  ['intervalMs NaN', () => new Sampler({ intervalMs: NaN }), RangeError, 'options.intervalMs'],
  ['intervalMs negative', () => new Sampler({ intervalMs: -1 }), RangeError, 'options.intervalMs'],
  ['intervalMs 0', () => new Sampler({ intervalMs: 0 }), RangeError, 'options.intervalMs'],
  ['intervalMs Infinity', () => new Sampler({ intervalMs: Infinity }), RangeError, 'options.intervalMs'],
  ['intervalMs fractional', () => new Sampler({ intervalMs: 1.5 }), RangeError, 'options.intervalMs'],
  ['intervalMs above the timer limit', () => new Sampler({ intervalMs: 2 ** 31 }), RangeError, 'options.intervalMs'],
  ['intervalMs a string', () => new Sampler({ intervalMs: '1000' as never }), TypeError, 'options.intervalMs'],
  ['intervalMs a bigint', () => new Sampler({ intervalMs: 1000n as never }), TypeError, 'options.intervalMs'],
  ['unref a string', () => new Sampler({ unref: 'yes' as never }), TypeError, 'options.unref'],
  ['unref a number', () => new Sampler({ unref: 1 as never }), TypeError, 'options.unref'],
  ['history negative', () => new Sampler({ history: -1 }), RangeError, 'options.history'],
  ['history fractional', () => new Sampler({ history: 2.5 }), RangeError, 'options.history'],
  ['history NaN', () => new Sampler({ history: NaN }), RangeError, 'options.history'],
  ['history a string', () => new Sampler({ history: '10' as never }), TypeError, 'options.history'],
  ['signal not an AbortSignal', () => new Sampler({ signal: {} as never }), TypeError, 'options.signal'],
  ['signal an AbortController', () => new Sampler({ signal: new AbortController() as never }), TypeError, 'options.signal'],
  ['maxCostShare 0', () => new Sampler({ maxCostShare: 0 }), RangeError, 'options.maxCostShare'],
  ['maxCostShare 1', () => new Sampler({ maxCostShare: 1 }), RangeError, 'options.maxCostShare'],
  ['maxCostShare NaN', () => new Sampler({ maxCostShare: NaN }), RangeError, 'options.maxCostShare'],
  ['maxCostShare a string', () => new Sampler({ maxCostShare: '1%' as never }), TypeError, 'options.maxCostShare'],
  ['trimSync options a string', () => trimSync('0' as never), TypeError, 'options'],
  ['trimSync unknown option', () => trimSync({ size: 0 } as never), TypeError, 'options.size'],
  ['trimSync pad negative', () => trimSync({ pad: -1 }), RangeError, 'options.pad'],
  ['trimSync pad NaN', () => trimSync({ pad: NaN }), RangeError, 'options.pad'],
  ['trimSync pad fractional', () => trimSync({ pad: 0.5 }), RangeError, 'options.pad'],
  ['trimSync pad a string', () => trimSync({ pad: '0' as never }), TypeError, 'options.pad'],
  ['processMemory options a number', () => processMemory(1 as never), TypeError, 'options'],
  ['processMemory unknown option', () => processMemory({ smaps: true } as never), TypeError, 'options.smaps'],
  ['processMemory smapsRollup a string', () => processMemory({ smapsRollup: 'yes' as never }), TypeError, 'options.smapsRollup'],
  ['diagnose samples not an array', () => diagnose('samples' as never), TypeError, 'samples'],
  ['diagnose a sample that is not one', () => diagnose([sample(), { time: 'x' }] as never), TypeError, 'samples[1]'],
  ['diagnose unknown option', () => diagnose([], { minSample: 3 } as never), TypeError, 'options.minSample'],
  ['diagnose minSamples too small', () => diagnose([], { minSamples: 1 }), RangeError, 'options.minSamples'],
  ['diagnose significance 2', () => diagnose([], { significance: 2 }), RangeError, 'options.significance'],
  ['diagnose fragmentationMinShare a string', () => diagnose([], { fragmentationMinShare: '25%' as never }), TypeError, 'options.fragmentationMinShare'],
  ['Sampler diagnose option not an object', () => new Sampler({ diagnose: 5 as never }), TypeError, 'options.diagnose'],
  ['Sampler diagnose maxPoints 0', () => new Sampler({ diagnose: { maxPoints: 0 } }), RangeError, 'options.diagnose.maxPoints'],
  ['autoTrim not an object', () => new Sampler({ autoTrim: true as never }), TypeError, 'options.autoTrim'],
  ['autoTrim unknown option', () => new Sampler({ autoTrim: { minFree: 1 } as never }), TypeError, 'options.autoTrim.minFree'],
  ['autoTrim minFreeBytes 0', () => new Sampler({ autoTrim: { minFreeBytes: 0 } }), RangeError, 'options.autoTrim.minFreeBytes'],
  ['autoTrim minIntervalMs negative', () => new Sampler({ autoTrim: { minIntervalMs: -1 } }), RangeError, 'options.autoTrim.minIntervalMs'],
  ['native trim without a number', () => binding.trim('0' as never), TypeError, 'pad'],
  ['native trim with a negative pad', () => binding.trim(-1), RangeError, 'pad'],
];

describe('bad input gets a clear TypeError/RangeError naming the parameter', () => {
  it.each(cases)('%s', (_label, call, type, name) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(name);
  });

  it.each([
    ['trim options a string', () => trim('0' as never), TypeError, 'options'],
    ['trim pad negative', () => trim({ pad: -1 }), RangeError, 'options.pad'],
    ['trim unknown option', () => trim({ wait: true } as never), TypeError, 'options.wait'],
  ] as const)('async %s rejects (never throws synchronously)', async (_label, call, type, name) => {
    let promise: Promise<unknown> | undefined;
    expect(() => (promise = call())).not.toThrow();
    await expect(promise).rejects.toThrow(type);
    await expect(call()).rejects.toThrow(name);
  });

  it('the invalid calls leave no timer, handle or descriptor behind', async () => {
    const fds = openFdCount();
    const resources = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;
    for (const [, call] of cases) {
      try {
        call();
      } catch {
        // expected
      }
    }
    await trim({ pad: -1 }).catch(() => undefined);
    expect(openFdCount()).toBe(fds);
    expect(process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length).toBe(resources);
  });

  it('messages say what was expected and what was given', () => {
    expect(() => new Sampler({ intervalMs: -5 })).toThrow('options.intervalMs must be an integer from 1 to 2147483647, got -5');
    expect(() => new Sampler({ unref: 'yes' as never })).toThrow('options.unref must be a boolean, got "yes"');
    expect(() => new Sampler({ intervalMs: '1s' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    expect(() => new Sampler({ intervalMs: 0 })).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
  });

  it('two copies of the JS layer share the addon instance without disturbing each other', async () => {
    // The TypeScript sources and the compiled lib/ both load the same addon.
    const fromSource = await import('../src/core/sample');
    const { sample } = await import('mallinfo');
    const a = fromSource.sample();
    const b = sample();
    expect(a.time).toBeGreaterThan(0);
    expect(b.time).toBeGreaterThanOrEqual(a.time);
    expect(a.heap!.inUse).toBeGreaterThan(0);
    expect(b.heap!.inUse).toBeGreaterThan(0);
  });
});
