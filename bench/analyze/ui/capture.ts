// Spark UI pictures for the walkthrough (issue 5, task 3a): starts Spark's own History Server (the class the pyspark
// wheel ships) over a folder of event logs, opens the jobs, stage and SQL pages of each app in headless Chromium
// (Debian's chromium driven by playwright-core) and saves PNGs. Stops the server it started, by pid.
//
//   npx tsx bench/analyze/ui/capture.ts --logs DIR --out DIR [--stage 4] [--port 18090]
//
// Runs Spark (a JVM) for about half a minute: a script for docs, never part of the test suite.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../../paths.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function waitForApps(base: string, timeoutMs: number): Promise<{ id: string; name: string }[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/api/v1/applications`);
      if (response.ok) {
        const apps = (await response.json()) as { id: string; name: string }[];
        if (apps.length > 0) return apps;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`history server at ${base} listed no applications within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { logs: { type: 'string' }, out: { type: 'string' }, stage: { type: 'string', default: '4' }, port: { type: 'string', default: '18090' } } });
  if (!values.logs || !values.out) throw new Error('usage: capture.ts --logs DIR --out DIR [--stage N] [--port P]');
  const logs = resolve(values.logs);
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const scratch = await mkdtemp(join(tmpdir(), 'spark-history-'));
  const props = join(scratch, 'history.properties');
  await writeFile(props, [`spark.history.fs.logDirectory=file:${logs}`, `spark.history.ui.port=${values.port}`, 'spark.history.fs.update.interval=1s', 'spark.ui.bindAddress=127.0.0.1'].join('\n'));
  const server = spawn(join(REPO_ROOT, '.venv', 'bin', 'spark-class'), ['org.apache.spark.deploy.history.HistoryServer', '--properties-file', props], {
    env: { ...process.env, PATH: `${join(REPO_ROOT, '.venv', 'bin')}:${process.env['PATH'] ?? ''}`, SPARK_LOCAL_IP: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const base = `http://127.0.0.1:${values.port}`;
  const { chromium } = await import('playwright-core');
  try {
    const apps = await waitForApps(base, 90_000);
    const context = await chromium.launchPersistentContext(join(scratch, 'chromium'), { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 } });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      for (const app of apps) {
        const name = app.name.replace(/[^a-z0-9-]+/gi, '-');
        const pages: [string, string][] = [
          ['jobs', `${base}/history/${app.id}/jobs/`],
          [`stage-${values.stage}`, `${base}/history/${app.id}/stages/stage/?id=${values.stage}&attempt=0`],
          ['sql', `${base}/history/${app.id}/SQL/execution/?id=0`],
        ];
        for (const [label, url] of pages) {
          await page.goto(url, { waitUntil: 'networkidle' });
          if (label === 'sql') {
            // The join is what the walkthrough is about: bring it into view (the plan graph is taller than a screen).
            const join = page.getByText(/SortMergeJoin|BroadcastHashJoin/).first();
            if ((await join.count()) > 0) await join.scrollIntoViewIfNeeded();
          }
          const path = join(out, `${name}-${label}.png`);
          await page.screenshot({ path, fullPage: false });
          process.stdout.write(`${path}\n`);
        }
      }
    } finally {
      await context.close();
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`capture: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
