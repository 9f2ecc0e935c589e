// The files of a plan, in one fixed order, and the share each shard writes. Shard i takes every K-th file, so
// shards get a similar mix of days and countries; any shard count yields the same set of files.

import { isoDateOf } from './calendar.ts';
import { generateInteractionFile, type InteractionFileStats } from './interactions.ts';
import { generateMetadataFile, type MetadataFileStats } from './metadata.ts';
import type { Model, Plan } from './model.ts';
import { createParquetWriter } from './parquet/index.ts';
import { countries, interactions, metadata, partFileName, partitionDir } from './schema.ts';
import type { Sink } from './sink.ts';

export type FileTask =
  | { readonly dataset: 'interactions'; readonly key: string; readonly partition: string; readonly day: number; readonly file: number }
  | { readonly dataset: 'metadata'; readonly key: string; readonly partition: string; readonly country: number; readonly file: number };

export type FileRecord =
  | ({ readonly dataset: 'interactions'; readonly key: string; readonly partition: string; readonly bytes: number } & InteractionFileStats)
  | ({ readonly dataset: 'metadata'; readonly key: string; readonly partition: string; readonly bytes: number } & MetadataFileStats);

export function allTasks(plan: Plan): FileTask[] {
  const tasks: FileTask[] = [];
  for (let day = 0; day < plan.options.days; day += 1) {
    const partition = isoDateOf(plan.startEpochDay + day);
    for (let file = 0; file < plan.filesPerDay; file += 1) {
      const key = `${interactions.name}/${partitionDir(interactions, partition)}/${partFileName(file)}`;
      tasks.push({ dataset: 'interactions', key, partition, day, file });
    }
  }
  countries.forEach((c, country) => {
    for (let file = 0; file < plan.countryFiles[country]!; file += 1) {
      const key = `${metadata.name}/${partitionDir(metadata, c.code)}/${partFileName(file)}`;
      tasks.push({ dataset: 'metadata', key, partition: c.code, country, file });
    }
  });
  return tasks;
}

export function shardTasks(tasks: readonly FileTask[], shards: number, shard: number): FileTask[] {
  return tasks.filter((_, i) => i % shards === shard);
}

/**
 * Generates one file and writes it through the sink; resolves once every byte is handed to the sink, with the
 * commit still to do (fsync and rename: committed whole, or aborted and absent). Callers start the next file
 * while a commit runs: a worker's fsync used to leave its core idle (12 % of a run's samples, --cpu-prof).
 */
export async function generateFileTask(m: Model, task: FileTask, sink: Sink, onRows: (rows: number) => void): Promise<() => Promise<FileRecord>> {
  const file = await sink.create(task.key);
  try {
    const plan = m.plan;
    const dataset = task.dataset === 'interactions' ? interactions : metadata;
    const writer = createParquetWriter({
      dataset,
      out: (chunk) => file.write(chunk),
      rowGroupRows: task.dataset === 'interactions' ? plan.rowGroupRows : plan.metadataRowGroupRows,
    });
    const write = async (b: Parameters<typeof writer.writeBatch>[0]): Promise<void> => {
      await writer.writeBatch(b);
      onRows(b.rows);
    };
    let stats: InteractionFileStats | MetadataFileStats;
    if (task.dataset === 'interactions') stats = await generateInteractionFile(m, task.day, task.file, write);
    else stats = await generateMetadataFile(m, task.country, task.file, write);
    await writer.close();
    return async () => {
      try {
        const { bytes } = await file.commit();
        return task.dataset === 'interactions'
          ? { dataset: 'interactions', key: task.key, partition: task.partition, bytes, ...(stats as InteractionFileStats) }
          : { dataset: 'metadata', key: task.key, partition: task.partition, bytes, ...(stats as MetadataFileStats) };
      } catch (e) {
        await file.abort().catch(() => undefined);
        throw e;
      }
    };
  } catch (e) {
    await file.abort().catch(() => undefined);
    throw e;
  }
}
