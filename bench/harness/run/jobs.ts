// The jobs a grid can run, their scripts and the order they are listed in. `floor` is the hardware floor (read every
// event once, one shuffle by (user_id, day), aggregate, write: spark-jobs/floor_job.py): compare and the report show
// every job's median as a multiple of the floor measured in the same grid run, so a claim of "optimized" has a ratio.
import { UsageError } from '../../lib/errors.ts';

export const JOB_NAMES = ['floor', 'pre', 'post'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** The jobs `bench run` runs when neither the grid nor --jobs names any (what runs before the floor job existed). */
export const DEFAULT_JOBS: readonly JobName[] = ['pre', 'post'];

/** The script spark-submit runs for a job, inside --jobs-dir. */
export function jobScript(job: JobName): string {
  return job === 'floor' ? 'floor_job.py' : `${job}_optimization.py`;
}

/** Sort key: floor, pre, post. */
export function jobRank(job: JobName): number {
  return JOB_NAMES.indexOf(job);
}

/** A list of job names (from --jobs or a grid's "jobs"), checked, duplicates dropped, order kept. */
export function parseJobs(values: readonly unknown[], where: string): JobName[] {
  const bad = values.filter((j) => typeof j !== 'string' || !(JOB_NAMES as readonly string[]).includes(j));
  if (values.length === 0 || bad.length > 0) {
    throw new UsageError(`${where}: expected one or more of ${JOB_NAMES.join(', ')}; got ${JSON.stringify(values)}`);
  }
  return [...new Set(values as JobName[])];
}
