import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter.mts';

// `npm run test:stress`: the reliability suite (minutes, not seconds).
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 600_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
  },
});
