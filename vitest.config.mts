import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file in its own process: memory measurements must not see
    // another file's garbage, and native state is per process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
  },
});
