/**
 * The loop of `expectNoLeak()`: attempts of growing length, warm-up attempts
 * made again while growth fades, a verdict once growth is steady.
 * @packageDocumentation
 */
import { LeakError } from './leak-error';
import { judge, leakKind, readAttempt } from './leak-judge';
import type { ResolvedLeakOptions } from './leak-options';
import type { Run } from './leak-runner';
import type { LeakAttempt, LeakCheck } from './leak-types';

/**
 * Runs the attempts of a check on `run` (already warmed up with
 * `options.warmup` calls). Resolves when memory is steady; rejects with a
 * `LeakError` when a heap grew steadily in `retries + 1` judged attempts.
 */
export async function checkForLeak(run: Run, opts: ResolvedLeakOptions, started: number): Promise<LeakCheck> {
  const attempts: LeakAttempt[] = [];
  const suspects = { native: true, v8: true };
  let iterations = opts.iterations;
  let extended = 0;
  let leveledOff = true;
  let previousJudged: LeakAttempt | undefined;
  let judged = 0;
  const warmup = (): LeakCheck['warmup'] => ({ calls: opts.warmup + extended, extended, leveledOff });
  const passed = (): LeakCheck => ({
    attempts,
    iterations: attempts.reduce((sum, a) => sum + a.iterations, 0),
    durationMs: performance.now() - started,
    bytesPerIteration: attempts[attempts.length - 1].bytesPerIteration,
    warmup: warmup(),
    waits: run.waits,
  });
  while (true) {
    const attempt = await run.attempt(iterations);
    attempts.push(attempt);
    const verdict = readAttempt(suspects, attempt, opts.tolerance);
    if (verdict === 'steady') return passed();
    if (verdict === 'fading') {
      if (extended + iterations <= opts.maxWarmup) {
        attempt.role = 'warmup';
        extended += iterations;
        continue;
      }
      leveledOff = false;
    }
    if (!judge(suspects, attempt, previousJudged)) return passed();
    previousJudged = attempt;
    if (++judged > opts.retries) throw new LeakError(leakKind(suspects), attempts, opts.tolerance, warmup(), run.waits);
    iterations *= 2;
  }
}
