// Issue #5's validation on the committed local study: what `bench advise --local` recommends for that data and that
// machine is a configuration the study ran, and its median wall time is within 10 % of the best configuration's.
// The study is two run folders on the same data and machine, one after the other: pre vs post at the advised
// configuration, then post at the other settings (docs/benchmarks.md, "A local study at 512 MB").
// Re-run the study when advise's rules change and this test fails.
//
// What it can still validate (issue #13): the study ran the post job of 2026-11-25, which chose no partitions or AQE
// settings of its own, with advise's rules of that day. Today's advice for post leaves the settings post now sets
// itself to the job (advice.leftToJob) and derives the broadcast threshold from the in-memory relation size (33m here,
// where the study ran 512m and the 52 MB metadata became a 1152 MiB relation). So the configuration compared below
// is today's layout and memory + the values advise would pass to a job that does not choose them + the study's
// 512m threshold: layout, memory and partition arithmetic are validated; the new threshold and post's own choices
// are not, until the cluster study of #13 runs them. The ratios are the ones advise used when it advised the study
// (its largest shuffle, 2.63 bytes per byte of dataset, and the rule of that day, a partition 3× its shuffle bytes in
// memory): the committed defaults (MEASURED) are of today's data and post, which the study's data and post were not.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../harness/compare/compare.ts';
import { expandGrid } from '../../harness/grid/expand.ts';
import { loadRun } from '../../harness/run/load.ts';
import { advise, parseSize } from './index.ts';
import type { MeasuredRun } from './types.ts';
import { RESULTS_DIR } from '../../lib/paths.ts';

const GiB = 1024 ** 3;
const RESULTS = RESULTS_DIR;
const STUDY = ['2026-11-25-study-512mb-pre-post', '2026-11-25-study-512mb'].map((id) => join(RESULTS, id));
// The machine and data the study ran on (run.json): 2 cores, 24 GiB, `gen --scale 512mb`.
const MACHINE = { nodes: 1, coresPerNode: 2, memoryPerNodeBytes: 24 * GiB, local: true } as const;
const DATA_BYTES = 512 * 1024 ** 2;
const WITHIN = 0.1;

describe('advise --local against the measured local study', () => {
  it('recommends a configuration the study ran, and the post job there is within 10 % of the best median', async () => {
    const runs = await Promise.all(STUDY.map((dir) => loadRun(dir)));
    const metas = await Promise.all(
      STUDY.map(
        async (dir) => JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as { host: { cpus: number }; grid: { base?: object }; manifestSha256: string },
      ),
    );
    for (const meta of metas) expect(meta.host.cpus).toBe(MACHINE.coresPerNode);
    expect(new Set(metas.map((m) => m.manifestSha256)).size).toBe(1);

    // The study's base (spark.ui.enabled=false) applies to every configuration it ran, the advised one included.
    const measured: MeasuredRun = {
      source: 'the ratios of 2026-11-25',
      inputBytes: DATA_BYTES,
      shuffleWriteBytes: 2.63 * DATA_BYTES,
      memoryPerShuffleByte: 3,
      memorySpilledBytes: 0,
      taskCoreMs: 0,
      localDiskBytes: 0,
    };
    const advice = advise({ ...MACHINE, dataBytes: DATA_BYTES, job: 'post', measured });
    const asRun: Record<string, string | number | boolean> = { ...advice.grid };
    for (const { key, adviseValue } of advice.leftToJob) {
      if (key === 'spark.sql.adaptive.enabled') asRun.aqe = adviseValue === 'true';
      else if (key === 'spark.sql.adaptive.advisoryPartitionSizeInBytes') asRun.advisoryPartitionSize = adviseValue;
      else if (key === 'spark.sql.shuffle.partitions') asRun[key] = Number(adviseValue);
      else if (adviseValue !== '') asRun[key] = adviseValue;
    }
    expect(parseSize(String(advice.grid.broadcastThreshold))).toBeLessThan(512 * 1024 ** 2);
    asRun.broadcastThreshold = '512m';
    const grid = { base: metas[0]?.grid.base ?? {}, configs: [asRun] };
    const advised = expandGrid(grid, 'advice')[0]?.config;
    const all = runs.flatMap((run) => run.records.map((record) => ({ runId: run.meta.runId, record })));
    const ran = all.find(({ record }) => record.job === 'post' && isDeepStrictEqual(record.config, advised));
    expect(ran, `the study has no post run of the advised configuration ${JSON.stringify(advised)}`).toBeDefined();

    const comparison = compareRuns({ runs, maxSpread: 0.25 });
    const post = comparison.rows.filter((r) => r.job === 'post');
    const row = post.find((r) => r.runId === ran?.runId && r.configId === ran?.record.configId);
    expect(row?.completed).toBeGreaterThanOrEqual(3);
    // Every other point that completed at least twice competes for "best"; a point that failed every time (the 2g
    // heap ran out of memory) cannot be best.
    const rivals = post.filter((r) => r !== row && r.completed >= 2);
    expect(rivals.length).toBeGreaterThanOrEqual(1);
    expect(post.some((r) => r.completed === 0 && r.failed >= 2)).toBe(true);
    const best = Math.min(row!.wallMedianMs, ...rivals.map((r) => r.wallMedianMs));
    expect(row!.wallMedianMs / best).toBeLessThanOrEqual(1 + WITHIN);
  });
});
