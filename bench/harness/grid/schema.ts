// The one definition of a grid file. Every key a grid may name is a row in GRID_KEYS with the parser that checks its
// value; validation and expansion are derived from this table, so a new knob is one row here.
import { UsageError } from '../../lib/errors.ts';

export const SKEW_MODES = ['broadcast', 'salt', 'none'] as const; // spark-jobs/post_optimization.py --skew-mode choices
export type SkewMode = (typeof SKEW_MODES)[number];

/**
 * Which engine runs the jobs' SQL: Spark's own, or Apache DataFusion Comet's native operators inside the same Spark
 * (the plugin, its shuffle manager and off-heap memory: bench/harness/run/engine.ts; the jar: scripts/comet.sh).
 */
export const ENGINES = ['spark', 'comet'] as const;
export type Engine = (typeof ENGINES)[number];

/** The post job's skew flags (spark-jobs/post_optimization.py). */
export interface PostJobOptions {
  readonly skewMode?: SkewMode;
  readonly hotKeyFraction?: number;
  readonly saltBuckets?: number;
  readonly approx?: boolean;
  /** --silver: the folder where post keeps its session pieces per date (an absolute path: runs start elsewhere). */
  readonly silver?: string;
  /** --recompute-since: with silver, recompute this date and later ones (a daily run's new day). */
  readonly recomputeSince?: string;
}

/** One fully resolved configuration: what a run is launched with. */
export interface RunConfig {
  /** Set only when the grid names it (absent: Spark, and in records from before engines existed); read engineOf(). */
  readonly engine?: Engine;
  readonly executors?: number;
  readonly executorCores?: number;
  readonly executorMemory?: string;
  readonly driverMemory?: string;
  readonly postJob: PostJobOptions;
  /** Every spark.* key, AQE/advisory/broadcast already translated to Spark's own names. Values as Spark reads them. */
  readonly sparkConf: Readonly<Record<string, string>>;
}

type Setter = (draft: Draft, value: unknown, where: string) => void;
interface Draft {
  engine?: Engine;
  executors?: number;
  executorCores?: number;
  executorMemory?: string;
  driverMemory?: string;
  postJob: PostJobOptions;
  sparkConf: Record<string, string>;
}

const SIZE = /^[1-9][0-9]*\s*(b|k|kb|m|mb|g|gb|t|tb)?$/i;
const MEMORY = /^[1-9][0-9]*(k|m|g|t)$/i;

function positiveInt(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new UsageError(`${where}: expected a whole number ≥ 1, got ${JSON.stringify(value)}`);
  }
  return value;
}
function memory(value: unknown, where: string): string {
  if (typeof value !== 'string' || !MEMORY.test(value)) {
    throw new UsageError(`${where}: expected a JVM memory size such as "512m" or "2g", got ${JSON.stringify(value)}`);
  }
  return value.toLowerCase();
}
function size(value: unknown, where: string, allowDisabled: boolean): string {
  if (allowDisabled && value === -1) return '-1';
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && SIZE.test(value)) return value.replace(/\s+/g, '').toLowerCase();
  throw new UsageError(`${where}: expected a byte size such as "64m" or 67108864${allowDisabled ? ' (or -1 to disable)' : ''}, got ${JSON.stringify(value)}`);
}
function bool(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new UsageError(`${where}: expected true or false, got ${JSON.stringify(value)}`);
  return value;
}
// An empty string is a value too: `--conf spark.sql.optimizer.excludedRules=` clears a job's own list (the A/B of
// bench/grids/dedupe-sort-ab.json passes it to run post's previous plan).
function sparkValue(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw new UsageError(`${where}: expected a string, number or boolean, got ${JSON.stringify(value)}`);
}

function postJob(value: unknown, where: string): PostJobOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: expected an object such as {"skewMode": "broadcast"}, got ${JSON.stringify(value)}`);
  }
  const out: { -readonly [K in keyof PostJobOptions]: PostJobOptions[K] } = {};
  for (const [key, v] of Object.entries(value)) {
    const at = `${where}.${key}`;
    switch (key) {
      case 'skewMode':
        if (typeof v !== 'string' || !(SKEW_MODES as readonly string[]).includes(v)) {
          throw new UsageError(`${at}: expected one of ${SKEW_MODES.join(', ')}, got ${JSON.stringify(v)}`);
        }
        out.skewMode = v as SkewMode;
        break;
      case 'hotKeyFraction':
        if (typeof v !== 'number' || !(v > 0 && v < 1)) throw new UsageError(`${at}: expected a number between 0 and 1, got ${JSON.stringify(v)}`);
        out.hotKeyFraction = v;
        break;
      case 'saltBuckets':
        out.saltBuckets = positiveInt(v, at);
        break;
      case 'approx':
        out.approx = bool(v, at);
        break;
      case 'silver':
        if (typeof v !== 'string' || !(v.startsWith('/') || /^[a-z][a-z0-9+.-]*:\/\//i.test(v))) {
          throw new UsageError(`${at}: expected an absolute path or a URL such as s3a://bucket/silver, got ${JSON.stringify(v)}`);
        }
        out.silver = v;
        break;
      case 'recomputeSince':
        if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new UsageError(`${at}: expected a date YYYY-MM-DD, got ${JSON.stringify(v)}`);
        out.recomputeSince = v;
        break;
      default:
        throw new UsageError(`${at}: unknown key; expected skewMode, hotKeyFraction, saltBuckets, approx, silver or recomputeSince`);
    }
  }
  if (out.recomputeSince !== undefined && out.silver === undefined) throw new UsageError(`${where}.recomputeSince: needs silver`);
  return out;
}

