// Entry of a benchmark worker thread. Plain JavaScript on purpose: `execArgv: ['--import', 'tsx']` does not reach
// worker threads on Node 20 ("Unknown file extension .ts"), so the worker registers tsx itself (as ../worker-entry.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
