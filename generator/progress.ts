// Progress on stderr: a live bar on a terminal (rows/s, MB/s, ETA), plain lines every few seconds otherwise.
// Rows come from the writers as batches land; bytes from committed files (MB/s is of finished files).

import { formatBytes } from './units.ts';

export interface Progress {
  addRows(rows: number): void;
  fileDone(bytes: number): void;
  finish(): void;
}

export function createProgress(opts: { mode: 'auto' | 'lines' | 'none'; expectedRows: number; totalFiles: number; stream?: NodeJS.WriteStream }): Progress {
  const stream = opts.stream ?? process.stderr;
  const mode = opts.mode === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : opts.mode;
  const started = performance.now();
  let rows = 0;
  let bytes = 0;
  let files = 0;
  let lastPrint = started;
  const line = (): string => {
    const secs = Math.max(1e-3, (performance.now() - started) / 1000);
    const rate = rows / secs;
    const frac = opts.expectedRows > 0 ? Math.min(1, rows / opts.expectedRows) : 0;
    const eta = rate > 0 && frac < 1 ? (opts.expectedRows - rows) / rate : 0;
    const pct = `${(frac * 100).toFixed(1).padStart(5)}%`;
    return `${pct} files ${files}/${opts.totalFiles}  ${(rate / 1e6).toFixed(2)} M rows/s  ${(bytes / secs / 1048576).toFixed(1)} MB/s  ${formatBytes(bytes)}  ETA ${Math.ceil(eta)} s`;
  };
  const maybePrint = (force: boolean): void => {
    if (mode === 'none') return;
    const now = performance.now();
    if (mode === 'bar') {
      if (!force && now - lastPrint < 200) return;
      const width = 24;
      const frac = opts.expectedRows > 0 ? Math.min(1, rows / opts.expectedRows) : 0;
      const filled = Math.round(frac * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line()}\u001b[K`);
    } else {
      if (!force && now - lastPrint < 5000) return;
      stream.write(`gen: ${line()}\n`);
    }
    lastPrint = now;
  };
  return {
    addRows(n) {
      rows += n;
      maybePrint(false);
    },
    fileDone(b) {
      bytes += b;
      files += 1;
      maybePrint(false);
    },
    finish() {
      maybePrint(true);
      if (mode === 'bar') stream.write('\n');
    },
  };
}
