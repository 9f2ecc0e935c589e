// Settings this repository's jobs choose themselves, each only when the key was not passed (--conf,
// spark-defaults.conf, a bench grid): passing one switches the job's own choice off. Seen: a grid-wide
// spark.sql.shuffle.partitions=8 made post 4.55× the floor at 2 GB, against 3.38× with its own count
// (results/2026-12-02-jobs-2gb vs results/2026-12-02-jobs-2gb-025840, docs/benchmarks.md).
// advise leaves them out for that job; analyze says when a run passed them. advise.test.ts checks the list against
// spark-jobs/insights/jobs/post.py (SESSION_SETTINGS, event_partitions). Its two plan settings (the dedupe as one sort
// aggregate) are not here: advise never emits either key for any job, so nothing it passes can replace them.

/** post_optimization.py: its AQE settings, and its event partition count (one partition per 64 MiB of input, or less when a task's memory / 25 is less, rounded up to whole waves of task slots). */
export const POST_OWN_SETTINGS: Readonly<Record<string, string>> = {
  'spark.sql.adaptive.enabled': 'true',
  'spark.sql.adaptive.skewJoin.enabled': 'true',
  'spark.sql.adaptive.skewJoin.skewedPartitionFactor': '3',
  'spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes': '64MB',
  'spark.sql.adaptive.advisoryPartitionSizeInBytes': '64MB',
  'spark.sql.adaptive.coalescePartitions.enabled': 'true',
  'spark.sql.adaptive.coalescePartitions.parallelismFirst': 'false',
  'spark.sql.shuffle.partitions': 'slots x ceil(input / min(64 MiB, task memory / 25) / slots)',
};

/** The job's own settings for an application, by its name (the jobs' appName); {} for any other application. */
export function ownSettingsOf(appName: string): Readonly<Record<string, string>> {
  return appName === 'post_optimization' ? POST_OWN_SETTINGS : {};
}
