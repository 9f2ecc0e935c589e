// Runs → per job × configuration: median (min–max) wall time, its multiple of the floor job's median (same run, same
// configuration), shuffle and spill, speedup post/pre, the best configuration, and a flag where repeats spread too
// widely to trust the median; and where a run measured a job under both engines at otherwise equal settings, comet's
// speed-up over spark.
import { engineOf, type Engine } from '../grid/schema.ts';
import { jobRank } from '../run/jobs.ts';
import type { LoadedRun } from '../run/load.ts';
import type { CompletedRun, JobName } from '../run/types.ts';
import { median, relativeSpread } from '../../lib/stats.ts';

export interface ConfigRow {
  readonly runId: string;
  readonly configId: string;
  readonly configLabel: string;
  readonly job: JobName;
  readonly completed: number;
  readonly failed: number;
  readonly wallMedianMs: number;
  readonly wallMinMs: number;
  readonly wallMaxMs: number;
  readonly spread: number;
  /** Spread above the limit, or a single completed run: the median is not to be trusted. */
  readonly untrusted: boolean;
  readonly shuffleBytesMedian: number; // shuffle write, summed over stages
  readonly spillBytesMedian: number; // memory + disk spill
  /**
   * Median wall time / the floor job's median wall time in the same run and configuration: how far the job is from
   * reading, shuffling once and writing. NaN when the run has no completed floor run at this configuration.
   */
  readonly xFloor: number;
  /** Median wall time / the same job's median at the baseline configuration (--baseline) of the same run; else NaN. */
  readonly xBaseline: number;
  readonly engine: Engine;
}

/** One job under comet against the same job under spark, same run, same settings but the engine. */
export interface EngineSpeedup {
  readonly runId: string;
  readonly job: JobName;
  readonly sparkConfigId: string;
  readonly cometConfigId: string;
  /** spark median / comet median: above 1 means Comet is faster. */
  readonly speedup: number;
  /** Both medians trusted (2+ runs each, spread within the limit). */
  readonly trusted: boolean;
}

export interface Speedup {
  readonly runId: string;
  readonly configId: string;
  readonly configLabel: string;
  /** pre median / post median: above 1 means post is faster. */
  readonly speedup: number;
  /** post / pre; NaN when pre moved no bytes. */
  readonly shuffleRatio: number;
  readonly spillRatio: number;
}

export interface Comparison {
  readonly rows: readonly ConfigRow[];
  readonly speedups: readonly Speedup[];
  /** Per job, the row with the lowest median among trusted rows (or among all rows when none is trusted). */
  readonly best: Partial<Record<JobName, ConfigRow>>;
  readonly engines: readonly EngineSpeedup[];
  readonly maxSpread: number;
  /** The configuration every row is divided by (--baseline), e.g. the one `bench advise` proposed. */
  readonly baseline?: string;
}

export interface CompareOptions {
  readonly runs: readonly LoadedRun[];
  /** Flag rows whose (max − min) / median exceeds this. */
  readonly maxSpread: number;
  /** A configuration id (c01…): each row's median as a multiple of the same job's median there. */
  readonly baseline?: string;
}

/**
 * A configuration's settings without its engine and without spark.comet.* keys (which mean nothing to Spark): two
 * configurations with the same twin differ only in the engine and how Comet is tuned.
 */
function engineTwin(config: CompletedRun['config']): string {
  const { engine: _engine, ...withConf } = config;
  const rest = { ...withConf, sparkConf: Object.fromEntries(Object.entries(config.sparkConf).filter(([k]) => !k.startsWith('spark.comet.'))) };
  const sorted = (value: unknown): unknown =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, sorted(v)]),
        )
      : value;
  return JSON.stringify(sorted(rest));
}

