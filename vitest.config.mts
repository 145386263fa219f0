import { configDefaults, defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The reliability suite runs on its own: npm run test:stress.
    exclude: [...configDefaults.exclude, 'test/stress/**'],
    // Each test file in its own process: memory measurements must not see
    // another file's garbage, and native state is per process.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
  },
});
