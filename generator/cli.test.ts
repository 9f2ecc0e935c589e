// The command line: parsing without running, and every bad-input case: exit 2, one line, nothing written.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main, parseArgs } from './cli.ts';
import { UsageError } from './errors.ts';

const root = mkdtempSync(join(tmpdir(), 'gen-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function runCaptured(argv: string[]): Promise<{ code: number; stderr: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stderr: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

function listAll(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [];
}

describe('parseArgs', () => {
  it('applies the defaults and parses sizes in powers of 1024', async () => {
    const p = await parseArgs(['--scale', '64mb', '--out', '/tmp/x', '--end', '2025-06-30']);
    if (p.kind !== 'run') throw new Error('expected a run');
    expect(p.gen).toMatchObject({
      scaleBytes: 64 * 1024 ** 2,
      metadataBytes: 0, // the user count follows from the profile
      users: 0,
      profile: 'note-taking',
      days: 365,
      end: '2025-06-30',
      seed: 42,
      fileSizeBytes: 256 * 1024 ** 2,
      skew: 1.2,
      bots: 5,
      badRows: 0,
      orphanShare: 0.005,
      silentUsers: 0.02,
    });
    expect(p.run).toMatchObject({ out: '/tmp/x', shards: 1, shard: 0, overwrite: false });
    const q = await parseArgs(['--scale', '1tb', '--metadata-scale', '100gb', '--out', 'd', '--shards', '8', '--shard', '7']);
    if (q.kind !== 'run') throw new Error('expected a run');
    expect(q.gen.scaleBytes).toBe(1024 ** 4);
    expect(q.gen.metadataBytes).toBe(100 * 1024 ** 3);
    expect(q.gen.end).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(q.run.shard).toBe(7);
    const u = await parseArgs(['--scale', '1gb', '--users', '50000', '--profile', 'social', '--out', 'd']);
    if (u.kind !== 'run') throw new Error('expected a run');
    expect(u.gen).toMatchObject({ users: 50_000, metadataBytes: 0, profile: 'social' });
  });

  it('--help returns the help text, naming every knob', async () => {
    const p = await parseArgs(['--help']);
    expect(p.kind).toBe('help');
    if (p.kind === 'help') for (const k of ['--scale', '--skew', '--bad-rows', '--shards', '--overwrite', '--users', '--profile']) expect(p.text).toContain(k);
    await expect(parseArgs(['--scale', '64xb', '--out', 'd'])).rejects.toBeInstanceOf(UsageError);
  });
});

describe('bad input: one line, exit 2, nothing written', () => {
  const fresh = (name: string): string => join(root, name);
  const cases: [string, (out: string) => string[], RegExp][] = [
    ['unknown unit', (o) => ['--scale', '64xb', '--out', o], /unknown unit "xb"/],
    ['negative skew', (o) => ['--scale', '1mb', '--skew', '-1', '--out', o], /--skew -1/],
    ['shard not below shards', (o) => ['--scale', '1mb', '--shards', '3', '--shard', '3', '--out', o], /--shard 3/],
    ['end not a date', (o) => ['--scale', '1mb', '--end', '2026-02-30', '--out', o], /--end 2026-02-30/],
    ['zero days', (o) => ['--scale', '1mb', '--days', '0', '--out', o], /--days 0/],
    ['file size below 1mb', (o) => ['--scale', '1mb', '--file-size', '10kb', '--out', o], /--file-size 10kb/],
    ['missing scale', (o) => ['--out', o], /--scale is required/],
    ['unknown flag', (o) => ['--scale', '1mb', '--out', o, '--colour', 'red'], /colour/],
    ['metadata too small for any users', (o) => ['--scale', '1mb', '--metadata-scale', '1kb', '--out', o], /metadata-scale/],
    ['both --users and --metadata-scale', (o) => ['--scale', '1mb', '--users', '5000', '--metadata-scale', '64kb', '--out', o], /pass one of them/],
    ['too few --users', (o) => ['--scale', '1mb', '--users', '10', '--out', o], /--users 10/],
    ['unknown profile', (o) => ['--scale', '1mb', '--profile', 'gaming', '--out', o], /profile/],
  ];
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const out = fresh(name.replace(/\W+/g, '-'));
      const r = await runCaptured(argv(out));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('an unwritable --out (a path through a regular file)', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCaptured(['--scale', '1mb', '--days', '10', '--out', join(file, 'sub')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not writable/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a non-empty --out without a manifest, and then one from other arguments, without --overwrite', async () => {
    const foreign = join(root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    let r = await runCaptured(['--scale', '1mb', '--days', '10', '--out', foreign]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty/);
    expect(listAll(foreign)).toEqual(['notes.txt']);

    const out = join(root, 'other-args');
    const base = ['--scale', '1mb', '--days', '10', '--end', '2026-01-10', '--workers', '1', '--progress', 'none', '--out', out];
    r = await runCaptured(base);
    expect(r.code).toBe(0);
    const before = listAll(out);
    r = await runCaptured([...base, '--seed', '7']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/other arguments/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(listAll(out)).toEqual(before);
    // --overwrite replaces it
    r = await runCaptured([...base, '--seed', '7', '--overwrite']);
    expect(r.code).toBe(0);
  });
});
