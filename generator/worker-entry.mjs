// Entry of a worker thread. Plain JavaScript on purpose: `execArgv: ['--import', 'tsx']` does not reach worker
// threads on Node 20 (measured: "Unknown file extension .ts"), and loader hooks registered in the main thread
// are not inherited, so the worker registers tsx itself before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
