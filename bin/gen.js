#!/usr/bin/env node
// Runs gen from its esbuild bundle (generator/bundle.mjs: built on first use, rebuilt when the sources change), so
// `npm ci` alone leaves the command usable (no build step to forget); through tsx when no bundle can be built or
// GEN_NO_BUNDLE=1 (the TypeScript sources directly, e.g. for --cpu-prof with .ts positions).
import { pathToFileURL } from 'node:url';
import { genBundle } from '../generator/bundle.mjs';

const dir = await genBundle();
let main;
if (dir) {
  // The bundle is generator/cli.ts itself, built: the dependency tools follow the literal import below.
  ({ main } = await import(`${pathToFileURL(`${dir}/cli.js`).href}`));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../generator/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
