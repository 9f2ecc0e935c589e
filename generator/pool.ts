// Runs file tasks on worker threads (one per core by default), or inline when one worker is asked for (tests,
// tiny runs: a worker's start-up costs more than a tiny file). Results arrive in completion order; callers must
// not depend on it (every file is a pure function of the plan).

import { Worker } from 'node:worker_threads';
import { GenerationError } from './errors.ts';
import { createModel, type Plan } from './model.ts';
import type { BodySampler, BodySums } from './plan.ts';
import { openSink } from './open-sink.ts';
import { generateFileTask, type FileRecord, type FileTask } from './tasks.ts';

/**
 * Spawns `count` worker threads that load their modules while the caller is still planning (~0.6 s each to load
 * tsx and the generator, measured); runPool hands them the plan. The caller terminates them (also on failure).
 */
/**
 * A worker thread's entry: worker.js beside this module when gen runs from its bundle (bundle.mjs), else
 * worker-entry.mjs, which registers tsx in the thread before loading worker.ts.
 */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './worker-entry.mjs' : './worker.js', import.meta.url);

export function startWorkers(count: number, out: string, endpoint: string | undefined): Worker[] {
  return Array.from({ length: count }, () => {
    const w = new Worker(WORKER_ENTRY, { workerData: { out, endpoint } });
    w.on('error', () => undefined); // reported by runPool's own listener; never an unhandled 'error' meanwhile
    return w;
  });
}

/** A planner helper (plan.ts BodySampler) on thread `w`: it computes its part of the user sample and replies. */
export function sampleOnThread(w: Worker): BodySampler {
  return (plan, part, parts) =>
    new Promise<BodySums>((resolve, reject) => {
      const done = (): void => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      const onMessage = (msg: { type: string; part?: number; sums?: BodySums }): void => {
        if (msg.type !== 'sampled' || msg.part !== part) return;
        done();
        resolve(msg.sums!);
      };
      const onError = (e: Error): void => {
        done();
        reject(new GenerationError('worker_crashed', e.message));
      };
      const onExit = (code: number): void => {
        done();
        reject(new GenerationError('worker_crashed', `worker exited with code ${code} while planning`));
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({ type: 'sample', plan, part, parts });
    });
}

export interface PoolOptions {
  readonly plan: Plan;
  /** Threads from startWorkers (at least `workers` of them); spawned here when absent. */
  readonly threads?: readonly Worker[] | undefined;
  readonly out: string;
  readonly endpoint?: string | undefined;
  readonly workers: number;
  readonly tasks: readonly FileTask[];
  readonly onRows: (rows: number) => void;
  readonly onRecord: (record: FileRecord) => Promise<void>;
}

export async function runPool(opts: PoolOptions): Promise<void> {
  const workers = Math.max(1, Math.min(opts.workers, opts.tasks.length));
  if (opts.tasks.length === 0) return;
  if (workers === 1) {
    const model = createModel(opts.plan);
    const sink = await openSink(opts.out, opts.endpoint);
    const failed =
      (task: FileTask) =>
      (e: unknown): never => {
        throw new GenerationError('write_failed', `${task.key}: ${e instanceof Error ? e.message : String(e)}`);
      };
    // The next file is generated while the previous one commits (fsync); records stay in task order.
    let previous: Promise<void> = Promise.resolve();
    for (const task of opts.tasks) {
      const commit = await generateFileTask(model, task, sink, opts.onRows).catch(failed(task));
      const before = previous;
      previous = (async () => {
        const record = await commit().catch(failed(task));
        await before;
        await opts.onRecord(record);
      })();
      previous.catch(() => undefined); // observed below; never an unhandled rejection meanwhile
      await before;
    }
    await previous;
    return;
  }
  const queue = [...opts.tasks];
  const threads: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const fail = (e: Error): void => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      const next = (w: Worker): void => {
        const task = queue.shift();
        if (!task) {
          if (running === 0) resolve();
          return;
        }
        running += 1;
        w.postMessage(task);
      };
      for (let i = 0; i < workers; i += 1) {
        const w = opts.threads?.[i] ?? new Worker(WORKER_ENTRY, { workerData: { out: opts.out, endpoint: opts.endpoint } });
        threads.push(w);
        w.on('message', (msg: { type: string; rows?: number; record?: FileRecord; message?: string }) => {
          if (failed) return;
          if (msg.type === 'ready' || msg.type === 'generated') next(w);
          else if (msg.type === 'loaded')
            return; // the plan is posted below, whenever the thread loaded
          else if (msg.type === 'rows') opts.onRows(msg.rows!);
          else if (msg.type === 'record') {
            opts.onRecord(msg.record!).then(
              () => {
                running -= 1;
                if (queue.length === 0 && running === 0) resolve();
              },
              (e: Error) => fail(e),
            );
          } else if (msg.type === 'error') fail(new GenerationError('write_failed', msg.message ?? 'worker failed'));
        });
        w.on('error', (e) => fail(new GenerationError('worker_crashed', e.message)));
        w.on('exit', (code) => {
          if (code !== 0) fail(new GenerationError('worker_crashed', `worker exited with code ${code}`));
        });
        w.postMessage({ type: 'plan', plan: opts.plan }); // queued until the thread listens
      }
    });
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
