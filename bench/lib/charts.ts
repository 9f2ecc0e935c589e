// bench's one chart module: inline SVG as strings, no scripts, no fonts, no network, so every page opens offline in
// any browser. Every drawn data mark carries class="mark" (the browser tests count them).
// Two families share it: category charts with labels on the left (the run report: barChart, stackedBarChart,
// boxChart) and fixed-size plots over dates or categories (the insights page: lineChart, columnChart,
// stackedShareChart).
import { esc } from './html.ts';

export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const LABEL_W = 260;
const ROW_H = 22;
const PLOT_W = 520;
const PAD = 30;

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (value <= m * exp) return m * exp;
  return 10 * exp;
}

function axis(max: number, x0: number, y: number, format: (v: number) => string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const x = x0 + f * PLOT_W;
    return `<line x1="${x}" y1="${PAD - 4}" x2="${x}" y2="${y}" stroke="#ddd"/><text x="${x}" y="${y + 14}" font-size="10" text-anchor="middle" fill="#555">${esc(format(f * max))}</text>`;
  });
  return ticks.join('');
}

function frame(id: string, title: string, height: number, body: string, allZero = false): string {
  const width = LABEL_W + PLOT_W + 150;
  // An all-zero chart (e.g. no spill anywhere) draws no marks on purpose; say so instead of looking broken.
  const note = allZero ? `<text x="${LABEL_W + 8}" y="${PAD - 10}" font-size="11" fill="#070">all values are zero</text>` : '';
  return `<svg class="chart" data-chart="${esc(id)}"${allZero ? ' data-all-zero="true"' : ''} xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${note}${body}</svg>`;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Optional whisker (e.g. min–max over repeats). */
  readonly low?: number;
  readonly high?: number;
  readonly color?: string;
  readonly note?: string;
}

/** Horizontal bars with optional min–max whiskers. */
export function barChart(id: string, title: string, bars: readonly Bar[], format: (v: number) => string): string {
  const max = niceMax(Math.max(...bars.map((b) => Math.max(b.value, b.high ?? 0)), 0));
  const height = PAD + bars.length * ROW_H + 24;
  const x0 = LABEL_W;
  const scale = (v: number) => (Number.isFinite(v) ? (v / max) * PLOT_W : 0);
  const rows = bars.map((b, i) => {
    const y = PAD + i * ROW_H;
    const w = Math.max(scale(b.value), b.value > 0 ? 1 : 0);
    const whisker =
      b.low !== undefined && b.high !== undefined && b.high > b.low
        ? `<line x1="${x0 + scale(b.low)}" y1="${y + ROW_H / 2}" x2="${x0 + scale(b.high)}" y2="${y + ROW_H / 2}" stroke="#222" stroke-width="1.5"/>`
        : '';
    return `<text x="${x0 - 6}" y="${y + ROW_H / 2 + 4}" font-size="11" text-anchor="end">${esc(b.label)}</text><rect class="mark" x="${x0}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW_H - 6}" fill="${b.color ?? PALETTE[0]}"><title>${esc(`${b.label}: ${format(b.value)}${b.note ? ` ${b.note}` : ''}`)}</title></rect>${whisker}<text x="${x0 + w + 4}" y="${y + ROW_H / 2 + 4}" font-size="10" fill="#333">${esc(format(b.value) + (b.note ? ` ${b.note}` : ''))}</text>`;
  });
  return frame(
    id,
    title,
    height,
    `${axis(max, x0, PAD + bars.length * ROW_H, format)}${rows.join('')}`,
    bars.every((b) => b.value === 0),
  );
}

export interface StackedRow {
  readonly label: string;
  readonly parts: readonly { readonly name: string; readonly value: number }[];
}

