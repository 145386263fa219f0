// For `npx vitest run --root examples/testing` (from the package root).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*.vitest.test.mjs'],
    // Leak checks read memory: one file per process, checks one after the other.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
