// A run → one self-contained HTML page: inline CSS and SVG, no scripts, no external resources.
import { compareRuns } from '../compare/compare.ts';
import { bytes, ratio, seconds } from '../../lib/format.ts';
import { esc, page } from '../../lib/html.ts';
import type { ChecksumDifference } from '../run/checksum.ts';
import type { LoadedRun } from '../run/load.ts';
import type { CompletedRun, RunRecord } from '../run/types.ts';
import { findingsSection, type FindingsRenderer } from './findings.ts';
import type { ReportPicture } from './ui.ts';
import { barChart, boxChart, PALETTE, stackedBarChart } from '../../lib/charts.ts';

export interface BuildReportOptions {
  readonly run: LoadedRun;
  /** From checksums.json; undefined when the run predates it. */
  readonly differences?: readonly ChecksumDifference[];
  /** Renders the findings section (findings.ts); default: bench analyze on each job × configuration's event log. */
  readonly findings?: FindingsRenderer;
  readonly maxSpread?: number;
  /** Spark UI pictures (bench report --ui), shown under the findings of the run they were taken from. */
  readonly pictures?: readonly ReportPicture[];
}

const JOB_COLOR = { pre: PALETTE[1]!, post: PALETTE[0]!, floor: PALETTE[9]! };

/** Per (config, job): the completed run with the median wall time, to stand for the group in per-stage charts. */
function representatives(records: readonly RunRecord[]): CompletedRun[] {
  const groups = new Map<string, CompletedRun[]>();
  for (const r of records) if (r.state === 'completed') groups.set(`${r.configId} ${r.job}`, [...(groups.get(`${r.configId} ${r.job}`) ?? []), r]);
  return [...groups.values()].map((g) => [...g].sort((a, b) => a.wallTimeMs - b.wallTimeMs)[Math.floor((g.length - 1) / 2)]!);
}

function stageLabel(stageId: number, name: string): string {
  // Spark names SQL stages after the call site; the lambda's mangled name says nothing, so call it "sql".
  const short = name.replace(/ at .*$/, '').replace(/^\$anonfun\$withThreadLocalCaptured\$\d*$/, 'sql');
  return `s${stageId} ${short}`.slice(0, 36);
}

const MAX_NAMED_STAGES = 8;
const MAX_BOX_STAGES = 20;

/** A run's busiest stages by executor run time, the rest lumped as "other stages" (a legend of 60 stages reads as noise). */
function topStagesAndRest(r: CompletedRun): { name: string; value: number }[] {
  const byTime = [...r.stages].sort((a, b) => b.executorRunTimeMs - a.executorRunTimeMs);
  const top = byTime.slice(0, MAX_NAMED_STAGES).sort((a, b) => a.stageId - b.stageId);
  const rest = byTime.slice(MAX_NAMED_STAGES).reduce((sum, s) => sum + s.executorRunTimeMs, 0);
  return [
    ...top.map((s) => ({ name: `${r.job} ${stageLabel(s.stageId, s.name)}`, value: s.executorRunTimeMs })),
    ...(rest > 0 ? [{ name: `${r.job}: ${byTime.length - top.length} other stages`, value: rest }] : []),
  ];
}

