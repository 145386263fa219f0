/**
 * `mallinfo/testing`: assert in a test that code does not leak, in the C
 * heap (Buffers, addons, zlib, OpenSSL) as well as in V8's heap. Works with
 * any test runner: `expectNoLeak` rejects with a `LeakError`.
 * @packageDocumentation
 */
import { allocator } from './core/allocator';
import { UnsupportedError } from './core/errors';
import { checkForLeak } from './testing/leak-check';
import { functionArgument, leakOptions, measureOptions, type LeakOptions, type MeasureOptions } from './testing/leak-options';
import { Run } from './testing/leak-runner';
import type { LeakCheck, Measurement } from './testing/leak-types';
import { assertCanTrim } from './trim/trim';

export { LeakError, MeasurementTimeoutError } from './testing/leak-error';
export { LEAK_DEFAULTS } from './testing/leak-options';
export type { LeakOptions, LeakTolerance, MeasureOptions } from './testing/leak-options';
export type { SettleWaits } from './testing/leak-io';
export type { LeakKind } from './testing/leak-report';
export type { GrowthRates, JudgedRates, LeakAttempt, LeakCheck, LeakSeries, Measurement, WarmupReport } from './testing/leak-types';

function orNull(after: number | undefined, before: number | undefined): number | null {
  return after === undefined || before === undefined ? null : after - before;
}

/**
 * Runs `fn` (sync or async; awaited when it returns a promise) `iterations`
 * times after `warmup` unmeasured calls, and reports how memory changed:
 * each reading is taken once the handles the calls opened have closed (up
 * to `ioWaitMs`), garbage collection has settled, finalizers have run and
 * freed Buffers are back in the allocator; `waits` says what was waited
 * for. No `--expose-gc` needed.
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
  const run = new Run(call, opts.timeoutMs, opts.trim, opts.ioWaitMs);
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
    waits: run.waits,
  };
}

/**
 * Checks that `fn` (sync or async) does not leak: calls it `warmup` times,
 * then `iterations` times in 10 rounds with a settled reading after each
 * (handles the calls opened closed, garbage collected, finalizers run), and
 * fits the growth per iteration of the C heap in use and of V8's heap
 * (Theil–Sen slopes, which one-off jumps barely move) over the attempt and
 * over each half of it. A leak grows at the same rate to the end; warm-up
 * (caches, compiled code, connection pools) slows down and levels off. So:
 *
 * - growth within `tolerance` over the attempt or over its last half passes;
 * - growth that fades (the last half at under half the rate of the first)
 *   is warm-up: the attempt is made again, up to `maxWarmup` calls in all;
 * - steady growth is checked again with twice the iterations, up to
 *   `retries` times, and must grow by more in total each time (a leak
 *   doubles with the calls; noise and one-off costs do not).
 *
 * Rejects with a {@link LeakError} (whose message shows the growth per
 * round) if the same heap grew steadily in every judged attempt. The result
 * says how long the warm-up was and what the readings waited for.
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
  const run = new Run(call, opts.timeoutMs, opts.trim, opts.ioWaitMs);
  await run.warmUp(opts.warmup);
  return checkForLeak(run, opts, started);
}
