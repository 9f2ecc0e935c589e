// Which event logs an `analyze` argument means: an event-log file or rolling folder, or a run folder
// (results/RUN_ID, or a path) that `bench run` filled with event logs somewhere below it.

import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

const LOG_NAME = /^(local-|app-|application_|eventlog_v2_)[^/]*$/;

function isLogName(name: string): boolean {
  return LOG_NAME.test(name) && !name.endsWith('.crc') && !name.startsWith('.');
}

async function scan(dir: string, depth: number, found: string[]): Promise<void> {
  if (depth > 6) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (isLogName(entry.name)) found.push(path);
    else if (entry.isDirectory()) await scan(path, depth + 1, found);
  }
}

/** Event-log paths for `arg`, or [] when nothing is there. `resultsDir` is where RUN_IDs live. */
export async function locateEventLogs(arg: string, resultsDir: string): Promise<string[]> {
  for (const candidate of [arg, join(resultsDir, arg)]) {
    const info = await stat(candidate).catch(() => undefined);
    if (info === undefined) continue;
    if (info.isFile() || basename(candidate).startsWith('eventlog_v2_')) return [candidate];
    const found: string[] = [];
    await scan(candidate, 0, found);
    return found;
  }
  return [];
}
