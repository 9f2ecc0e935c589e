// The written analysis against fixtures with known truths: it finds what was planted and claims nothing that was not.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli.ts';
import { analyze, WEEKLY_EFFECT_THRESHOLD } from './analyze.ts';
import { fixtureTruths, writeFixture, type FixtureOptions } from './fixtures.ts';
import { loadTables } from './load.ts';
import { writeInsightsReport } from './report.ts';
import { columnChart, lineChart, niceTicks } from '../lib/charts.ts';
import { compareVersions, linearFit, welchT } from './stats.ts';
import { InputError } from '../lib/errors.ts';
import type { Insight } from './types.ts';

const root = mkdtempSync(join(tmpdir(), 'insights-analysis-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
async function findingsFor(opts: Omit<FixtureOptions, 'dir'>): Promise<Insight[]> {
  const dir = await writeFixture({ ...opts, dir: join(root, `f${n++}`) });
  return analyze(await loadTables(dir)).findings;
}
const one = (fs: Insight[], id: Insight['id']): Insight => {
  const f = fs.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id}`);
  return f;
};

describe('stats', () => {
  it('fits a known line and tests significance', () => {
    const fit = linearFit([0, 1, 2, 3, 4], [1, 3, 5, 7, 9.5]);
    expect(fit.slope).toBeCloseTo(2.1, 6);
    expect(fit.intercept).toBeCloseTo(0.9, 6); // mean y 5.1 − 2.1 × mean x 2
    expect(fit.significant).toBe(true);
    expect(linearFit([0, 1, 2, 3, 4], [5, 4, 6, 5, 5]).significant).toBe(false);
    expect(welchT([1, 2, 3, 2, 1], [10, 11, 12, 11, 10]).significant).toBe(true);
    expect(welchT([1, 2, 3, 2, 1], [1, 2, 3, 2, 1.1]).significant).toBe(false);
  });
  it('orders versions numerically', () => {
    expect(['5.10.0', '5.9.1', '5.8.4'].sort(compareVersions)).toEqual(['5.8.4', '5.9.1', '5.10.0']);
  });
});

describe('charts', () => {
  it('escape names from the data and draw one mark per bar and per series', () => {
    const svg = columnChart({ id: 'x', title: 'T', categories: ['<script>alert(1)</script>', 'b'], values: [1, 2] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg.match(/class="mark"/g)).toHaveLength(2);
    const lines = lineChart({
      id: 'y',
      title: 'T',
      dates: ['2026-01-01', '2026-01-02'],
      series: [
        { name: 'a', values: [1, 2] },
        { name: 'b', values: [3, Number.NaN] },
      ],
    });
    expect(lines.match(/class="mark"/g)).toHaveLength(2);
    expect(niceTicks(0, 97)).toEqual([0, 20, 40, 60, 80, 100]);
  });
});

describe('analysis on fixtures with planted truths', () => {
  it('finds a planted weekly cycle (weekend at 70 % of weekdays)', async () => {
    const w = one(await findingsFor({ weekendFactor: 0.7 }), 'weekly-seasonality');
    expect(w.evidence.claimed).toBe(true);
    expect(w.evidence.weekend_over_weekday).toBeGreaterThan(0.66);
    expect(w.evidence.weekend_over_weekday).toBeLessThan(0.74);
    expect(['Sat', 'Sun']).toContain(w.evidence.trough_weekday);
    expect(w.evidence.metric).toBe('dau');
    expect(w.text).toMatch(/^Weekly cycle: weekend DAU runs 3\d\.\d % lower/);
    const sessions = (await findingsFor({ weekendFactor: 0.7 })).filter((f) => f.id === 'weekly-seasonality')[1]!;
    expect(sessions.evidence).toMatchObject({ metric: 'sessions', claimed: true });
  });

  it('does not claim a weekly cycle where none was planted, nor one below the threshold', async () => {
    for (const weekendFactor of [1, 1 - WEEKLY_EFFECT_THRESHOLD / 2]) {
      const weekly = (await findingsFor({ weekendFactor })).filter((f) => f.id === 'weekly-seasonality');
      expect(weekly.map((w) => w.evidence.metric)).toEqual(['dau', 'sessions']);
      for (const w of weekly) {
        expect(w.evidence.claimed).toBe(false);
        expect(w.text).toMatch(/^No weekly cycle to report/);
      }
    }
  });

  it('reports a planted trend as significant and a flat series as not', async () => {
    const rising = one(await findingsFor({ trendPerDay: 0.005 }), 'dau-trend');
    expect(rising.evidence.significant_5pct).toBe(true);
    expect(rising.text).toMatch(/^DAU rose/);
    const flat = one(await findingsFor({ trendPerDay: 0 }), 'dau-trend');
    expect(flat.evidence.significant_5pct).toBe(false);
    expect(flat.text).toMatch(/no significant trend/);
  });

  it('names the segment that differs, the cap effect, the rollout, hot users and the quarantine', async () => {
    const fs = await findingsFor({});
    const byCountry = fs.find((f) => f.id === 'segment-difference' && f.evidence.dimension === 'country')!;
    expect(byCountry.evidence).toMatchObject({ segment: 'JP', metric: 'avgDurationMs', claimed: true });
    // Devices were planted alike: no claim there.
    const byDevice = fs.find((f) => f.id === 'segment-difference' && f.evidence.dimension === 'device_type')!;
    expect(byDevice.evidence.claimed).toBe(false);

    expect(one(fs, 'outlier-cap').evidence.relative_inflation).toBeCloseTo(0.25, 3);

    const rollout = one(fs, 'app-version-rollout').evidence;
    expect(rollout.newest_version).toBe(fixtureTruths.newestVersion);
    expect(rollout.rising_significant).toBe(true);
    expect(rollout.share_last_day).toBeGreaterThan(0.9);

    const hot = one(fs, 'top-users-share').evidence;
    expect(hot.top_user).toBe(fixtureTruths.hotUser);
    expect(hot.top1_share).toBeCloseTo(fixtureTruths.hotUserShare, 6);

    const q = one(fs, 'quarantine').evidence;
    expect(q.quarantined_rows).toBe(50);
    expect(q.reason_null_user_id).toBe(fixtureTruths.quarantine.null_user_id);
    expect(q.reconciles).toBe(true);
  });

  it('sets the top users beside a manifest: overlap and the busiest user', async () => {
    const dir = await writeFixture({ dir: join(root, 'manifest') });
    const manifestPath = join(root, 'manifest', '_manifest.json');
    const hotKeys = Array.from({ length: 20 }, (_, i) => ({ user_id: `u_hot_${String(i + 1).padStart(4, '0')}`, events: 60_000 / (i + 1) }));
    writeFileSync(manifestPath, JSON.stringify({ hotKeys }));
    const { findings } = await writeInsightsReport({ outDir: dir, manifestPath });
    expect(one(findings, 'manifest-hot-keys').evidence).toMatchObject({ compared: 10, overlap: 10, job_top_user: 'u_hot_0001' });
  });
});

describe('tables that are present but empty', () => {
  it('an empty quarantine (no bad rows) reads as none quarantined, and the page still renders', async () => {
    const dir = await writeFixture({ dir: join(root, 'clean') });
    rmSync(join(dir, 'quarantine'), { recursive: true });
    mkdirSync(join(dir, 'quarantine'));
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`COPY (SELECT 'u1' AS user_id, 'x' AS reason LIMIT 0) TO '${join(dir, 'quarantine', 'p.parquet')}' (FORMAT PARQUET)`);
    conn.closeSync();
    db.closeSync();
    writeFileSync(
      join(dir, '_run.json'),
      JSON.stringify({ reconciliation: { input_rows: 10, accepted_rows: 10, quarantined_rows: {}, duplicates_removed: 0 } }),
    );
    const { findings } = await writeInsightsReport({ outDir: dir });
    const q = one(findings, 'quarantine');
    expect(q.evidence).toMatchObject({ quarantined_rows: 0, reconciles: true });
    expect(q.text).toMatch(/^No rows were quarantined/);
  });
});

describe('bad input', () => {
  it('a folder without the tables: InputError INSIGHTS_NO_TABLES, and the CLI prints one line and exits 2', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    await expect(writeInsightsReport({ outDir: empty })).rejects.toBeInstanceOf(InputError);
    await expect(writeInsightsReport({ outDir: empty })).rejects.toMatchObject({ code: 'INSIGHTS_NO_TABLES', exitCode: 2 });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['insights', empty])).toBe(2);
      const lines = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(lines).toMatch(/^bench: .*missing Parquet table folder\(s\) daily, sessions_daily.*\n$/);
      expect(lines.trim().split('\n')).toHaveLength(1);
    } finally {
      stderr.mockRestore();
    }
  });

  it('a table without its columns is named in the error', async () => {
    const dir = await writeFixture({ dir: join(root, 'badcols') });
    rmSync(join(dir, 'daily'), { recursive: true });
    mkdirSync(join(dir, 'daily'));
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`COPY (SELECT DATE '2026-01-01' AS date, 1 AS dau) TO '${join(dir, 'daily', 'p.parquet')}' (FORMAT PARQUET)`);
    conn.closeSync();
    db.closeSync();
    await expect(writeInsightsReport({ outDir: dir })).rejects.toThrow(/daily .* lacks column\(s\) wau, mau, stickiness, new_users/);
  });
});