/** Horizontal stacked bars; each part's colour is fixed by its name so the same stage has the same colour per row. */
export function stackedBarChart(id: string, title: string, rows: readonly StackedRow[], format: (v: number) => string): string {
  const max = niceMax(Math.max(...rows.map((r) => r.parts.reduce((s, p) => s + p.value, 0)), 0));
  const names = [...new Set(rows.flatMap((r) => r.parts.map((p) => p.name)))];
  const color = (name: string) => PALETTE[names.indexOf(name) % PALETTE.length]!;
  const x0 = LABEL_W;
  const plotBottom = PAD + rows.length * ROW_H;
  const legendRows = Math.ceil(names.length / 3);
  const height = plotBottom + 30 + legendRows * 16;
  const body = rows.map((r, i) => {
    const y = PAD + i * ROW_H;
    let x = x0;
    const rects = r.parts.map((p) => {
      const w = (p.value / max) * PLOT_W;
      const rect = `<rect class="mark" x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(w, p.value > 0 ? 0.5 : 0).toFixed(1)}" height="${ROW_H - 6}" fill="${color(p.name)}" stroke="#fff" stroke-width="0.5"><title>${esc(`${r.label} · ${p.name}: ${format(p.value)}`)}</title></rect>`;
      x += w;
      return rect;
    });
    return `<text x="${x0 - 6}" y="${y + ROW_H / 2 + 4}" font-size="11" text-anchor="end">${esc(r.label)}</text>${rects.join('')}`;
  });
  const legend = names.map((n, i) => {
    const lx = 10 + (i % 3) * 260;
    const ly = plotBottom + 28 + Math.floor(i / 3) * 16;
    return `<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${color(n)}"/><text x="${lx + 14}" y="${ly}" font-size="10">${esc(n.length > 40 ? `${n.slice(0, 39)}…` : n)}</text>`;
  });
  const allZero = rows.every((r) => r.parts.every((p) => p.value === 0));
  return frame(id, title, height, `${axis(max, x0, plotBottom, format)}${body.join('')}${legend.join('')}`, allZero);
}

export interface Box {
  readonly label: string;
  readonly min: number;
  readonly p25: number;
  readonly median: number;
  readonly p75: number;
  readonly max: number;
}

/** Box plots (min, p25, median, p75, max), one row each: a max far right of the box is a straggler task, i.e. skew. */
export function boxChart(id: string, title: string, boxes: readonly Box[], format: (v: number) => string): string {
  const max = niceMax(Math.max(...boxes.map((b) => b.max), 0));
  const x0 = LABEL_W;
  const s = (v: number) => x0 + (v / max) * PLOT_W;
  const height = PAD + boxes.length * ROW_H + 24;
  const body = boxes.map((b, i) => {
    const y = PAD + i * ROW_H;
    const mid = y + ROW_H / 2;
    const skewed = b.median > 0 && b.max / b.median >= 3;
    const fill = skewed ? '#e15759' : PALETTE[0];
    return `<text x="${x0 - 6}" y="${mid + 4}" font-size="11" text-anchor="end">${esc(b.label)}</text><line x1="${s(b.min)}" y1="${mid}" x2="${s(b.max)}" y2="${mid}" stroke="#333"/><rect class="mark" x="${s(b.p25).toFixed(1)}" y="${y + 4}" width="${Math.max(s(b.p75) - s(b.p25), 1).toFixed(1)}" height="${ROW_H - 8}" fill="${fill}" fill-opacity="0.7" stroke="#333"><title>${esc(`${b.label}: min ${format(b.min)}, p25 ${format(b.p25)}, median ${format(b.median)}, p75 ${format(b.p75)}, max ${format(b.max)}`)}</title></rect><line x1="${s(b.median)}" y1="${y + 4}" x2="${s(b.median)}" y2="${y + ROW_H - 4}" stroke="#000" stroke-width="2"/><line x1="${s(b.max)}" y1="${y + 6}" x2="${s(b.max)}" y2="${y + ROW_H - 6}" stroke="#333"/><text x="${s(b.max) + 4}" y="${mid + 4}" font-size="10" fill="${skewed ? '#b00' : '#333'}">${esc(`max ${format(b.max)}${b.median > 0 ? ` · ${(b.max / b.median).toFixed(1)}× median` : ''}`)}</text>`;
  });
  return frame(id, title, height, `${axis(max, x0, PAD + boxes.length * ROW_H, format)}${body.join('')}`);
}

// ─── Fixed-size plots over dates or categories (the insights page) ───

export interface Series {
  name: string;
  values: number[];
}

export interface LineChartOptions {
  id: string;
  title: string;
  dates: string[];
  series: Series[];
  /** Formats a y-axis tick. Default: compact numbers (1.2k, 3.4M). */
  yFormat?: (y: number) => string;
  /** Start the y axis at zero. Default true. */
  zeroBased?: boolean;
}

