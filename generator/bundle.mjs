// gen's bundle: generator/ (cli.ts and worker.ts, the S3 sink as its own lazily loaded chunk) built by esbuild
// into .cache/gen-dist/<hash of the sources>/ on first use (~0.3 s, once per change of the sources), so `npm ci`
// alone still leaves `gen` usable and an edit is picked up by the next run. Plain JavaScript: bin/gen.js loads it
// before anything can compile TypeScript.
//
// Why not tsx at run time (as before 2026-12-02): tsx resolves and compiles every module through a loader thread,
// in the main thread and again in every worker thread: `gen --scale 256mb --days 30 --workers 2` spent ~1 s of CPU
// per worker and as much in each worker's loader thread (node --cpu-prof), while the main thread was planning on
// the same two cores, i.e. on the run's critical path. Loading the bundle takes ~0.1 s.
//
// A finished bundle folder is never written again (a new hash gets a new folder, built in a temporary folder and
// renamed into place), so concurrent runs and a run that is still loading chunks never see a half-written one.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');

/** Sources that go into the bundle: generator/ without its tests and benchmarks. */
function sources() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'bench' && e.name !== 'node_modules') walk(p);
      } else if (/\.(ts|mjs|json)$/.test(e.name) && !e.name.endsWith('.test.ts')) out.push(p);
    }
  };
  walk(here);
  return out.sort();
}

/**
 * The folder holding the bundle's cli.js and worker.js for the current sources, built if missing; undefined when
 * it cannot be built (no esbuild: the caller falls back to tsx).
 */
export async function genBundle() {
  if (process.env.GEN_NO_BUNDLE === '1') return undefined;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  const h = createHash('sha256');
  h.update(`esbuild ${esbuild.version} node ${process.versions.node}\n`);
  h.update(readFileSync(join(root, 'package.json')));
  for (const f of sources()) {
    h.update(`${relative(root, f)}\n`);
    h.update(readFileSync(f));
  }
  const dir = join(root, '.cache', 'gen-dist', h.digest('hex').slice(0, 16));
  if (existsSync(join(dir, 'cli.js'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await esbuild.build({
      entryPoints: [join(here, 'cli.ts'), join(here, 'worker.ts')],
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: 'external',
      outdir: tmp,
      logLevel: 'silent',
    });
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (!existsSync(join(dir, 'cli.js'))) throw e; // another run finished the same bundle first: use it
    }
    return dir;
  } catch {
    return undefined;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
