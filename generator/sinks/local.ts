// A local folder as a Sink. A file is written as `<key>.tmp-<random>` next to its final name, fsynced, then
// renamed: a reader (or a resumed run) never sees a partial file under a final name. Abort deletes the temp file.

import type { Dirent } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Sink, SinkFile } from '../sink.ts';

export const TEMP_MARKER = '.tmp-';

export interface LocalSink extends Sink {
  /** Deletes everything under `prefix` ('' = the whole folder's generated content). Used by --overwrite. */
  removePrefix(prefix: string): Promise<void>;
}

export function createLocalSink(opts: { dir: string }): LocalSink {
  const root = opts.dir;
  const pathOf = (key: string): string => join(root, ...key.split('/'));

  async function create(key: string): Promise<SinkFile> {
    const finalPath = pathOf(key);
    await mkdir(dirname(finalPath), { recursive: true });
    const tempPath = `${finalPath}${TEMP_MARKER}${randomBytes(6).toString('hex')}`;
    const fh: FileHandle = await open(tempPath, 'w');
    let bytes = 0;
    let closed = false;
    const close = async (): Promise<void> => {
      if (!closed) {
        closed = true;
        await fh.close();
      }
    };
    return {
      async write(chunk) {
        let done = 0;
        while (done < chunk.length) {
          const { bytesWritten } = await fh.write(chunk, done, chunk.length - done);
          done += bytesWritten;
        }
        bytes += chunk.length;
      },
      async commit() {
        await fh.sync();
        await close();
        await rename(tempPath, finalPath);
        return { bytes };
      },
      async abort() {
        await close().catch(() => undefined);
        await rm(tempPath, { force: true });
      },
    };
  }

  async function list(prefix: string): Promise<string[]> {
    const base = pathOf(prefix);
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw e;
      }
      for (const ent of entries) {
        const p = join(dir, ent.name);
        if (ent.isDirectory()) await walk(p);
        else if (!ent.name.includes(TEMP_MARKER)) out.push(relative(root, p).split(sep).join('/'));
      }
    };
    await walk(base);
    return out.sort();
  }

  return {
    url: root,
    create,
    async stat(key) {
      try {
        const s = await stat(pathOf(key));
        return s.isFile() ? { bytes: s.size } : undefined;
      } catch {
        return undefined;
      }
    },
    async readText(key) {
      try {
        return await readFile(pathOf(key), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async writeText(key, text) {
      const f = await create(key);
      try {
        await f.write(new TextEncoder().encode(text));
        await f.commit();
      } catch (e) {
        await f.abort();
        throw e;
      }
    },
    list,
    async removePrefix(prefix) {
      if (prefix === '') {
        // Only what gen writes: never an unrelated file a user keeps in the folder.
        for (const name of ['interactions', 'metadata']) await rm(pathOf(name), { recursive: true, force: true });
        for (const key of await list('')) if (key.startsWith('_manifest')) await rm(pathOf(key), { force: true });
        return;
      }
      await rm(pathOf(prefix), { recursive: true, force: true });
    },
  };
}

/**
 * Temp files left by a killed run (they never carry a final name); removed on resume. Only those whose final key
 * `owns` accepts: other shards may be writing into the same folder right now.
 */
export async function removeStaleTempFiles(dir: string, owns: (key: string) => boolean): Promise<number> {
  let removed = 0;
  const walk = async (d: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const ent of entries) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) await walk(p);
      else if (ent.name.includes(TEMP_MARKER)) {
        const key = relative(dir, p).split(sep).join('/');
        if (!owns(key.slice(0, key.lastIndexOf(TEMP_MARKER)))) continue;
        await rm(p, { force: true });
        removed += 1;
      }
    }
  };
  await walk(dir);
  return removed;
}
