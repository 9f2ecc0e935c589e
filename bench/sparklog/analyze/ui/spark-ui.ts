// Spark UI pictures (issue 5, task 3a): starts Spark's own History Server (the class the pyspark wheel ships) over the
// event logs given, opens each app's jobs page, the stage pages asked for (scrolled so the task-time summary table is
// in the picture) and the SQL page of its longest query in headless Chromium (Debian's chromium driven by
// playwright-core), and saves PNGs. Stops the server it started, by pid. Starts a JVM: never part of the test suite.
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { summarizeEventLog } from '../../eventlog/index.ts';
import { REPO_ROOT } from '../../../lib/paths.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../../lib/browser.ts';

export interface UiTarget {
  /** An event log: a file, or a rolling-log folder (eventlog_v2_<app>). */
  readonly eventLog: string;
  /** File name prefix for this app's pictures, e.g. "pre". */
  readonly prefix: string;
  /** Stage pages to capture (attempt 0); the SQL page shown is the query that ran the first of them. */
  readonly stageIds: readonly number[];
}

export interface CaptureOptions {
  readonly targets: readonly UiTarget[];
  readonly out: string;
  readonly port?: number;
}

export type UiPage = 'jobs' | 'stage' | 'sql';

export interface UiPicture {
  readonly prefix: string;
  readonly appId: string;
  readonly page: UiPage;
  /** Stage id for a stage page, SQL execution id for a SQL page. */
  readonly id?: number;
  readonly path: string;
}

interface AppInfo {
  readonly id: string;
}

async function waitForApps(base: string, count: number, timeoutMs: number): Promise<AppInfo[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/api/v1/applications`);
      if (response.ok) {
        const apps = (await response.json()) as AppInfo[];
        if (apps.length >= count) return apps;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`history server at ${base} did not list ${count} application(s) within ${timeoutMs / 1000} s`);
}

interface SqlRow {
  readonly id: number;
  readonly duration: number;
  readonly successJobIds?: readonly number[];
  readonly failedJobIds?: readonly number[];
}

/**
 * The SQL execution to show, from the History Server's REST API: the one that ran the given stage (the bottleneck the
 * stage picture shows), else the one that ran longest (the main query).
 */
async function sqlIdFor(base: string, appId: string, stageId: number | undefined): Promise<number | undefined> {
  const api = `${base}/api/v1/applications/${appId}`;
  const response = await fetch(`${api}/sql?details=false&length=1000`);
  if (!response.ok) return undefined;
  const rows = (await response.json()) as SqlRow[];
  if (stageId !== undefined) {
    const jobs = (await (await fetch(`${api}/jobs`)).json()) as { jobId: number; stageIds: number[] }[];
    const jobIds = new Set(jobs.filter((j) => j.stageIds.includes(stageId)).map((j) => j.jobId));
    const owner = rows.find((r) => [...(r.successJobIds ?? []), ...(r.failedJobIds ?? [])].some((j) => jobIds.has(j)));
    if (owner) return owner.id;
  }
  return rows.reduce<SqlRow | undefined>((best, r) => (best === undefined || r.duration > best.duration ? r : best), undefined)?.id;
}

export async function captureSparkUi(options: CaptureOptions): Promise<UiPicture[]> {
  const port = options.port ?? 18090;
  const out = resolve(options.out);
  await mkdir(out, { recursive: true });
  const scratch = await mkdtemp(join(tmpdir(), 'spark-history-'));
  const logs = join(scratch, 'logs');
  await mkdir(logs);
  for (const t of options.targets) await cp(resolve(t.eventLog), join(logs, basename(t.eventLog)), { recursive: true });
  const props = join(scratch, 'history.properties');
  await writeFile(
    props,
    [
      `spark.history.fs.logDirectory=file:${logs}`,
      `spark.history.ui.port=${port}`,
      'spark.history.fs.update.interval=1s',
      'spark.ui.bindAddress=127.0.0.1',
    ].join('\n'),
  );
  const server = spawn(join(REPO_ROOT, '.venv', 'bin', 'spark-class'), ['org.apache.spark.deploy.history.HistoryServer', '--properties-file', props], {
    env: { ...process.env, PATH: `${join(REPO_ROOT, '.venv', 'bin')}:${process.env.PATH ?? ''}`, SPARK_LOCAL_IP: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise((r) => server.once('exit', r));
  const base = `http://127.0.0.1:${port}`;
  const pictures: UiPicture[] = [];
  try {
    await waitForApps(base, options.targets.length, 120_000);
    const { chromium } = await import('playwright-core');
    const context = await chromium.launchPersistentContext(join(scratch, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      for (const t of options.targets) {
        const appId = (await summarizeEventLog(t.eventLog)).appId; // the id the History Server lists, whatever the file is called
        const shoot = async (kind: UiPage, url: string, id?: number): Promise<void> => {
          await page.goto(url, { waitUntil: 'networkidle' });
          if (kind === 'stage') {
            // The task-time summary (min/25th/median/75th/max) is what the walkthrough reads: put it at the top.
            const summary = page.getByText('Summary Metrics for', { exact: false }).first();
            if ((await summary.count()) > 0) await summary.evaluate((e) => e.scrollIntoView({ block: 'start' }));
          } else if (kind === 'sql') {
            // The join is what the walkthrough is about: bring it into view (the plan graph is taller than a screen).
            // The shuffle join if there is one, else the operator that spilled, else a broadcast join or aggregate.
            for (const text of ['SortMergeJoin', /spill size total/, /BroadcastHashJoin|HashAggregate/]) {
              const node = page.getByText(text, typeof text === 'string' ? { exact: true } : {}).first();
              if ((await node.count()) === 0) continue;
              await node.evaluate((e) => e.scrollIntoView({ block: 'center' }));
              break;
            }
          }
          const path = join(out, `${t.prefix}-${kind === 'jobs' ? 'jobs' : kind === 'stage' ? `stage-${id ?? 0}` : 'sql'}.png`);
          await page.screenshot({ path, fullPage: false });
          pictures.push({ prefix: t.prefix, appId, page: kind, ...(id !== undefined && { id }), path });
        };
        // Longest jobs first: where the time went, not the last few jobs.
        await shoot('jobs', `${base}/history/${appId}/jobs/?completedJob.sort=Duration&completedJob.desc=true`);
        for (const stageId of t.stageIds) await shoot('stage', `${base}/history/${appId}/stages/stage/?id=${stageId}&attempt=0`, stageId);
        const sqlId = await sqlIdFor(base, appId, t.stageIds[0]);
        if (sqlId !== undefined) await shoot('sql', `${base}/history/${appId}/SQL/execution/?id=${sqlId}`, sqlId);
      }
    } finally {
      await context.close();
    }
  } finally {
    server.kill('SIGTERM');
    await exited;
    await rm(scratch, { recursive: true, force: true });
  }
  return pictures;
}
