// npm run bench:jobs (spark-jobs/tools/bench-jobs.sh) checks every scale entry before set-up: a malformed
// scale[:repeat[:heap]] is a usage error (one line, exit 2) before anything is installed, generated or run.
// A stand-in `npm` first on the PATH exits 42: a run that passed the checks stops there, at set-up, and does no work.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../spark-jobs/tools/bench-jobs.sh', import.meta.url));
const STAND_IN = mkdtempSync(join(tmpdir(), 'bench-jobs-npm-'));
writeFileSync(join(STAND_IN, 'npm'), '#!/bin/sh\nexit 42\n');
chmodSync(join(STAND_IN, 'npm'), 0o755);
afterAll(() => rmSync(STAND_IN, { recursive: true, force: true }));

function benchJobs(scales: string) {
  const env = { PATH: `${STAND_IN}:/usr/bin:/bin`, BENCH_JOBS_SCALES: scales };
  const run = spawnSync('bash', [SCRIPT], { env, encoding: 'utf8', timeout: 20_000 });
  return { status: run.status, stderr: run.stderr.trim() };
}

describe('bench-jobs.sh scale entries', () => {
  it.each(['2gb:x', '2gb:0', '2gb:1:16', '2gb::lots', '256mb 2gb:1:16gb'])('%s: exit 2 and one line', (scales) => {
    const { status, stderr } = benchJobs(scales);
    expect(status).toBe(2);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^bench-jobs: '.+' is not scale\[:repeat\[:heap\]\] \(e\.g\. 2gb:1:16g\)$/);
  });

  it.each(['256mb', '256mb:3', '2gb:1:16g', '2gb::12G 16mb:2:512m'])('%s: passes the checks and reaches set-up', (scales) => {
    expect(benchJobs(scales)).toEqual({ status: 42, stderr: '' });
  });
});