type DraftField = 'engine' | 'executors' | 'executorCores' | 'executorMemory' | 'driverMemory' | 'postJob';
type Parser<T> = (value: unknown, where: string) => T;

/** A key that sets one field of the RunConfig, through the parser that checks it. */
function field<K extends DraftField>(describe: string, key: K, parse: Parser<NonNullable<Draft[K]>>): GridKey {
  return {
    describe,
    set: (d, v, w) => {
      d[key] = parse(v, w);
    },
  };
}
/** A key that is another name for one Spark setting (its value as Spark reads it). */
function conf(describe: string, sparkKey: string, parse: Parser<string>): GridKey {
  return {
    describe,
    set: (d, v, w) => {
      d.sparkConf[sparkKey] = parse(v, w);
    },
  };
}
function engineName(value: unknown, where: string): Engine {
  if (typeof value !== 'string' || !(ENGINES as readonly string[]).includes(value)) {
    throw new UsageError(`${where}: expected one of ${ENGINES.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as Engine;
}

interface GridKey {
  readonly describe: string;
  readonly set: Setter;
}

/** Every key a grid's base, axes or configs may name, and how it lands in a RunConfig. */
export const GRID_KEYS: Readonly<Record<string, GridKey>> = {
  engine: field(`the SQL engine: ${ENGINES.join(' or ')} (default spark; comet needs bash scripts/comet.sh fetch)`, 'engine', engineName),
  executors: field(
    'executors; local mode: local[executors × executorCores]; standalone: spark.cores.max = executors × executorCores',
    'executors',
    positiveInt,
  ),
  executorCores: field('cores per executor (spark.executor.cores)', 'executorCores', positiveInt),
  executorMemory: field('executor heap (--executor-memory); local mode: the one JVM heap (--driver-memory)', 'executorMemory', memory),
  driverMemory: field('driver heap (--driver-memory)', 'driverMemory', memory),
  aqe: conf('spark.sql.adaptive.enabled', 'spark.sql.adaptive.enabled', (v, w) => String(bool(v, w))),
  advisoryPartitionSize: conf('spark.sql.adaptive.advisoryPartitionSizeInBytes', 'spark.sql.adaptive.advisoryPartitionSizeInBytes', (v, w) =>
    size(v, w, false),
  ),
  broadcastThreshold: conf('spark.sql.autoBroadcastJoinThreshold (-1 disables broadcast joins)', 'spark.sql.autoBroadcastJoinThreshold', (v, w) =>
    size(v, w, true),
  ),
  postJob: field('the post job flags: skewMode, hotKeyFraction, saltBuckets, approx, silver, recomputeSince', 'postJob', postJob),
  'spark.sql.shuffle.partitions': conf('shuffle partitions', 'spark.sql.shuffle.partitions', (v, w) => String(positiveInt(v, w))),
};

/** Keys the harness sets itself: a grid naming them would silently lose, so reject it. */
const RESERVED_SPARK_KEYS = ['spark.eventLog.enabled', 'spark.eventLog.dir', 'spark.master', 'spark.submit.deployMode'];

function setterFor(key: string, where: string): Setter {
  const known = GRID_KEYS[key];
  if (known !== undefined) return known.set;
  if (RESERVED_SPARK_KEYS.includes(key)) throw new UsageError(`${where}: ${key} is set by bench itself; remove it`);
  if (/^spark\.[A-Za-z0-9_.-]+[A-Za-z0-9_]$/.test(key)) {
    return conf(key, key, sparkValue).set;
  }
  throw new UsageError(`${where}: unknown key "${key}"; expected one of ${Object.keys(GRID_KEYS).join(', ')} or any spark.* key`);
}

/** Applies one plain object of grid keys (a base, a config, or one axis point) onto a draft. */
export function applyKeys(draft: Draft, values: Readonly<Record<string, unknown>>, where: string): void {
  for (const [key, value] of Object.entries(values)) setterFor(key, `${where}.${key}`)(draft, value, `${where}.${key}`);
}

export function emptyDraft(): Draft {
  return { postJob: {}, sparkConf: {} };
}

export function freeze(draft: Draft): RunConfig {
  const { engine, executors, executorCores, executorMemory, driverMemory } = draft;
  return {
    ...(engine !== undefined && { engine }),
    ...(executors !== undefined && { executors }),
    ...(executorCores !== undefined && { executorCores }),
    ...(executorMemory !== undefined && { executorMemory }),
    ...(driverMemory !== undefined && { driverMemory }),
    postJob: { ...draft.postJob },
    sparkConf: { ...draft.sparkConf },
  };
}

/** The engine a configuration runs on: the one place the default (spark) is applied. */
export function engineOf(config: Pick<RunConfig, 'engine'>): Engine {
  return config.engine ?? 'spark';
}

export { setterFor };
