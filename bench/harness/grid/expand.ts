// Grid file → the list of configurations to run (and, optionally, the jobs: "jobs": ["floor", "pre", "post"]).
// Validates everything before anything runs: unknown keys, bad values, empty axes and empty grids are one-line
// UsageErrors (exit 2).
import { readFile } from 'node:fs/promises';
import { InputError, UsageError } from '../../lib/errors.ts';
import { type JobName, parseJobs } from '../run/jobs.ts';
import { applyKeys, emptyDraft, engineOf, freeze, setterFor, type RunConfig } from './schema.ts';

export interface GridPoint {
  /** Stable short id, e.g. c01; the index in the expanded list, 1-based. */
  readonly id: string;
  /** What differs from the base, e.g. "executorMemory=1g spark.sql.shuffle.partitions=8"; names engine=comet always. */
  readonly label: string;
  /** The grid keys that made this point, as written in the grid file (for records and reports). */
  readonly values: Readonly<Record<string, unknown>>;
  readonly config: RunConfig;
  /** The jobs this configuration runs, when its "configs" entry names them ("jobs": ["floor", "post"]); else all. */
  readonly jobs?: readonly JobName[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function labelOf(values: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(values).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return parts.length === 0 ? 'base' : parts.join(' ');
}

/** Validates and expands parsed grid JSON. `source` names the file in messages. */
export function expandGrid(grid: unknown, source = 'grid'): GridPoint[] {
  if (!isPlainObject(grid)) throw new UsageError(`${source}: expected a JSON object with "axes" or "configs"`);
  for (const key of Object.keys(grid)) {
    if (!['base', 'axes', 'configs', 'jobs'].includes(key))
      throw new UsageError(`${source}: unknown top-level key "${key}"; expected base, axes, configs or jobs`);
  }
  if ('axes' in grid && 'configs' in grid) throw new UsageError(`${source}: give either "axes" or "configs", not both`);
  const base = grid.base ?? {};
  if (!isPlainObject(base)) throw new UsageError(`${source}.base: expected an object of grid keys`);
  applyKeys(emptyDraft(), base, `${source}.base`); // validate the base once, up front

  let points: Record<string, unknown>[];
  if ('configs' in grid) {
    const configs = grid.configs;
    if (!Array.isArray(configs) || configs.length === 0) throw new UsageError(`${source}.configs: expected a non-empty array of objects`);
    points = configs.map((c, i) => {
      if (!isPlainObject(c)) throw new UsageError(`${source}.configs[${i}]: expected an object of grid keys`);
      return c;
    });
  } else {
    const axes = grid.axes ?? {};
    if (!isPlainObject(axes)) throw new UsageError(`${source}.axes: expected an object of key → array of values`);
    points = [{}];
    for (const [key, values] of Object.entries(axes)) {
      const where = `${source}.axes.${key}`;
      setterFor(key, where);
      if (!Array.isArray(values) || values.length === 0) throw new UsageError(`${where}: expected a non-empty array of values`);
      const next: Record<string, unknown>[] = [];
      for (const point of points) for (const value of values) next.push({ ...point, [key]: value });
      points = next;
    }
    if (Object.keys(axes).length === 0 && Object.keys(base).length === 0) throw new UsageError(`${source}: empty grid: no base, axes or configs`);
  }
  if (points.length > 500) throw new UsageError(`${source}: ${points.length} configurations; split the grid (at most 500)`);

  // A configs entry may name the jobs it runs (a post-only flag needs no second pre run): kept apart from its keys.
  const jobsOf = points.map((point, i) => {
    if (!('jobs' in point)) return undefined;
    const where = `${source}.configs[${i}].jobs`;
    if (!Array.isArray(point.jobs)) throw new UsageError(`${where}: expected an array such as ["floor", "post"]; got ${JSON.stringify(point.jobs)}`);
    return parseJobs(point.jobs, where);
  });
  points = points.map(({ jobs: _jobs, ...rest }) => rest);

  const width = Math.max(2, String(points.length).length);
  return points.map((values, i) => {
    const draft = emptyDraft();
    applyKeys(draft, base, `${source}.base`);
    applyKeys(draft, values, 'configs' in grid ? `${source}.configs[${i}]` : `${source}.axes`);
    const config = freeze(draft);
    // A grid whose base picks Comet still says so in every label: compare and report show labels, not configs.
    const label =
      engineOf(config) === 'comet' && !('engine' in values) ? `engine=comet${Object.keys(values).length > 0 ? ` ${labelOf(values)}` : ''}` : labelOf(values);
    const jobs = jobsOf[i];
    return { id: `c${String(i + 1).padStart(width, '0')}`, label, values, config, ...(jobs !== undefined && { jobs }) };
  });
}

/** Whether a configuration runs a job: every job of the run, unless its configs entry named its own. */
export function runsJob(point: Pick<GridPoint, 'jobs'>, job: JobName): boolean {
  return point.jobs === undefined || point.jobs.includes(job);
}

/** The grid's own "jobs" list (which jobs run under every configuration), if it names one. */
export function gridJobs(grid: unknown, source = 'grid'): JobName[] | undefined {
  if (!isPlainObject(grid) || !('jobs' in grid)) return undefined;
  const jobs = grid.jobs;
  if (!Array.isArray(jobs)) throw new UsageError(`${source}.jobs: expected an array such as ["floor", "pre", "post"]; got ${JSON.stringify(jobs)}`);
  return parseJobs(jobs, `${source}.jobs`);
}

export interface GridFile {
  readonly points: GridPoint[];
  /** Undefined when the grid names no jobs. */
  readonly jobs: JobName[] | undefined;
  /** The parsed JSON as written (recorded in run.json). */
  readonly grid: unknown;
}

/** Reads, parses and expands a grid file. Missing file → InputError; bad JSON or content → UsageError. */
export async function loadGridFile(path: string): Promise<GridFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`--configs: cannot read ${path}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return { points: expandGrid(parsed, path), jobs: gridJobs(parsed, path), grid: parsed };
}

export async function loadGrid(path: string): Promise<GridPoint[]> {
  return (await loadGridFile(path)).points;
}
