// Renders charts as inline SVG strings: no script, no fonts, no network, so the page opens offline in any browser.
// Three shapes cover every chart in the report: lines over dates, bars over categories, stacked shares over dates.

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

export interface BarChartOptions {
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

const W = 640;
const H = 260;
const M = { top: 34, right: 16, bottom: 30, left: 56 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
export const palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#64748b', '#ca8a04'];

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

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

function frame(id: string, title: string, body: string, legend: string[]): string {
  const items = legend
    .map((name, i) => {
      const x = M.left + i * Math.min(110, PW / Math.max(1, legend.length));
      return `<rect x="${f(x)}" y="20" width="10" height="10" fill="${palette[i % palette.length]}"/>` +
        `<text x="${f(x + 14)}" y="29" class="legend">${escapeXml(name.length > 14 ? `${name.slice(0, 13)}…` : name)}</text>`;
    })
    .join('');
  return (
    `<svg class="chart" data-chart="${escapeXml(id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" ` +
    `xmlns="http://www.w3.org/2000/svg"><title>${escapeXml(title)}</title>` +
    `<text x="${M.left}" y="13" class="title">${escapeXml(title)}</text>${items}${body}</svg>`
  );
}

function yAxis(ticks: number[], y: (v: number) => number, fmt: (v: number) => string): string {
  return ticks
    .map((t) => `<line x1="${M.left}" x2="${M.left + PW}" y1="${f(y(t))}" y2="${f(y(t))}" class="grid"/>` +
      `<text x="${M.left - 6}" y="${f(y(t) + 4)}" class="tick" text-anchor="end">${escapeXml(fmt(t))}</text>`)
    .join('');
}

function dateAxis(dates: string[], x: (i: number) => number): string {
  const n = dates.length;
  const every = Math.max(1, Math.ceil(n / 6));
  let out = `<line x1="${M.left}" x2="${M.left + PW}" y1="${M.top + PH}" y2="${M.top + PH}" class="axis"/>`;
  for (let i = 0; i < n; i += every) {
    out += `<text x="${f(x(i))}" y="${M.top + PH + 18}" class="tick" text-anchor="middle">${escapeXml(dates[i]!.slice(5))}</text>`;
  }
  return out;
}

function emptyChart(id: string, title: string): string {
  return frame(id, title, `<text x="${W / 2}" y="${H / 2}" class="tick" text-anchor="middle">no data</text>`, []);
}

export function lineChart(o: LineChartOptions): string {
  const all = o.series.flatMap((s) => s.values).filter(Number.isFinite);
  if (o.dates.length === 0 || all.length === 0) return emptyChart(o.id, o.title);
  const fmt = o.yFormat ?? compactNumber;
  const ticks = niceTicks(o.zeroBased === false ? Math.min(...all) : Math.min(0, ...all), Math.max(...all));
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const x = (i: number): number => M.left + (o.dates.length === 1 ? PW / 2 : (i / (o.dates.length - 1)) * PW);
  const y = (v: number): number => M.top + PH - ((v - lo) / (hi - lo)) * PH;
  const paths = o.series
    .map((s, k) => {
      let d = '';
      let pen = false;
      s.values.forEach((v, i) => {
        if (!Number.isFinite(v)) return void (pen = false);
        d += `${pen ? 'L' : 'M'}${f(x(i))},${f(y(v))}`;
        pen = true;
      });
      return `<path class="mark" d="${d}" fill="none" stroke="${palette[k % palette.length]}" stroke-width="1.6"><title>${escapeXml(s.name)}</title></path>`;
    })
    .join('');
  return frame(o.id, o.title, yAxis(ticks, y, fmt) + dateAxis(o.dates, x) + paths, o.series.length > 1 ? o.series.map((s) => s.name) : []);
}

export function barChart(o: BarChartOptions): string {
  const vals = o.values.filter(Number.isFinite);
  if (o.categories.length === 0 || vals.length === 0) return emptyChart(o.id, o.title);
  const fmt = o.yFormat ?? compactNumber;
  const ticks = niceTicks(Math.min(0, ...vals), Math.max(...vals, o.reference ?? 0));
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const y = (v: number): number => M.top + PH - ((v - lo) / (hi - lo)) * PH;
  const slot = PW / o.categories.length;
  const bw = Math.max(2, slot * 0.7);
  let body = yAxis(ticks, y, fmt);
  o.values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const x0 = M.left + i * slot + (slot - bw) / 2;
    const top = y(Math.max(0, v));
    const h = Math.max(1, Math.abs(y(v) - y(0)));
    body += `<rect class="mark" x="${f(x0)}" y="${f(top)}" width="${f(bw)}" height="${f(h)}" fill="${palette[0]}"><title>${escapeXml(`${o.categories[i]}: ${fmt(v)}`)}</title></rect>`;
  });
  const every = Math.max(1, Math.ceil(o.categories.length / 12));
  o.categories.forEach((c, i) => {
    if (i % every !== 0) return;
    const label = c.length > 10 ? `${c.slice(0, 9)}…` : c;
    body += `<text x="${f(M.left + i * slot + slot / 2)}" y="${M.top + PH + 18}" class="tick" text-anchor="middle">${escapeXml(label)}</text>`;
  });
  if (o.reference !== undefined) {
    body += `<line x1="${M.left}" x2="${M.left + PW}" y1="${f(y(o.reference))}" y2="${f(y(o.reference))}" class="ref"/>`;
  }
  body += `<line x1="${M.left}" x2="${M.left + PW}" y1="${f(y(0))}" y2="${f(y(0))}" class="axis"/>`;
  return frame(o.id, o.title, body, []);
}

export function stackedShareChart(o: StackedShareChartOptions): string {
  if (o.dates.length === 0 || o.series.length === 0) return emptyChart(o.id, o.title);
  const x = (i: number): number => M.left + (o.dates.length === 1 ? PW / 2 : (i / (o.dates.length - 1)) * PW);
  const y = (v: number): number => M.top + PH - v * PH;
  const base = new Array<number>(o.dates.length).fill(0);
  let body = yAxis([0, 0.25, 0.5, 0.75, 1], y, (v) => `${Math.round(v * 100)}%`) + dateAxis(o.dates, x);
  o.series.forEach((s, k) => {
    const top = base.map((b, i) => b + (s.values[i] ?? 0));
    const upper = top.map((v, i) => `${f(x(i))},${f(y(v))}`);
    const lower = base.map((v, i) => `${f(x(i))},${f(y(v))}`).reverse();
    body += `<path class="mark" d="M${upper.join('L')}L${lower.join('L')}Z" fill="${palette[k % palette.length]}" fill-opacity="0.85"><title>${escapeXml(s.name)}</title></path>`;
    top.forEach((v, i) => (base[i] = v));
  });
  return frame(o.id, o.title, body, o.series.map((s) => s.name));
}
