// Statistical and operational truths that need more data or a real process: the Zipf exponent seen in the
// output, resumption after kill -9, and the byte target at 64 MB.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from './cli.ts';
import { bodyUserEvents } from './interactions.ts';
import { createModel } from './model.ts';
import { buildPlan } from './plan.ts';
import { gen, interactionsGlob, query, readTree } from './testing.ts';

const root = mkdtempSync(join(tmpdir(), 'gen-scale-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Least-squares slope of log(head events) on log(rank) over the top ranks. A user's events are its own (the
 * behaviour model, recomputed exactly by bodyUserEvents) plus the Zipf head's sessions drawn over ranks with
 * exponent --skew: the difference, counted from the files, is the head alone.
 */
const TOP = 50;

async function estimateSkew(skew: number): Promise<number> {
  const out = join(root, `zipf-${skew}`);
  const argv = ['--scale', '8mb', '--metadata-scale', '48kb', '--days', '10', '--end', '2026-01-20', '--skew', String(skew), '--out', out];
  expect((await gen(argv)).code).toBe(0);
  const parsed = await parseArgs(argv);
  if (parsed.kind !== 'run') throw new Error('expected a run');
  const model = createModel(await buildPlan(parsed.gen));
  const bots = new Set(model.plan.botIds.map((id) => `u${id}`));
  const counts = await query(`SELECT user_id, count(*) AS n FROM ${interactionsGlob(out)} GROUP BY 1`);
  const byRank = new Map<number, number>();
  for (const c of counts) {
    const id = Number(String(c.user_id).slice(1));
    if (bots.has(String(c.user_id)) || id >= model.plan.users) continue;
    const rank = model.perm.inverse(id);
    if (rank >= TOP) continue;
    const own = bodyUserEvents(model, id, rank).events;
    expect(Number(c.n)).toBeGreaterThanOrEqual(own);
    byRank.set(rank + 1, Number(c.n) - own);
  }
  // Ranks 1..50: always active (joined before the window, never leaving, at the activity cap), so the head's
  // rejection of inactive days scales them alike; each has dozens of head sessions, so the noise stays small.
  const xs: number[] = [];
  const ys: number[] = [];
  for (let r = 1; r <= TOP; r += 1) {
    const n = byRank.get(r) ?? 0;
    if (n <= 0) continue;
    xs.push(Math.log(r));
    ys.push(Math.log(n));
  }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i += 1) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  rmSync(out, { recursive: true });
  return -sxy / sxx;
}

describe('Zipf skew seen in the output', () => {
  for (const skew of [1.2, 0.8]) {
    it(`per-user event counts fall off with exponent ${skew} ± 0.1 over Zipf ranks`, async () => {
      const est = await estimateSkew(skew);
      expect(Math.abs(est - skew), `estimated ${est}`).toBeLessThan(0.1);
    });
  }
});

function tempFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((p) => p.includes('.tmp-'));
}

describe('resumption', () => {
  it('after kill -9 mid-run, a rerun finishes without redoing complete files and matches a clean run byte for byte', async () => {
    const args = ['--scale', '4mb', '--days', '30', '--end', '2026-01-31', '--workers', '1'];
    const R = join(root, 'killed');
    const child = spawn(process.execPath, ['bin/gen.js', ...args, '--progress', 'none', '--out', R], { stdio: 'ignore' });
    // Killed once the shard manifest records a finished file (atomic rename, so it parses whenever it exists).
    const shardManifest = join(R, '_manifest.shard-0-of-1.json');
    const recorded = (): number => {
      try {
        return JSON.parse(readFileSync(shardManifest, 'utf8')).files.length;
      } catch {
        return 0;
      }
    };
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (recorded() >= 1) {
          clearInterval(t);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(t);
        reject(new Error('gen finished before it could be killed'));
      });
    });
    await new Promise((r) => child.on('exit', r));
    const complete = JSON.parse(readFileSync(join(R, '_manifest.json'), 'utf8')).complete;
    expect(complete).toBe(false);
    const again = await gen([...args, '--out', R]);
    expect(again.code).toBe(0);
    const skipped = Number(/(\d+) already complete/.exec(again.stderr)![1]);
    expect(skipped).toBeGreaterThanOrEqual(1);
    expect(tempFiles(R)).toEqual([]);

    const clean = join(root, 'clean');
    expect((await gen([...args, '--out', clean])).code).toBe(0);
    const a = readTree(clean);
    const b = readTree(R);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k)!.equals(v), k).toBe(true);
    // A rerun of a complete folder redoes nothing.
    const third = await gen([...args, '--out', R]);
    expect(third.stderr).toMatch(/^gen: 0 files written/);
    rmSync(R, { recursive: true });
    rmSync(clean, { recursive: true });
  });
});

describe('scale', () => {
  it('--scale 64mb lands within ±5 % on disk, with peak RSS well under 1 GiB', () => {
    const out = join(root, 'scale64');
    const hasTime = existsSync('/usr/bin/time');
    const cmd = [
      process.execPath,
      'bin/gen.js',
      '--scale',
      '64mb',
      '--days',
      '30',
      '--end',
      '2026-01-31',
      '--workers',
      '2',
      '--progress',
      'none',
      '--out',
      out,
    ];
    const r = hasTime
      ? spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', ...cmd], { encoding: 'utf8' })
      : spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(out, '_manifest.json'), 'utf8'));
    let onDisk = 0;
    for (const p of readdirSync(join(out, 'interactions'), { recursive: true }).map(String)) {
      const s = statSync(join(out, 'interactions', p));
      if (s.isFile()) onDisk += s.size;
    }
    expect(onDisk).toBe(m.interactions.bytes);
    const target = 64 * 1024 ** 2;
    expect(Math.abs(onDisk - target) / target, `${onDisk} bytes`).toBeLessThan(0.05);
    if (hasTime) expect(Number(/maxrss_kb=(\d+)/.exec(r.stderr)![1]) * 1024).toBeLessThan(1024 ** 3 / 2);
    rmSync(out, { recursive: true });
  });
});
