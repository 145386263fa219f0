import { configDefaults, defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter.mts';

export default defineConfig({
  test: {
    // Each test file in its own process: memory measurements must not see
    // another file's garbage, and native state is per process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
    // The scenarios run real memory-heavy workloads in child processes: after
    // every other file, so that they do not skew the timing tests.
    // The reliability suite (test/stress) runs on its own: npm run test:stress.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/scenarios.test.ts', 'test/stress/**'] } },
      { extends: true, test: { name: 'scenarios', include: ['test/scenarios.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
