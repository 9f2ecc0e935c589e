// Spark UI pictures in the report (`bench report --ui`): which runs and stages to capture, and how a picture is embedded.
// The capture itself (History Server + Chromium, bench/sparklog/analyze/ui/spark-ui.ts) is loaded only by captureRunPictures.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeSummary } from '../../sparklog/analyze/analyze.ts';
import type { Finding, Severity } from '../../sparklog/analyze/types.ts';
import { compareRuns } from '../compare/compare.ts';
import { summarizeEventLog } from '../../sparklog/eventlog/index.ts';
import type { LoadedRun } from '../run/load.ts';
import type { RunRecord } from '../run/types.ts';
import { esc } from '../../lib/html.ts';

export type ReportPicturePage = 'jobs' | 'stage' | 'sql';

export interface ReportPicture {
  /** The run record it was taken from (e.g. c02-pre-r1): the findings table of that record shows it. */
  readonly runKey: string;
  readonly page: ReportPicturePage;
  /** Stage id (stage page) or SQL execution id (SQL page). */
  readonly id?: number;
  readonly png: Uint8Array;
}

export interface UiPick {
  readonly record: RunRecord;
  /** Stages the findings point at, worst first. */
  readonly stageIds: readonly number[];
}

const RANK: Record<Severity, number> = { critical: 4, severe: 3, moderate: 2, low: 1, info: 0 };
const MAX_STAGES = 2;

/** The stages that findings of at least low severity name, worst first, at most two. */
export function worstStages(findings: readonly Finding[]): number[] {
  const ranked = findings
    .filter((f) => f.scope.level === 'stage' && f.scope.stageId !== undefined && RANK[f.severity] > 0)
    .sort(
      (a, b) =>
        RANK[b.severity] - RANK[a.severity] ||
        Number(b.evidence.spillRatio ?? b.evidence.timeRatio ?? 0) - Number(a.evidence.spillRatio ?? a.evidence.timeRatio ?? 0),
    );
  return [...new Set(ranked.map((f) => f.scope.stageId!))].slice(0, MAX_STAGES);
}

/** Per job, the first repeat (with an event log) of the configuration with the lowest median wall time. */
export async function pickRuns(run: LoadedRun): Promise<UiPick[]> {
  const { best } = compareRuns({ runs: [run], maxSpread: 0.25 });
  const picks: UiPick[] = [];
  for (const row of Object.values(best)) {
    const record = run.records.filter((r) => r.job === row.job && r.configId === row.configId && r.eventLog !== null).sort((a, b) => a.repeat - b.repeat)[0];
    if (!record || record.eventLog === null) continue;
    const findings = analyzeSummary(await summarizeEventLog(join(run.dir, record.eventLog)));
    picks.push({ record, stageIds: worstStages(findings) });
  }
  return picks;
}

/** Starts the History Server and Chromium (a JVM, ~20 s): writes <run>/ui/<key>-*.png and returns them. */
export async function captureRunPictures(run: LoadedRun): Promise<ReportPicture[]> {
  const picks = await pickRuns(run);
  const out = join(run.dir, 'ui');
  await mkdir(out, { recursive: true });
  const { captureSparkUi } = await import('../../sparklog/analyze/ui/spark-ui.ts');
  const taken = await captureSparkUi({
    out,
    targets: picks.map((p) => ({ eventLog: join(run.dir, p.record.eventLog ?? ''), prefix: p.record.key, stageIds: p.stageIds })),
  });
  return Promise.all(taken.map(async (t) => ({ runKey: t.prefix, page: t.page, ...(t.id !== undefined && { id: t.id }), png: await readFile(t.path) })));
}

const CAPTION: Record<ReportPicturePage, string> = { jobs: 'Spark UI, jobs page', stage: 'Spark UI, stage', sql: 'Spark UI, SQL query' };

/** One picture as a figure with a data: URI (the report's CSP allows img-src data: only). */
export function pictureHtml(picture: ReportPicture, note = ''): string {
  const caption = `${CAPTION[picture.page]}${picture.id !== undefined ? ` ${picture.id}` : ''} (${picture.runKey})${note ? ` — ${note}` : ''}`;
  return `<figure class="ui"><img alt="${esc(caption)}" src="data:image/png;base64,${Buffer.from(picture.png).toString('base64')}"><figcaption>${esc(caption)}</figcaption></figure>`;
}

/** A run's pictures in reading order: jobs, each stage with the findings it illustrates, then the SQL plan. */
export function picturesHtml(runKey: string, findings: readonly Finding[], pictures: readonly ReportPicture[]): string {
  const mine = pictures.filter((p) => p.runKey === runKey);
  if (mine.length === 0) return '';
  const order: Record<ReportPicturePage, number> = { jobs: 0, stage: 1, sql: 2 };
  const note = (p: ReportPicture): string =>
    p.page === 'stage'
      ? findings
          .filter((f) => f.scope.level === 'stage' && f.scope.stageId === p.id)
          .map((f) => `${f.rule}: ${f.title}`)
          .join('; ')
      : '';
  return [...mine]
    .sort((a, b) => order[a.page] - order[b.page])
    .map((p) => pictureHtml(p, note(p)))
    .join('');
}
