// Assembles the one HTML page: charts (SVG strings from charts.ts) in sections, then the written analysis. A strict
// Content-Security-Policy forbids every fetch, so even a future edit that adds an external link cannot load it.
import type { Analysis } from './analyze.ts';
import { shareFraction } from './analyze.ts';
import { columnChart, lineChart, stackedShareChart } from '../lib/charts.ts';
import { esc, page } from '../lib/html.ts';
import { weekdayNames } from './stats.ts';
import type { Insight, InsightsTables } from './types.ts';

const minutes = (ms: number): number => ms / 60_000;
const minFmt = (v: number): string => `${+v.toFixed(1)} min`;
const pctFmt = (v: number): string => `${+(v * 100).toFixed(1)}%`;

interface Section {
  title: string;
  charts: string[];
  /** Extra HTML under the charts (a table), already escaped. */
  after?: string;
}

function segmentTable(summaries: Analysis['segments'][number]['summaries']): string {
  const rows = summaries
    .slice(0, 12)
    .map(
      (s) =>
        `<tr><td>${esc(s.segment)}</td><td>${pctFmt(s.dauShare)}</td><td>${pctFmt(s.stickiness)}</td>` +
        `<td>${Math.round(s.sessions).toLocaleString('en-US')}</td><td>${minFmt(minutes(s.avgDurationMs))}</td><td>${s.avgActions.toFixed(2)}</td></tr>`,
    )
    .join('');
  const more = summaries.length > 12 ? `<caption>largest 12 of ${summaries.length} by DAU</caption>` : '';
  return `<table class="segments">${more}<thead><tr><th>segment</th><th>share of DAU</th><th>stickiness</th><th>sessions</th><th>avg session</th><th>actions/session</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function absent(table: string): string {
  return `<p class="absent">Table <code>${table}</code> is not in this output folder.</p>`;
}

function sections(t: InsightsTables, a: Analysis): Section[] {
  const dates = t.daily.map((d) => d.date);
  const sDates = t.sessionsDaily.map((d) => d.date);
  const out: Section[] = [];
  out.push({
    title: 'Active users',
    charts: [
      lineChart({
        id: 'dau-wau-mau',
        title: 'DAU, WAU (trailing 7 d), MAU (trailing 30 d)',
        dates,
        series: [
          { name: 'DAU', values: t.daily.map((d) => d.dau) },
          { name: 'WAU', values: t.daily.map((d) => d.wau) },
          { name: 'MAU', values: t.daily.map((d) => d.mau) },
        ],
      }),
      lineChart({
        id: 'stickiness',
        title: 'Stickiness (DAU / MAU)',
        dates,
        yFormat: pctFmt,
        series: [{ name: 'stickiness', values: t.daily.map((d) => d.stickiness) }],
      }),
      columnChart({ id: 'new-users', title: 'New users per day', categories: dates.map((d) => d.slice(5)), values: t.daily.map((d) => d.new_users) }),
      columnChart({
        id: 'weekday',
        title: 'Weekday pattern: DAU ÷ centred 7-day mean',
        categories: [...weekdayNames],
        values: a.weekday.index,
        reference: 1,
        yFormat: (v) => v.toFixed(2),
      }),
      columnChart({
        id: 'weekday-sessions',
        title: 'Weekday pattern: sessions ÷ centred 7-day mean',
        categories: [...weekdayNames],
        values: a.weekdaySessions.index,
        reference: 1,
        yFormat: (v) => v.toFixed(2),
      }),
      t.monthly
        ? columnChart({
            id: 'monthly-mau',
            title: 'Calendar-month MAU',
            categories: t.monthly.map((m) => m.month.slice(0, 7)),
            values: t.monthly.map((m) => m.mau),
          })
        : absent('monthly'),
    ],
  });
  out.push({
    title: 'Sessions',
    charts: [
      lineChart({ id: 'sessions', title: 'Sessions per day', dates: sDates, series: [{ name: 'sessions', values: t.sessionsDaily.map((s) => s.sessions) }] }),
      lineChart({
        id: 'session-duration',
        title: 'Session duration p50 / p90 / p99 (minutes)',
        dates: sDates,
        yFormat: minFmt,
        series: [
          { name: 'p50', values: t.sessionsDaily.map((s) => minutes(s.p50_duration_ms)) },
          { name: 'p90', values: t.sessionsDaily.map((s) => minutes(s.p90_duration_ms)) },
          { name: 'p99', values: t.sessionsDaily.map((s) => minutes(s.p99_duration_ms)) },
        ],
      }),
      lineChart({
        id: 'actions-per-session',
        title: 'Actions per session',
        dates: sDates,
        yFormat: (v) => v.toFixed(1),
        series: [{ name: 'actions', values: t.sessionsDaily.map((s) => s.avg_actions) }],
      }),
    ],
  });
  for (const b of a.segments) {
    const label = b.dimension.replace('_', ' ');
    const shown = b.summaries.slice(0, 8);
    out.push({
      title: `By ${label}`,
      charts: [
        lineChart({
          id: `dau-by-${b.dimension}`,
          title: `DAU by ${label} (top ${Math.min(b.dauSeries.length, 5)}, rest as "other")`,
          dates: b.dates,
          series: b.dauSeries,
        }),
        columnChart({
          id: `duration-by-${b.dimension}`,
          title: `Average session duration by ${label} (minutes, largest ${shown.length})`,
          categories: shown.map((s) => s.segment),
          values: shown.map((s) => minutes(s.avgDurationMs)),
          yFormat: minFmt,
        }),
        columnChart({
          id: `actions-by-${b.dimension}`,
          title: `Actions per session by ${label} (largest ${shown.length})`,
          categories: shown.map((s) => s.segment),
          values: shown.map((s) => s.avgActions),
          yFormat: (v) => v.toFixed(1),
        }),
      ],
      after: segmentTable(b.summaries),
    });
  }
  if (a.segments.length === 0) out.push({ title: 'Segments', charts: [absent('daily_by_segment')] });
  out.push({
    title: 'Data quality and outliers',
    charts: [
      t.quarantineByReason
        ? columnChart({
            id: 'quarantine',
            title: 'Quarantined rows by reason',
            categories: t.quarantineByReason.map((q) => q.reason),
            values: t.quarantineByReason.map((q) => q.rows),
          })
        : absent('quarantine'),
      lineChart({
        id: 'outlier-cap',
        title: 'Average session duration: capped vs uncapped (minutes)',
        dates: sDates,
        yFormat: minFmt,
        series: [
          { name: 'capped', values: t.sessionsDaily.map((s) => minutes(s.avg_duration_ms)) },
          { name: 'uncapped', values: t.sessionsDaily.map((s) => minutes(s.avg_duration_uncapped_ms)) },
        ],
      }),
    ],
  });
  const top = t.topUsers?.slice(0, 10) ?? [];
  const allShares = t.topUsers?.map((u) => u.share) ?? [];
  out.push({
    title: 'App versions and hot users',
    charts: [
      a.rollout
        ? stackedShareChart({
            id: 'app-versions',
            title: `Share of events by app version (newest ${a.rollout.newest} on top)`,
            dates: a.rollout.dates,
            series: a.rollout.shares,
          })
        : absent('app_versions_daily'),
      t.topUsers
        ? columnChart({
            id: 'top-users',
            title: 'Top users: share of all events',
            categories: top.map((u) => u.user_id),
            values: top.map((u) => shareFraction(u.share, allShares)),
            yFormat: (v) => `${+(v * 100).toFixed(2)}%`,
          })
        : absent('top_users'),
    ],
  });
  return out;
}

function evidenceText(f: Insight): string {
  return Object.entries(f.evidence)
    .map(([k, v]) => `${k}=${v}`)
    .join(' · ');
}

export interface PageInput {
  tables: InsightsTables;
  analysis: Analysis;
  findings: Insight[];
  generatedAt: string;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#0f172a;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e2e8f0}
.meta{color:#475569}.grid{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;border:1px solid #e2e8f0;border-radius:6px;padding:4px}
svg .title{font-size:13px;font-weight:600;fill:#0f172a}svg .legend,svg .tick{font-size:11px;fill:#475569}
svg .grid{stroke:#e2e8f0}svg .axis{stroke:#94a3b8}svg .ref{stroke:#0f172a;stroke-dasharray:4 3}
ol li{margin:6px 0}table.segments{border-collapse:collapse;margin-top:10px;font-size:12px}
table.segments th,table.segments td{border-bottom:1px solid #e2e8f0;padding:3px 10px;text-align:right}
table.segments th:first-child,table.segments td:first-child{text-align:left}caption{text-align:left;color:#64748b}
small{color:#64748b;font-family:ui-monospace,monospace;font-size:11px}.absent{color:#94a3b8;width:640px}
`;

export function renderPage({ tables: t, analysis, findings, generatedAt }: PageInput): string {
  const first = t.daily[0]?.date ?? '';
  const last = t.daily[t.daily.length - 1]?.date ?? '';
  const body = sections(t, analysis)
    .map((s) => `<section><h2>${esc(s.title)}</h2><div class="grid">${s.charts.map((c) => `<figure>${c}</figure>`).join('')}</div>${s.after ?? ''}</section>`)
    .join('\n');
  const items = findings.map((f) => `<li data-finding="${esc(f.id)}">${esc(f.text)}<br><small>${esc(evidenceText(f))}</small></li>`).join('\n');
  return page({
    title: `Insights: ${first} to ${last}`,
    css: CSS,
    body: `<h1>Product insights</h1>
<p class="meta">${esc(t.outDir)} · ${esc(first)} to ${esc(last)} (${t.daily.length} days, UTC)${t.run?.job ? ` · job ${esc(String(t.run.job))}` : ''} · generated ${esc(generatedAt)}</p>
${body}
<section><h2>Analysis</h2>
<p class="meta">Generated from the tables above. A pattern is claimed only when it clears the threshold stated with it; the numbers behind each sentence follow it.</p>
<ol id="findings">
${items}
</ol></section>
`,
  });
}
