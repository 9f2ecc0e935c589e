// One benchmark worker thread: makes its own synthetic batch once (untimed), then on each "run" message writes it
// `repeat` times through our writer and posts the result. The main thread times the wall clock across workers.

import { parentPort, workerData } from 'node:worker_threads';
import { interactions } from '../schema.ts';
import { syntheticInteractions } from './synthetic.ts';
import { writeOurs } from './writers.ts';

export interface WorkerInit {
  readonly rows: number;
  readonly seed: number;
}
export type WorkerRequest = { readonly kind: 'run'; readonly repeat: number } | { readonly kind: 'stop' };

const init = workerData as WorkerInit;
const batch = syntheticInteractions({ rows: init.rows, seed: init.seed });
const port = parentPort!;
port.postMessage({ kind: 'ready' });
port.on('message', (msg: WorkerRequest) => {
  if (msg.kind === 'stop') {
    port.close();
    return;
  }
  writeOurs({ dataset: interactions, batch, repeat: msg.repeat }).then(
    (result) => port.postMessage({ kind: 'done', result }),
    (err: unknown) => port.postMessage({ kind: 'failed', message: String(err) }),
  );
});
