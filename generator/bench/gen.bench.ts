// `npm run bench:gen`: first gen end to end against DuckDB COPY and tpchgen-cli (compare.ts), then how fast
// Parquet gets written, against parquetjs-lite measured in the same run: every writer gets the same synthetic
// interactions batch (made once, untimed); medians of several runs. Not a test: numbers on a shared machine are
// noisy, so compare the ratios, not the absolute figures. BENCH_WRITERS=0 skips the writer table.

import { Worker } from 'node:worker_threads';
import { interactions } from '../schema.ts';
import { compareGenerators } from './compare.ts';
import { benchKernels } from './kernels.ts';
import { syntheticInteractions } from './synthetic.ts';
import type { WorkerInit, WorkerRequest } from './worker.ts';
import { startClocks, type WriteResult, writeOurs, writeParquetjs, writeParquetWasm } from './writers.ts';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const BATCH_ROWS = 1_000_000;
const REPEAT = env('BENCH_REPEAT', 6); // rows per run of ours = 6 M (~70 MB of Parquet; 2 workers: twice that)
const RUNS = env('BENCH_RUNS', 5);
const BASELINE_ROWS = env('BENCH_BASELINE_ROWS', 150_000);

interface Line {
  readonly name: string;
  readonly rows: number;
  readonly rowsPerSecond: number;
  readonly mbPerSecond: number;
  /** Rows per CPU second of the process (all its threads); undefined where not measurable (a child process). */
  readonly rowsPerCpuSecond: number | undefined;
  readonly bytesPerRow: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function medianOf(name: string, runs: number, run: () => Promise<WriteResult>): Promise<Line> {
  const results: WriteResult[] = [];
  for (let r = 0; r < runs; r++) results.push(await run());
  const rps = median(results.map((x) => x.rows / x.seconds));
  const mbps = median(results.map((x) => x.bytes / 1e6 / x.seconds));
  const last = results[results.length - 1]!;
  const rpcs = median(results.map((x) => x.rows / x.cpuSeconds));
  const line = { name, rows: last.rows, rowsPerSecond: rps, mbPerSecond: mbps, rowsPerCpuSecond: rpcs, bytesPerRow: last.bytes / last.rows };
  process.stderr.write(`  ${name}: ${(rps / 1e6).toFixed(2)} M rows/s over ${runs} runs\n`);
  return line;
}

/** Two worker threads, one file each (as `gen` does): wall clock from "go" to both done. */
async function twoWorkers(runs: number): Promise<Line> {
  const workers = [0, 1].map(
    (i) =>
      new Worker(new URL('./worker-entry.mjs', import.meta.url), {
        workerData: { rows: BATCH_ROWS, seed: 11 + i } satisfies WorkerInit,
      }),
  );
  const next = (w: Worker): Promise<{ kind: string; result?: WriteResult; message?: string }> =>
    new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  try {
    await Promise.all(workers.map(next)); // ready: batches made
    return await medianOf('ours, 2 worker threads', runs, async () => {
      const clocks = startClocks();
      const done = workers.map(next);
      for (const w of workers) w.postMessage({ kind: 'run', repeat: REPEAT } satisfies WorkerRequest);
      const replies = await Promise.all(done);
      const { seconds, cpuSeconds } = clocks();
      let rows = 0;
      let bytes = 0;
      for (const r of replies) {
        if (r.kind !== 'done' || !r.result) throw new Error(`worker failed: ${r.message}`);
        rows += r.result.rows;
        bytes += r.result.bytes;
      }
      return { rows, bytes, seconds, cpuSeconds };
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function printTable(lines: readonly Line[], baseline: Line): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(
    `\n${pad('writer', 42)} ${pad('rows', 10)} ${pad('M rows/s', 9)} ${pad('MB/s', 7)} ${pad('M rows/cpu-s', 13)} ${pad('B/row', 6)} vs parquetjs-lite (wall)`,
  );
  for (const l of lines) {
    console.log(
      `${pad(l.name, 42)} ${pad(String(l.rows), 10)} ${pad((l.rowsPerSecond / 1e6).toFixed(2), 9)} ${pad(l.mbPerSecond.toFixed(1), 7)} ${pad(l.rowsPerCpuSecond === undefined ? '-' : (l.rowsPerCpuSecond / 1e6).toFixed(2), 13)} ${pad(l.bytesPerRow.toFixed(1), 6)} ${(l.rowsPerSecond / baseline.rowsPerSecond).toFixed(1)}x`,
    );
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const scale = process.env.BENCH_GEN_SCALE ?? '256mb';
  const compareRuns = env('BENCH_COMPARE_RUNS', 3);
  process.stderr.write(
    `bench:gen: gen --scale ${scale} vs DuckDB COPY vs tpchgen-cli, ${compareRuns} interleaved runs (BENCH_GEN_SCALE, BENCH_COMPARE_RUNS)\n`,
  );
  await compareGenerators({ scale, runs: compareRuns });
  if (process.env.BENCH_WRITERS === '0') return;
  process.stderr.write(`bench:gen: ${RUNS} runs of ${REPEAT} x ${BATCH_ROWS} rows per writer (BENCH_RUNS, BENCH_REPEAT)\n`);
  const batch = syntheticInteractions({ rows: BATCH_ROWS, seed: 11 });
  const lines: Line[] = [];
  const baseline = await medianOf('parquetjs-lite, row objects (baseline)', 3, () => writeParquetjs({ dataset: interactions, batch, rows: BASELINE_ROWS }));
  lines.push(baseline);
  lines.push(await medianOf('parquet-wasm, Arrow from typed arrays', 3, () => writeParquetWasm({ dataset: interactions, batch, repeat: 2 })));
  lines.push(
    await medianOf('ours, PLAIN+snappy strings, 1 thread', RUNS, () => writeOurs({ dataset: interactions, batch, repeat: REPEAT, stringEncoding: 'plain' })),
  );
  lines.push(await medianOf('ours (default), 1 thread', RUNS, () => writeOurs({ dataset: interactions, batch, repeat: REPEAT })));
  lines.push(await twoWorkers(RUNS));
  printTable(lines, baseline);

  const kernels = await benchKernels(batch);
  console.log(`\n${'kernel (tinybench, 64 Ki rows)'.padEnd(42)} ${'ns/row'.padEnd(9)} MB/s`);
  for (const k of kernels) console.log(`${k.name.padEnd(42)} ${k.nsPerRow.toFixed(1).padEnd(9)} ${k.mbPerSecond.toFixed(0)}`);
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s; medians; the machine is shared, so compare ratios)`);
}

await main();
