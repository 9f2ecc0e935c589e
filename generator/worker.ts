// A worker thread: builds the Model once from the plan, then writes the files the main thread sends, one at a
// time, through its own sink. Messages: in {task}; out {rows} (progress), {generated} (the next task may come
// while this one commits), {record} or {error}.

import { parentPort, workerData } from 'node:worker_threads';
import { createModel, type Plan } from './model.ts';
import { openSink } from './open-sink.ts';
import { generateFileTask, type FileTask } from './tasks.ts';

interface WorkerInit {
  readonly plan: Plan;
  readonly out: string;
  readonly endpoint?: string;
}

const init = workerData as WorkerInit;
const model = createModel(init.plan);
const sink = await openSink(init.out, init.endpoint);
const port = parentPort!;

port.on('message', (task: FileTask) => {
  // 'generated' lets the pool send the next file while this one's commit (fsync, rename) runs.
  generateFileTask(model, task, sink, (rows) => port.postMessage({ type: 'rows', rows }))
    .then((commit) => {
      port.postMessage({ type: 'generated' });
      return commit();
    })
    .then((record) => port.postMessage({ type: 'record', record }))
    .catch((e: unknown) =>
      port.postMessage({ type: 'error', message: `${task.key}: ${e instanceof Error ? e.message : String(e)}` }),
    );
});
port.postMessage({ type: 'ready' });
