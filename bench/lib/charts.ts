// Inline SVG charts as strings: no scripts, no fonts, no network, so the report opens offline in any browser.
// Every drawn data mark carries class="mark" (the browser test counts them).

export function esc(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

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
  return frame(id, title, height, `${axis(max, x0, PAD + bars.length * ROW_H, format)}${rows.join('')}`, bars.every((b) => b.value === 0));
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
    return `<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${color(n)}"/><text x="${lx + 14}" y="${ly}" font-size="10">${esc(n.length > 40 ? n.slice(0, 39) + '…' : n)}</text>`;
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
