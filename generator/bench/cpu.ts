// CPU per row of gen's two halves in one thread, on the plan of a real run: the engine alone (batches counted,
// not written) and engine + Parquet writer (bytes counted and hashed, not stored). Not a test, not the
// benchmark (that is `npm run bench:gen`): the steadier figure for one change against its parent commit, since
// process CPU time moves less than wall time on a shared machine. Same arguments, same sha: the bytes did not
// change.
//
//   node --import tsx generator/bench/cpu.ts [gen flags; default --scale 256mb --days 30 --end 2026-11-30]
//   (CPU_FILES day files, default 6; CPU_RUNS, default 3)

import { createHash } from 'node:crypto';
import { parseArgs } from '../cli.ts';
import { generateInteractionFile } from '../interactions.ts';
import { generateMetadataFile } from '../metadata.ts';
import { createModel } from '../model.ts';
import { createParquetWriter } from '../parquet/index.ts';
import { buildPlan } from '../plan.ts';
import { interactions, metadata } from '../schema.ts';

const files = Number(process.env.CPU_FILES ?? 6);
const runs = Number(process.env.CPU_RUNS ?? 3);
const argv = process.argv.length > 2 ? process.argv.slice(2) : ['--scale', '256mb', '--days', '30', '--end', '2026-11-30'];
const parsed = await parseArgs([...argv, '--out', '/nonexistent']);
if (parsed.kind !== 'run') throw new Error('usage: cpu.ts [gen flags]');
const t0 = performance.now();
const plan = await buildPlan(parsed.gen, { measure: false });
process.stderr.write(`plan: ${plan.users} users, ${plan.filesPerDay} file(s) a day, ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
const days = Array.from({ length: Math.min(files, plan.options.days) }, (_, f) => Math.floor(((f + 0.5) * plan.options.days) / files));

async function once(write: boolean): Promise<{ rows: number; bytes: number; cpuSeconds: number; sha: string }> {
  const m = createModel(plan); // a fresh model: the user table fills as in a worker's first files
  const h = createHash('sha256');
  let rows = 0;
  let bytes = 0;
  const out = async (c: Uint8Array): Promise<void> => {
    bytes += c.length;
    h.update(c);
  };
  const c0 = process.cpuUsage();
  for (const day of days) {
    if (!write) {
      await generateInteractionFile(m, day, 0, async (b) => {
        rows += b.rows;
      });
      continue;
    }
    const w = createParquetWriter({ dataset: interactions, out, rowGroupRows: plan.rowGroupRows });
    await generateInteractionFile(m, day, 0, async (b) => {
      rows += b.rows;
      await w.writeBatch(b);
    });
    await w.close();
  }
  if (write) {
    const w = createParquetWriter({ dataset: metadata, out, rowGroupRows: plan.metadataRowGroupRows });
    await generateMetadataFile(m, 0, 0, (b) => w.writeBatch(b));
    await w.close();
  }
  const c = process.cpuUsage(c0);
  return { rows, bytes, cpuSeconds: (c.user + c.system) / 1e6, sha: h.digest('hex').slice(0, 16) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const engine: number[] = [];
const both: number[] = [];
let last = { rows: 0, bytes: 0, cpuSeconds: 0, sha: '' };
for (let r = 0; r < runs; r += 1) {
  const e = await once(false);
  engine.push((e.cpuSeconds * 1e9) / e.rows);
  last = await once(true);
  both.push((last.cpuSeconds * 1e9) / last.rows);
  process.stderr.write(`  run ${r + 1}/${runs}: engine ${engine[r]!.toFixed(0)} ns/row, engine + writer ${both[r]!.toFixed(0)} ns/row\n`);
}
console.log(
  `gen ${argv.join(' ')}, days ${days.join(',')} (file 0 each) + metadata file 0 of country 0: ${last.rows} interaction rows, ${last.bytes} bytes, sha ${last.sha}`,
);
console.log(
  `CPU per interaction row, medians of ${runs}: engine ${median(engine).toFixed(0)} ns, engine + writer ${median(both).toFixed(0)} ns (writer ~${(median(both) - median(engine)).toFixed(0)} ns)`,
);
