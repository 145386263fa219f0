import { defineConfig } from 'vitest/config';
import { PACKED_SUITES, SCENARIO_SUITES, SLOW_SUITES } from './test/slow-suites.mts';
import SummaryReporter from './test/summary-reporter.mts';

// `npm run test:slow`: the suites that start real programs (see
// test/slow-suites.mts). The scenarios run real memory-heavy workloads in
// child processes: after every other file, so that they do not skew the
// others' timings.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
    projects: [
      { extends: true, test: { name: 'slow', include: SLOW_SUITES } },
      // The packed tarball is made once (npm pack with both prebuilds) for the
      // suites that install it.
      { extends: true, test: { name: 'packed', include: PACKED_SUITES, globalSetup: ['test/packed-package.setup.ts'] } },
      { extends: true, test: { name: 'scenarios', include: SCENARIO_SUITES, sequence: { groupOrder: 1 } } },
    ],
  },
});