export function compareRuns({ runs, maxSpread, baseline }: CompareOptions): Comparison {
  const rows: ConfigRow[] = [];
  const twins = new Map<string, string>(); // runId, configId → engineTwin
  const twinOf = (r: ConfigRow) => twins.get(`${r.runId}\u0000${r.configId}`);
  for (const run of runs) {
    const groups = new Map<string, { label: string; configId: string; job: JobName; engine: Engine; twin: string; done: CompletedRun[]; failed: number }>();
    for (const r of run.records) {
      const key = `${r.configId}\u0000${r.job}`;
      const engine = r.engine ?? engineOf(r.config);
      const g = groups.get(key) ?? { label: r.configLabel, configId: r.configId, job: r.job, engine, twin: engineTwin(r.config), done: [], failed: 0 };
      if (r.state === 'completed') g.done.push(r);
      else g.failed++;
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const walls = g.done.map((r) => r.wallTimeMs);
      const spread = relativeSpread(walls);
      const row: ConfigRow = {
        runId: run.meta.runId,
        configId: g.configId,
        configLabel: g.label,
        job: g.job,
        completed: g.done.length,
        failed: g.failed,
        wallMedianMs: median(walls),
        wallMinMs: walls.length ? Math.min(...walls) : Number.NaN,
        wallMaxMs: walls.length ? Math.max(...walls) : Number.NaN,
        spread,
        untrusted: g.done.length < 2 || spread > maxSpread,
        shuffleBytesMedian: median(g.done.map((r) => r.totals?.shuffleWriteBytes ?? 0)),
        spillBytesMedian: median(g.done.map((r) => (r.totals?.memorySpilledBytes ?? 0) + (r.totals?.diskSpilledBytes ?? 0))),
        xFloor: Number.NaN,
        xBaseline: Number.NaN,
        engine: g.engine,
      };
      rows.push(row);
      twins.set(`${row.runId}\u0000${row.configId}`, g.twin);
    }
  }
  rows.sort((a, b) => a.runId.localeCompare(b.runId) || a.configId.localeCompare(b.configId) || jobRank(a.job) - jobRank(b.job));
  // A completed job's median at a configuration of a run; NaN (so every multiple of it NaN) when there is none.
  const medianAt = (job: JobName, runId: string, configId: string | undefined) =>
    rows.find((r) => r.job === job && r.runId === runId && r.configId === configId && r.completed > 0)?.wallMedianMs ?? Number.NaN;
  for (const [i, row] of rows.entries()) {
    if (row.completed === 0) continue;
    rows[i] = {
      ...row,
      xFloor: row.wallMedianMs / medianAt('floor', row.runId, row.configId),
      xBaseline: row.wallMedianMs / medianAt(row.job, row.runId, baseline),
    };
  }

  const speedups: Speedup[] = [];
  for (const pre of rows.filter((r) => r.job === 'pre' && r.completed > 0)) {
    const post = rows.find((r) => r.job === 'post' && r.runId === pre.runId && r.configId === pre.configId && r.completed > 0);
    if (post === undefined) continue;
    const ratio = (a: number, b: number) => (b > 0 ? a / b : a === 0 ? 1 : Number.NaN);
    speedups.push({
      runId: pre.runId,
      configId: pre.configId,
      configLabel: pre.configLabel,
      speedup: pre.wallMedianMs / post.wallMedianMs,
      shuffleRatio: ratio(post.shuffleBytesMedian, pre.shuffleBytesMedian),
      spillRatio: ratio(post.spillBytesMedian, pre.spillBytesMedian),
    });
  }

  const best: Partial<Record<JobName, ConfigRow>> = {};
  for (const job of ['pre', 'post'] as const) {
    const candidates = rows.filter((r) => r.job === job && r.completed > 0);
    const trusted = candidates.filter((r) => !r.untrusted);
    const pool = trusted.length > 0 ? trusted : candidates;
    const winner = pool.reduce<ConfigRow | undefined>((acc, r) => (acc === undefined || r.wallMedianMs < acc.wallMedianMs ? r : acc), undefined);
    if (winner !== undefined) best[job] = winner;
  }
  const engines: EngineSpeedup[] = [];
  for (const comet of rows.filter((r) => r.engine === 'comet' && r.completed > 0)) {
    const spark = rows.find((r) => r.engine === 'spark' && r.completed > 0 && r.runId === comet.runId && r.job === comet.job && twinOf(r) === twinOf(comet));
    if (spark === undefined) continue;
    engines.push({
      runId: comet.runId,
      job: comet.job,
      sparkConfigId: spark.configId,
      cometConfigId: comet.configId,
      speedup: spark.wallMedianMs / comet.wallMedianMs,
      trusted: !spark.untrusted && !comet.untrusted,
    });
  }
  return { rows, speedups, best, engines, maxSpread, ...(baseline !== undefined ? { baseline } : {}) };
}