export interface ColumnChartOptions {
  id: string;
  title: string;
  categories: string[];
  values: number[];
  yFormat?: (y: number) => string;
  /** Draw a dashed reference line at this y (e.g. 1 for an index). */
  reference?: number;
}

export interface StackedShareChartOptions {
  id: string;
  title: string;
  dates: string[];
  /** Shares per day, bottom series first; each day's shares should sum to at most 1. */
  series: Series[];
}

const PLOT_WIDTH = 640;
const PLOT_HEIGHT = 260;
const MARGIN = { top: 34, right: 16, bottom: 30, left: 56 };
const INNER_W = PLOT_WIDTH - MARGIN.left - MARGIN.right;
const INNER_H = PLOT_HEIGHT - MARGIN.top - MARGIN.bottom;
/** Series colours of the fixed-size plots. */
export const SERIES_PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#64748b', '#ca8a04'];

export function compactNumber(y: number): string {
  const a = Math.abs(y);
  if (a >= 1e9) return `${+(y / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${+(y / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${+(y / 1e3).toFixed(1)}k`;
  return a >= 10 || a === 0 ? `${+y.toFixed(0)}` : `${+y.toFixed(2)}`;
}

/** "Nice" ticks (1, 2, 5 × 10^k) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 0.1);
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < hi) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}

const f = (x: number): string => x.toFixed(1);

function plotFrame(id: string, title: string, body: string, legend: string[]): string {
  const items = legend
    .map((name, i) => {
      const x = MARGIN.left + i * Math.min(110, INNER_W / Math.max(1, legend.length));
      return (
        `<rect x="${f(x)}" y="20" width="10" height="10" fill="${SERIES_PALETTE[i % SERIES_PALETTE.length]}"/>` +
        `<text x="${f(x + 14)}" y="29" class="legend">${esc(name.length > 14 ? `${name.slice(0, 13)}…` : name)}</text>`
      );
    })
    .join('');
  return (
    `<svg class="chart" data-chart="${esc(id)}" viewBox="0 0 ${PLOT_WIDTH} ${PLOT_HEIGHT}" width="${PLOT_WIDTH}" height="${PLOT_HEIGHT}" role="img" ` +
    `xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>` +
    `<text x="${MARGIN.left}" y="13" class="title">${esc(title)}</text>${items}${body}</svg>`
  );
}

function yAxis(ticks: number[], y: (v: number) => number, fmt: (v: number) => string): string {
  return ticks
    .map(
      (t) =>
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + INNER_W}" y1="${f(y(t))}" y2="${f(y(t))}" class="grid"/>` +
        `<text x="${MARGIN.left - 6}" y="${f(y(t) + 4)}" class="tick" text-anchor="end">${esc(fmt(t))}</text>`,
    )
    .join('');
}

function dateAxis(dates: string[], x: (i: number) => number): string {
  const n = dates.length;
  const every = Math.max(1, Math.ceil(n / 6));
  let out = `<line x1="${MARGIN.left}" x2="${MARGIN.left + INNER_W}" y1="${MARGIN.top + INNER_H}" y2="${MARGIN.top + INNER_H}" class="axis"/>`;
  for (let i = 0; i < n; i += every) {
    out += `<text x="${f(x(i))}" y="${MARGIN.top + INNER_H + 18}" class="tick" text-anchor="middle">${esc(dates[i]!.slice(5))}</text>`;
  }
  return out;
}

function emptyChart(id: string, title: string): string {
  return plotFrame(id, title, `<text x="${PLOT_WIDTH / 2}" y="${PLOT_HEIGHT / 2}" class="tick" text-anchor="middle">no data</text>`, []);
}

export function lineChart(o: LineChartOptions): string {
  const all = o.series.flatMap((s) => s.values).filter(Number.isFinite);
  if (o.dates.length === 0 || all.length === 0) return emptyChart(o.id, o.title);
  const fmt = o.yFormat ?? compactNumber;
  const ticks = niceTicks(o.zeroBased === false ? Math.min(...all) : Math.min(0, ...all), Math.max(...all));
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const x = (i: number): number => MARGIN.left + (o.dates.length === 1 ? INNER_W / 2 : (i / (o.dates.length - 1)) * INNER_W);
  const y = (v: number): number => MARGIN.top + INNER_H - ((v - lo) / (hi - lo)) * INNER_H;
  const paths = o.series
    .map((s, k) => {
      let d = '';
      let pen = false;
      s.values.forEach((v, i) => {
        if (!Number.isFinite(v)) {
          pen = false;
          return;
        }
        d += `${pen ? 'L' : 'M'}${f(x(i))},${f(y(v))}`;
        pen = true;
      });
      return `<path class="mark" d="${d}" fill="none" stroke="${SERIES_PALETTE[k % SERIES_PALETTE.length]}" stroke-width="1.6"><title>${esc(s.name)}</title></path>`;
    })
    .join('');
  return plotFrame(o.id, o.title, yAxis(ticks, y, fmt) + dateAxis(o.dates, x) + paths, o.series.length > 1 ? o.series.map((s) => s.name) : []);
}

export function columnChart(o: ColumnChartOptions): string {
  const vals = o.values.filter(Number.isFinite);
  if (o.categories.length === 0 || vals.length === 0) return emptyChart(o.id, o.title);
  const fmt = o.yFormat ?? compactNumber;
  const ticks = niceTicks(Math.min(0, ...vals), Math.max(...vals, o.reference ?? 0));
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const y = (v: number): number => MARGIN.top + INNER_H - ((v - lo) / (hi - lo)) * INNER_H;
  const slot = INNER_W / o.categories.length;
  const bw = Math.max(2, slot * 0.7);
  let body = yAxis(ticks, y, fmt);
  o.values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const x0 = MARGIN.left + i * slot + (slot - bw) / 2;
    const top = y(Math.max(0, v));
    const h = Math.max(1, Math.abs(y(v) - y(0)));
    body += `<rect class="mark" x="${f(x0)}" y="${f(top)}" width="${f(bw)}" height="${f(h)}" fill="${SERIES_PALETTE[0]}"><title>${esc(`${o.categories[i]}: ${fmt(v)}`)}</title></rect>`;
  });
  const every = Math.max(1, Math.ceil(o.categories.length / 12));
  o.categories.forEach((c, i) => {
    if (i % every !== 0) return;
    const label = c.length > 10 ? `${c.slice(0, 9)}…` : c;
    body += `<text x="${f(MARGIN.left + i * slot + slot / 2)}" y="${MARGIN.top + INNER_H + 18}" class="tick" text-anchor="middle">${esc(label)}</text>`;
  });
  if (o.reference !== undefined) {
    body += `<line x1="${MARGIN.left}" x2="${MARGIN.left + INNER_W}" y1="${f(y(o.reference))}" y2="${f(y(o.reference))}" class="ref"/>`;
  }
  body += `<line x1="${MARGIN.left}" x2="${MARGIN.left + INNER_W}" y1="${f(y(0))}" y2="${f(y(0))}" class="axis"/>`;
  return plotFrame(o.id, o.title, body, []);
}

export function stackedShareChart(o: StackedShareChartOptions): string {
  if (o.dates.length === 0 || o.series.length === 0) return emptyChart(o.id, o.title);
  const x = (i: number): number => MARGIN.left + (o.dates.length === 1 ? INNER_W / 2 : (i / (o.dates.length - 1)) * INNER_W);
  const y = (v: number): number => MARGIN.top + INNER_H - v * INNER_H;
  const base = new Array<number>(o.dates.length).fill(0);
  let body = yAxis([0, 0.25, 0.5, 0.75, 1], y, (v) => `${Math.round(v * 100)}%`) + dateAxis(o.dates, x);
  o.series.forEach((s, k) => {
    const top = base.map((b, i) => b + (s.values[i] ?? 0));
    const upper = top.map((v, i) => `${f(x(i))},${f(y(v))}`);
    const lower = base.map((v, i) => `${f(x(i))},${f(y(v))}`).reverse();
    body += `<path class="mark" d="M${upper.join('L')}L${lower.join('L')}Z" fill="${SERIES_PALETTE[k % SERIES_PALETTE.length]}" fill-opacity="0.85"><title>${esc(s.name)}</title></path>`;
    top.forEach((v, i) => {
      base[i] = v;
    });
  });
  return plotFrame(
    o.id,
    o.title,
    body,
    o.series.map((s) => s.name),
  );
}
