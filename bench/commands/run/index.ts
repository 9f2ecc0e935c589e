import type { BenchCommand } from '../types.ts';
import { UsageError } from '../../lib/errors.ts';
import { JOB_NAMES, parseJobs } from '../../harness/run/jobs.ts';
import type { RunOptions } from './handler.ts';

const command: BenchCommand<RunOptions> = {
  command: 'run',
  describe: 'run the jobs (floor, pre, post) under every configuration of a grid, record metrics and output checksums',
  options: {
    configs: { type: 'string', demandOption: true, describe: 'grid file: {"base", "axes"} or {"configs": [...]}' },
    data: {
      type: 'string',
      default: 'data',
      describe:
        'dataset written by `gen` (interactions/, metadata/, _manifest.json): a folder, or s3a://bucket/prefix (s3:// is read as s3a://, ' +
        'the hadoop-aws filesystem; jars from scripts/hadoop-aws.sh, keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the default chain)',
    },
    endpoint: { type: 'string', describe: 'S3-compatible endpoint for --data s3a://… such as http://127.0.0.1:9000 (default AWS_ENDPOINT_URL, else AWS S3)' },
    jobs: {
      type: 'string',
      describe: `which jobs to run, comma-separated: ${JOB_NAMES.join(', ')} (floor: the hardware floor, spark-jobs/floor_job.py); default: the grid's "jobs", else pre,post`,
      coerce: (value: string) =>
        parseJobs(
          String(value)
            .split(',')
            .map((j) => j.trim())
            .filter((j) => j !== ''),
          '--jobs',
        ),
    },
    repeat: {
      type: 'number',
      default: 1,
      describe: 'runs per job × configuration (medians need 3+)',
      coerce: (value: number) => {
        if (!Number.isInteger(value) || value < 1 || value > 100) throw new UsageError(`--repeat: expected a whole number 1–100; got ${value}`);
        return value;
      },
    },
    master: { type: 'string', describe: 'Spark master: local[N] (default, from executors × cores) or spark://HOST:PORT' },
    out: { type: 'string', describe: 'run folder (default results/<UTC timestamp>)' },
    'jobs-dir': { type: 'string', default: 'spark-jobs', describe: 'folder holding pre_optimization.py, post_optimization.py and floor_job.py' },
    'spark-submit': { type: 'string', describe: 'spark-submit to use (default .venv/bin/spark-submit)' },
    'keep-outputs': { type: 'boolean', default: false, describe: "keep each run's output tables under <run>/outputs (default: deleted once checksummed)" },
    'run-timeout': {
      type: 'number',
      default: 0,
      describe: 'seconds after which one run is killed and recorded as failed; 0: no limit',
      coerce: (value: number) => {
        if (!Number.isFinite(value) || value < 0) throw new UsageError(`--run-timeout: expected seconds ≥ 0; got ${value}`);
        return value;
      },
    },
    'allow-failures': { type: 'boolean', default: false, describe: 'exit 0 even when some runs failed (they are still recorded)' },
  },
  load: () => import('./handler.ts'),
};

export default command;
