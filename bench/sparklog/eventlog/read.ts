// readEvents: JSON events, one per line, from a plain or compressed file or a rolling-log folder, streamed.

import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { codecFromMagic, codecFromName, decode, type Codec } from './codecs/index.ts';
import { EventLogError } from '../../lib/errors.ts';

export type SparkEvent = Record<string, unknown>;

/** The files of one event log, in order: the file itself, or a rolling folder's events_N_ files by N. */
export async function eventLogFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => {
    throw new EventLogError('EVENTLOG_NOT_FOUND', `no event log at ${path}`);
  });
  if (!info.isDirectory()) return [path];
  const numbered = (await readdir(path))
    .map((name) => ({ name, match: /^events_(\d+)_/.exec(name) }))
    .filter((entry) => entry.match !== null)
    .map((entry) => ({ name: entry.name, index: Number(entry.match?.[1]) }))
    .sort((a, b) => a.index - b.index);
  if (numbered.length === 0) {
    throw new EventLogError('EVENTLOG_EMPTY_FOLDER', `${path} holds no events_N_<app> files (is it an eventlog_v2_ folder?)`);
  }
  return numbered.map((entry) => join(path, entry.name));
}

async function codecOf(file: string): Promise<Codec> {
  const byName = codecFromName(basename(file));
  if (byName !== undefined) return byName;
  const handle = await open(file, 'r');
  try {
    const head = new Uint8Array(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    return codecFromMagic(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Decoded bytes of one event log, file after file. */
async function* eventLogBytes(path: string): AsyncIterable<Uint8Array> {
  for (const file of await eventLogFiles(path)) {
    const codec = await codecOf(file);
    yield* decode(codec, createReadStream(file, { highWaterMark: 256 * 1024 }));
  }
}

const NEWLINE = 0x0a;

/** Lines as byte slices; splitting bytes, not strings, so a UTF-8 character split across chunks stays whole. */
async function* lines(bytes: AsyncIterable<Uint8Array>): AsyncIterable<{ line: Uint8Array; last: boolean }> {
  let pending: Uint8Array = new Uint8Array(0);
  for await (const chunk of bytes) {
    let start = 0;
    let end = chunk.indexOf(NEWLINE);
    if (end >= 0 && pending.length > 0) {
      yield { line: concat(pending, chunk.subarray(0, end)), last: false };
      pending = new Uint8Array(0);
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    while (end >= 0) {
      yield { line: chunk.subarray(start, end), last: false };
      start = end + 1;
      end = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) pending = concat(pending, chunk.subarray(start));
  }
  if (pending.length > 0) yield { line: pending, last: true };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const utf8 = new TextDecoder('utf-8');

/**
 * Every event of an event log as a parsed JSON object, streamed with constant memory (one codec block and one line
 * at a time). A last line that does not parse is dropped: Spark is still writing it (an .inprogress log).
 */
export async function* readEvents(path: string): AsyncIterable<SparkEvent> {
  let lineNumber = 0;
  let unparsed: { lineNumber: number; text: string } | undefined;
  for await (const { line } of lines(eventLogBytes(path))) {
    lineNumber += 1;
    if (unparsed !== undefined) {
      // A bad line followed by more lines is corruption, not truncation.
      throw new EventLogError('EVENTLOG_CORRUPT', `${path}: line ${unparsed.lineNumber} is not JSON: ${unparsed.text.slice(0, 80)}`);
    }
    const text = utf8.decode(line).trim();
    if (text === '') continue;
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      unparsed = { lineNumber, text };
      continue;
    }
    if (event !== null && typeof event === 'object' && !Array.isArray(event)) yield event as SparkEvent;
  }
}
