// Byte sizes as users type them: 64mb, 1.5gb, 1tb (powers of 1024). Unknown units are rejected, not guessed.

import { UsageError } from './errors.ts';

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

export function parseBytes(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(text));
  if (!m) throw new UsageError('bad_size', `--${flag} ${text}: expected a size like 64mb, 100gb or 1tb`);
  const unit = m[2]!.toLowerCase();
  const mult = UNITS[unit];
  if (mult === undefined) throw new UsageError('bad_unit', `--${flag} ${text}: unknown unit "${unit}" (use kb, mb, gb or tb)`);
  const bytes = Math.round(Number(m[1]) * mult);
  if (!(bytes > 0)) throw new UsageError('bad_size', `--${flag} ${text}: must be greater than zero`);
  return bytes;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
