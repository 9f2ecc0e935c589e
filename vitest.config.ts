import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Two tiers (README "Tests"). fast: no Spark, no MinIO, no Chromium — pure functions, DuckDB in-process, recorded event
// logs; files run in parallel (npm run test:fast, on every change). integration: every file that starts a Spark JVM,
// the MinIO server or Chromium; one file at a time (pool forks, no file parallelism): one Spark application of this
// tier at a time (npm test runs this tier beside pytest's Spark tier: scripts/test.sh). A test file belongs to
// integration when it is listed here; everything else is fast.
const INTEGRATION = [
  // real spark-submit / pyspark
  'bench/harness.test.ts',
  'bench/cluster.test.ts',
  'bench/insights/insights.real.test.ts',
  'generator/gen.test.ts',
  'generator/parquet/writer.test.ts',
  // MinIO
  'generator/gen-s3.test.ts',
  'generator/sinks/s3.test.ts',
  'test/**/*.test.ts',
  // Chromium
  'bench/harness/report/ui.test.ts',
  'bench/insights/insights.browser.test.ts',
];
const ALL = ['generator/**/*.test.ts', 'bench/**/*.test.ts', 'test/**/*.test.ts'];
// Every Spark JVM the integration tier starts (spark-submit, pyspark, the cluster's executors) reads the suite's
// spark-defaults.conf: C1 only and the serial collector for short JVMs (test/spark-conf/spark-defaults.conf). The
// standalone cluster's master and workers (scripts/spark-cluster.sh, a minute per test file) take the same options.
const SPARK_CONF_DIR = fileURLToPath(new URL('test/spark-conf', import.meta.url));
const SPARK_DAEMON_JAVA_OPTS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ReservedCodeCacheSize=256m';

export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ['default'],
    projects: [
      { test: { name: 'fast', include: ALL, exclude: INTEGRATION, pool: 'threads', fileParallelism: true, testTimeout: 60_000 } },
      {
        test: {
          name: 'integration',
          include: INTEGRATION,
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 900_000,
          env: { SPARK_CONF_DIR, SPARK_DAEMON_JAVA_OPTS },
        },
      },
    ],
  },
});
