import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and packaging tests start real processes; two cores do not like many at once.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