const CSS = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:14px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left}
th{background:#f4f4f4}.muted{color:#777}.bad{color:#b00;font-weight:600}.ok{color:#070;font-weight:600}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;font-size:12px}dt{color:#555}dd{margin:0;font-family:monospace}
svg.chart{display:block;margin:8px 0 16px;background:#fff}
figure.ui{margin:8px 0 20px}figure.ui img{display:block;max-width:100%;border:1px solid #ddd}figcaption{font-size:12px;color:#555}`;

export async function buildReport(options: BuildReportOptions): Promise<string> {
  const { run } = options;
  const { meta, records } = run;
  const comparison = compareRuns({ runs: [run], maxSpread: options.maxSpread ?? 0.25 });
  const reps = representatives(records);
  const sections: string[] = [];

  const failed = records.filter((r) => r.state === 'failed');
  const differences = options.differences;
  const checksumLine =
    differences === undefined
      ? '<span class="muted">not recorded</span>'
      : differences.length === 0
        ? '<span class="ok">all completed runs agree on every output table</span>'
        : `<span class="bad">runs disagree on ${differences.map((d) => esc(d.table)).join(', ')}</span>`;
  sections.push(`<dl>
<dt>run</dt><dd>${esc(meta.runId)}</dd><dt>created</dt><dd>${esc(meta.createdAt)}</dd>
<dt>Spark</dt><dd>${esc(meta.sparkVersion)}</dd><dt>git commit</dt><dd>${esc(meta.gitCommit)}</dd>
<dt>master</dt><dd>${esc(meta.master)}</dd><dt>data</dt><dd>${esc(meta.dataDir)}</dd>
<dt>manifest sha256</dt><dd>${esc(meta.manifestSha256 ?? 'none')}</dd>
<dt>host</dt><dd>${meta.host.cpus} cpus, ${bytes(meta.host.memoryBytes)}, ${esc(meta.host.platform)}</dd>
<dt>runs</dt><dd>${records.length - failed.length} completed, ${failed.length} failed</dd>
<dt>output checksums</dt><dd>${checksumLine}</dd></dl>`);

  // Time per configuration.
  const wallBars = comparison.rows
    .filter((r) => r.completed > 0)
    .map((r) => ({
      label: `${r.configId} ${r.job} · ${r.configLabel}`.slice(0, 44),
      value: r.wallMedianMs,
      low: r.wallMinMs,
      high: r.wallMaxMs,
      color: JOB_COLOR[r.job],
      note: r.untrusted ? (r.completed < 2 ? '(1 run)' : '⚠ wide spread') : '',
    }));
  sections.push(
    `<h2>Wall time per configuration</h2><p class="muted">Median of ${meta.repeat} repeat(s) per job × configuration; the line spans min–max. Orange: pre, blue: post, grey: the floor job.</p>`,
  );
  sections.push(wallBars.length > 0 ? barChart('wall-time', 'Wall time per configuration', wallBars, seconds) : '<p class="bad">No completed runs.</p>');

  const rowsHtml = comparison.rows
    .map(
      (r) =>
        `<tr><td>${esc(r.configId)}</td><td>${r.job}</td><td>${r.completed}${r.failed ? ` (+${r.failed} failed)` : ''}</td><td>${seconds(r.wallMedianMs)} (${seconds(r.wallMinMs)}–${seconds(r.wallMaxMs)})</td><td>${(r.spread * 100).toFixed(0)}%${r.untrusted ? ' ⚠' : ''}</td><td>${ratio(r.xFloor)}</td><td>${bytes(r.shuffleBytesMedian)}</td><td>${bytes(r.spillBytesMedian)}</td><td>${esc(r.configLabel)}</td></tr>`,
    )
    .join('');
  sections.push(
    `<table><tr><th>config</th><th>job</th><th>runs</th><th>wall median (min–max)</th><th>spread</th><th title="median wall time / the floor job's median at the same configuration">x floor</th><th>shuffle write</th><th>spill</th><th>configuration</th></tr>${rowsHtml}</table>`,
  );
  if (comparison.speedups.length > 0) {
    sections.push(
      `<table><tr><th>config</th><th>speedup pre/post</th><th>shuffle post/pre</th><th>spill post/pre</th></tr>${comparison.speedups
        .map((s) => `<tr><td>${esc(s.configId)}</td><td>${ratio(s.speedup)}</td><td>${ratio(s.shuffleRatio)}</td><td>${ratio(s.spillRatio)}</td></tr>`)
        .join('')}</table>`,
    );
  }
  if (comparison.engines.length > 0) {
    sections.push(
      `<table><tr><th>job</th><th>spark config</th><th>comet config</th><th title="spark median / comet median">speedup comet/spark</th></tr>${comparison.engines
        .map(
          (e) =>
            `<tr><td>${e.job}</td><td>${esc(e.sparkConfigId)}</td><td>${esc(e.cometConfigId)}</td><td>${ratio(e.speedup)}${e.trusted ? '' : ' ⚠'}</td></tr>`,
        )
        .join('')}</table>`,
    );
  }

  // Stage breakdown.
  sections.push(
    `<h2>Stage breakdown</h2><p class="muted">Executor run time summed over each stage's tasks, for the median run of each job × configuration.</p>`,
  );
  const stageRows = reps
    .filter((r) => r.stages.length > 0)
    .map((r) => ({
      label: `${r.configId} ${r.job}`,
      parts: topStagesAndRest(r),
    }));
  sections.push(
    stageRows.length > 0
      ? stackedBarChart('stage-breakdown', 'Task time by stage', stageRows, (v) => seconds(v))
      : '<p class="muted">No stage metrics (event logs missing).</p>',
  );

  // Task-time distribution per stage.
  sections.push(
    `<h2>Task-time distribution per stage</h2><p class="muted">Box: p25–p75, bar: median, whisker: min–max. Red: the slowest task took 3× the median or more (skew or stragglers).</p>`,
  );
  for (const r of reps) {
    // Skew needs several tasks to show; the busiest stages are where it costs.
    const multiTask = r.stages.filter((s) => s.tasks > 1);
    const shown = [...multiTask]
      .sort((a, b) => b.executorRunTimeMs - a.executorRunTimeMs)
      .slice(0, MAX_BOX_STAGES)
      .sort((a, b) => a.stageId - b.stageId);
    const boxes = shown.map((s) => ({ label: `${stageLabel(s.stageId, s.name)} (${s.tasks})`, ...s.taskTimeMs }));
    if (boxes.length === 0) continue;
    const note = multiTask.length > shown.length ? ` — the ${shown.length} busiest of ${multiTask.length} multi-task stages` : '';
    sections.push(`<h3>${esc(`${r.configId} ${r.job} · ${r.configLabel}${note}`)}</h3>`);
    sections.push(boxChart(`task-time-${r.key}`, `Task time per stage, ${r.key}`, boxes, (v) => `${Math.round(v)} ms`));
  }

  // Shuffle and spill.
  sections.push(`<h2>Shuffle and spill</h2>`);
  const volumeRows = reps.filter((r) => r.totals !== null);
  sections.push(
    volumeRows.length > 0
      ? stackedBarChart(
          'shuffle',
          'Shuffle bytes',
          volumeRows.map((r) => ({
            label: `${r.configId} ${r.job}`,
            parts: [
              { name: 'shuffle write', value: r.totals!.shuffleWriteBytes },
              { name: 'shuffle read', value: r.totals!.shuffleReadBytes },
            ],
          })),
          bytes,
        ) +
          stackedBarChart(
            'spill',
            'Spill bytes',
            volumeRows.map((r) => ({
              label: `${r.configId} ${r.job}`,
              parts: [
                { name: 'memory spill', value: r.totals!.memorySpilledBytes },
                { name: 'disk spill', value: r.totals!.diskSpilledBytes },
              ],
            })),
            bytes,
          )
      : '<p class="muted">No metrics.</p>',
  );

  if (failed.length > 0) {
    sections.push(
      `<h2>Failed runs</h2><table><tr><th>run</th><th>kind</th><th>error</th><th>log</th></tr>${failed
        .map((r) =>
          r.state === 'failed' ? `<tr><td>${esc(r.key)}</td><td>${r.error.kind}</td><td>${esc(r.error.message)}</td><td>${esc(r.log)}</td></tr>` : '',
        )
        .join('')}</table>`,
    );
  }
  if (differences !== undefined && differences.length > 0) {
    sections.push(
      `<h2 class="bad">Output tables that differ</h2><table><tr><th>table</th><th>checksum</th><th>runs</th></tr>${differences
        .flatMap((d) => d.variants.map((v) => `<tr><td>${esc(d.table)}</td><td>${esc(v.checksum)}</td><td>${esc(v.runs.join(', '))}</td></tr>`))
        .join('')}</table>`,
    );
  }

  // The findings section brings its own heading (findings.ts).
  sections.push(await (options.findings ?? findingsSection)(run, options.pictures ?? []));

  return page({ title: `bench report ${meta.runId}`, css: CSS, body: `<h1>bench report · ${esc(meta.runId)}</h1>\n${sections.join('\n')}\n` });
}
