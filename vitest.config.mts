import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { PACKED_SUITES, SCENARIO_SUITES, SLOW_SUITES } from './test/slow-suites.mts';
import SummaryReporter from './test/summary-reporter.mts';

// `npm test`: the fast inner loop. The slow real-process suites run with
// `npm run test:slow` (vitest.slow.config.mts); the reliability suite
// (test/stress) with `npm run test:stress`. CI runs all three.
export default defineConfig({
  test: {
    // Each test file in its own process: memory measurements must not see
    // another file's garbage, and native state is per process.
    pool: 'forks',
    // vitest's default is one worker fewer than the CPUs: a single worker on a
    // 2-core machine, although most files wait on child processes and timers.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/stress/**', ...SLOW_SUITES, ...PACKED_SUITES, ...SCENARIO_SUITES],
  },
});
