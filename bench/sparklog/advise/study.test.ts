// Issue #5's validation on the committed local study: what `bench advise --local` recommends for that data and that
// machine is a configuration the study ran, and its median wall time is within 10 % of the best configuration's.
// The study is two run folders on the same data and machine, one after the other: pre vs post at the advised
// configuration, then post at the other settings (docs/benchmarks.md, "A local study at 512 MB").
// Re-run the study when advise's rules change and this test fails.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../harness/compare/compare.ts';
import { expandGrid } from '../../harness/grid/expand.ts';
import { loadRun } from '../../harness/run/load.ts';
import { advise } from './index.ts';
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
    const grid = { base: metas[0]?.grid.base ?? {}, configs: [advise({ ...MACHINE, dataBytes: DATA_BYTES, job: 'post' }).grid] };
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
