#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so `npm ci` alone leaves the command usable (no build step to forget).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../generator/cli.ts');
process.exitCode = await main(process.argv.slice(2));
