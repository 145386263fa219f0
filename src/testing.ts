/**
 * `mallinfo/testing`: assert in a test that code does not leak, in the C
 * heap (Buffers, addons, zlib, OpenSSL) as well as in V8's heap. Works with
 * any test runner: `expectNoLeak` rejects with a `LeakError`.
 * @packageDocumentation
 */
import { allocator } from './allocator';
import { UnsupportedError } from './errors';
import { LeakError } from './leak-error';
import { functionArgument, leakOptions, measureOptions, type LeakOptions, type MeasureOptions } from './leak-options';
import { judge, leakKind } from './leak-judge';
import { Run } from './leak-runner';
import type { LeakAttempt, LeakCheck, Measurement } from './leak-types';
import { assertCanTrim } from './trim';

export { LeakError, MeasurementTimeoutError } from './leak-error';
export { LEAK_DEFAULTS } from './leak-options';
export type { LeakOptions, LeakTolerance, MeasureOptions } from './leak-options';
export type { LeakKind } from './leak-report';
export type { GrowthRates, LeakAttempt, LeakCheck, LeakSeries, Measurement } from './leak-types';

function orNull(after: number | undefined, before: number | undefined): number | null {
  return after === undefined || before === undefined ? null : after - before;
}

/**
 * Runs `fn` (sync or async; awaited when it returns a promise) `iterations`
 * times after `warmup` unmeasured calls, and reports how memory changed:
 * each reading is taken once garbage collection has settled and freed
 * Buffers are back in the allocator. No `--expose-gc` needed.
 *
 * @example
 * ```ts
 * const { change } = await measure(() => cache.fill(), { warmup: 1 });
 * console.log(change.nativeInUse, change.v8Used, change.resident);
 * ```
 */
export async function measure(fn: () => unknown, options?: MeasureOptions): Promise<Measurement> {
  const call = functionArgument(fn);
  const opts = measureOptions(options);
  if (opts.trim) assertCanTrim();
  const run = new Run(call, opts.timeoutMs, opts.trim);
  await run.warmUp(opts.warmup);
  const before = await run.reading();
  const started = performance.now();
  await run.call(opts.iterations);
  const durationMs = performance.now() - started;
  const after = await run.reading();
  return {
    iterations: opts.iterations,
    durationMs,
    change: {
      nativeInUse: orNull(after.heap?.inUse, before.heap?.inUse),
      resident: orNull(after.process?.resident, before.process?.resident),
      v8Used: after.v8.used - before.v8.used,
      v8External: after.v8.external - before.v8.external,
    },
    before,
    after,
  };
}

/**
 * Checks that `fn` (sync or async) does not leak: calls it `warmup` times,
 * then `iterations` times in 10 rounds with a settled reading after each,
 * and fits the growth per iteration of the C heap in use and of V8's heap
 * (a Theil–Sen slope, which one-off jumps barely move). Growth above
 * `tolerance` is checked again with twice the iterations, up to `retries`
 * times: a leak grows at the same rate every time (so by twice as much in
 * all), noise and one-off costs do not. Rejects with a {@link LeakError} if
 * the same heap grew faster than its tolerance in every attempt, and by more
 * in total than in the attempt before.
 *
 * @throws TypeError/RangeError for invalid arguments; UnsupportedError when
 *   the allocator gives no statistics (pass `tolerance: { native: Infinity }`
 *   to check V8 only) or `trim` is asked where it is unavailable;
 *   MeasurementTimeoutError after `timeoutMs`.
 * @example
 * ```ts
 * await expectNoLeak(() => parser.parse(input));
 * await expectNoLeak(async () => { await client.get('/') }, { iterations: 200, tolerance: { native: 256 } });
 * ```
 */
export async function expectNoLeak(fn: () => unknown, options?: LeakOptions): Promise<LeakCheck> {
  const call = functionArgument(fn);
  const opts = leakOptions(options);
  const { tolerance } = opts;
  if (tolerance.native !== Number.POSITIVE_INFINITY && !allocator().heapStats) {
    throw new UnsupportedError(
      `expectNoLeak cannot check native memory: the ${allocator().kind} allocator gives no statistics; ` +
        'pass tolerance: { native: Infinity } to check the V8 heap only',
    );
  }
  if (opts.trim) assertCanTrim();
  const started = performance.now();
  const run = new Run(call, opts.timeoutMs, opts.trim);
  await run.warmUp(opts.warmup);
  const attempts: LeakAttempt[] = [];
  const suspects = { native: true, v8: true };
  for (let k = 0; k <= opts.retries; k++) {
    attempts.push(await run.attempt(opts.iterations * 2 ** k));
    if (!judge(suspects, attempts, tolerance)) {
      return {
        attempts,
        iterations: attempts.reduce((sum, a) => sum + a.iterations, 0),
        durationMs: performance.now() - started,
        bytesPerIteration: attempts[attempts.length - 1].bytesPerIteration,
      };
    }
  }
  const kind = leakKind(suspects);
  throw new LeakError(kind, attempts, tolerance);
}
