// A worker thread: builds the Model once from the plan, then writes the files the main thread sends, one at a
// time, through its own sink. Messages: in {plan} then {task}s; out {loaded}, {ready} (model built), {rows}
// (progress), {generated} (the next task may come while this one commits), {record} or {error}.

import { parentPort, workerData } from 'node:worker_threads';
import { createModel, type Plan } from './model.ts';
import { openSink } from './open-sink.ts';
import { sampleBodyPart } from './plan.ts';
import { generateFileTask, type FileTask } from './tasks.ts';

interface WorkerInit {
  readonly out: string;
  readonly endpoint?: string;
}

// Started before the plan exists (run.ts plans while the threads load their modules): the first message is the
// plan, then one file task per message.
const init = workerData as WorkerInit;
const sink = await openSink(init.out, init.endpoint);
const port = parentPort!;
let model: ReturnType<typeof createModel> | undefined;

port.on('message', (msg: { type: 'plan'; plan: Plan } | { type: 'sample'; plan: Plan; part: number; parts: number } | FileTask) => {
  if ('type' in msg && msg.type === 'sample') {
    // A share of the planner's user sample (plan.ts sampleBody), while this thread waits for the plan anyway.
    port.postMessage({ type: 'sampled', part: msg.part, sums: sampleBodyPart(msg.plan, msg.part, msg.parts) });
    return;
  }
  if ('type' in msg && msg.type === 'plan') {
    model = createModel(msg.plan);
    port.postMessage({ type: 'ready' });
    return;
  }
  const task = msg as FileTask;
  // 'generated' lets the pool send the next file while this one's commit (fsync, rename) runs.
  generateFileTask(model!, task, sink, (rows) => port.postMessage({ type: 'rows', rows }))
    .then((commit) => {
      port.postMessage({ type: 'generated' });
      return commit();
    })
    .then((record) => port.postMessage({ type: 'record', record }))
    .catch((e: unknown) => port.postMessage({ type: 'error', message: `${task.key}: ${e instanceof Error ? e.message : String(e)}` }));
});
port.postMessage({ type: 'loaded' });
