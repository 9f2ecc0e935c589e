// Local-file helpers shared by the S3 tests: what a local run wrote, and content digests to compare with S3 objects.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Relative paths of every file under dir, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

export const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
