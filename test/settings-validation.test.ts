// mallocSettings() validates its arguments like the Sampler does: a coded
// TypeError/RangeError naming the parameter (issue 12 #10).
import { describe, expect, it } from 'vitest';
import { mallocSettings } from 'mallinfo';

function errorOf(run: () => unknown): { name: string; code: string; message: string } | undefined {
  try {
    run();
  } catch (error) {
    const e = error as Error & { code: string };
    return { name: e.name, code: e.code, message: e.message };
  }
  return undefined;
}

describe('mallocSettings(environ, cpuCount, wordBytes): bad arguments', () => {
  it.each([
    ['environ "x"', () => mallocSettings('x' as never, 2, 8), 'TypeError', 'ERR_INVALID_ARG_TYPE', /^environ must be an array of strings/],
    ['environ undefined', () => mallocSettings(undefined as never, 2, 8), 'TypeError', 'ERR_INVALID_ARG_TYPE', /^environ must be an array of strings/],
    ['environ [null]', () => mallocSettings([null] as never, 2, 8), 'TypeError', 'ERR_INVALID_ARG_TYPE', /^environ\[0\] must be a string \(NAME=value\), got null/],
    ['environ [1]', () => mallocSettings(['A=1', 1] as never, 2, 8), 'TypeError', 'ERR_INVALID_ARG_TYPE', /^environ\[1\] must be a string/],
    ['cpuCount 2.5', () => mallocSettings([], 2.5, 8), 'RangeError', 'ERR_OUT_OF_RANGE', /^cpuCount must be an integer >= 0/],
    ['cpuCount -1', () => mallocSettings([], -1, 8), 'RangeError', 'ERR_OUT_OF_RANGE', /^cpuCount must be an integer >= 0/],
    ['cpuCount NaN', () => mallocSettings([], Number.NaN, 8), 'RangeError', 'ERR_OUT_OF_RANGE', /^cpuCount must be an integer >= 0/],
    ['cpuCount "4"', () => mallocSettings([], '4' as never, 8), 'TypeError', 'ERR_INVALID_ARG_TYPE', /^cpuCount must be a number/],
    ['wordBytes 16', () => mallocSettings([], 2, 16 as never), 'RangeError', 'ERR_OUT_OF_RANGE', /^wordBytes must be 4 or 8/],
    ['wordBytes "8"', () => mallocSettings([], 2, '8' as never), 'RangeError', 'ERR_OUT_OF_RANGE', /^wordBytes must be 4 or 8/],
  ])('%s: a coded error naming the parameter', (_, call, name, code, message) => {
    const error = errorOf(call);
    expect(error).toMatchObject({ name, code });
    expect(error?.message).toMatch(message);
  });

  it('still takes what it documents: 0 CPUs means unknown (glibc assumes 2)', () => {
    expect(mallocSettings([], 0, 8).arenaMax.value).toBe(16);
    expect(mallocSettings(['MALLOC_ARENA_MAX=3'], 4, 4).arenaMax).toEqual({ value: 3, source: 'env', setBy: 'MALLOC_ARENA_MAX' });
  });
});
