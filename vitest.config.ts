import { defineConfig } from 'vitest/config';

// Tests drive real Spark, DuckDB, S3 and Chromium processes: generous timeouts, and files run
// one at a time (pool forks, no file parallelism) so that two Spark JVMs never fight over 2 cores.
export default defineConfig({
  test: {
    include: ['generator/**/*.test.ts', 'bench/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default'],
  },
});
