// Picks the decoder for one event-log file: by the extension Spark gives it (spark.eventLog.compression.codec),
// else by the first bytes, so renamed files still read. ".inprogress" is ignored when choosing.

import { constants, createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { Decompress } from 'fzstd';
import { EventLogError } from '../../../lib/errors.ts';
import { startsWith } from './byte-reader.ts';
import { decodeLz4BlockStream } from './lz4-block.ts';
import { decodeLzfStream } from './lzf.ts';
import { decodeSnappyJavaStream } from './snappy-java.ts';

export type Codec = 'plain' | 'lz4' | 'zstd' | 'snappy' | 'lzf' | 'gzip';

const BY_EXTENSION: Readonly<Record<string, Codec>> = {
  lz4: 'lz4',
  zstd: 'zstd',
  zst: 'zstd',
  snappy: 'snappy',
  lzf: 'lzf',
  gz: 'gzip',
};

export function codecFromName(fileName: string): Codec | undefined {
  const name = fileName.replace(/\.inprogress$/, '');
  const dot = name.lastIndexOf('.');
  if (dot < 0) return undefined;
  return BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
}

export function codecFromMagic(head: Uint8Array): Codec {
  if (
    startsWith(
      head,
      [...'LZ4Block'].map((c) => c.charCodeAt(0)),
    )
  )
    return 'lz4';
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (startsWith(head, [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59])) return 'snappy';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0x5a, 0x56]) && (head[2] === 0 || head[2] === 1)) return 'lzf';
  return 'plain';
}

export function decode(codec: Codec, source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  switch (codec) {
    case 'plain':
      return source;
    case 'lz4':
      return decodeLz4BlockStream(source);
    case 'snappy':
      return decodeSnappyJavaStream(source);
    case 'lzf':
      return decodeLzfStream(source);
    case 'zstd':
      return decodeZstdStream(source);
    case 'gzip':
      // Z_SYNC_FLUSH on finish: a gzip cut off mid-stream (in-progress log) yields what it has instead of failing.
      return Readable.from(source).pipe(createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }));
  }
}

async function* decodeZstdStream(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let out: Uint8Array[] = [];
  const stream = new Decompress((data) => {
    out.push(data);
  });
  for await (const chunk of source) {
    try {
      stream.push(chunk);
    } catch (error) {
      throw new EventLogError('EVENTLOG_CORRUPT', `zstd: ${(error as Error).message}`);
    }
    if (out.length > 0) {
      yield* out;
      out = [];
    }
  }
  try {
    stream.push(new Uint8Array(0), true);
  } catch {
    // A frame cut off at the end (an in-progress log): keep what decoded so far.
  }
  yield* out;
}
