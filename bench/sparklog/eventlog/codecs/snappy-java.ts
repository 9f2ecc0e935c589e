// Spark's snappy event logs: snappy-java's SnappyOutputStream framing, not the snappy "framing format".
//   header: 0x82 "SNAPPY" 0x00 (8 bytes) | version (int32 BE) | compatible version (int32 BE)
//   chunks: compressed length (int32 BE) | raw snappy block
// Concatenated streams repeat the header; a chunk length can never start with 0x82 (it would be negative).

import { EventLogError } from '../../../lib/errors.ts';
import { byteReader, startsWith } from './byte-reader.ts';

const MAGIC = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00];
const HEADER_BYTES = 16;

export async function* decodeSnappyJavaStream(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = byteReader(source);
  for (;;) {
    const next = await reader.peek(MAGIC.length);
    if (next.length === 0) return;
    if (startsWith(next, MAGIC)) {
      if ((await reader.read(HEADER_BYTES)) === null) return;
      continue;
    }
    const lengthBytes = await reader.read(4);
    if (lengthBytes === null) return;
    const length = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 4).getInt32(0, false);
    if (length < 0) throw new EventLogError('EVENTLOG_CORRUPT', 'snappy: negative chunk length');
    const block = await reader.read(length);
    if (block === null) return; // chunk cut off in an in-progress log
    yield decompressSnappyBlock(block);
  }
}

/** One raw snappy block: a varint uncompressed length, then literal and copy elements. */
export function decompressSnappyBlock(src: Uint8Array): Uint8Array {
  let s = 0;
  let size = 0;
  for (let shift = 0; ; shift += 7) {
    const b = src[s++];
    if (b === undefined || shift > 28) throw corrupt();
    size += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const dst = new Uint8Array(size);
  let d = 0;
  while (s < src.length) {
    const tag = src[s++] as number;
    const kind = tag & 3;
    if (kind === 0) {
      let length = tag >>> 2;
      if (length >= 60) {
        const extra = length - 59;
        length = 0;
        for (let i = 0; i < extra; i++) length += (src[s++] as number) * 2 ** (8 * i);
      }
      length += 1;
      if (d + length > size || s + length > src.length) throw corrupt();
      dst.set(src.subarray(s, s + length), d);
      s += length;
      d += length;
      continue;
    }
    let length: number;
    let offset: number;
    if (kind === 1) {
      length = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | (src[s++] as number);
    } else if (kind === 2) {
      length = (tag >>> 2) + 1;
      offset = (src[s] as number) | ((src[s + 1] as number) << 8);
      s += 2;
    } else {
      length = (tag >>> 2) + 1;
      offset = ((src[s] as number) | ((src[s + 1] as number) << 8) | ((src[s + 2] as number) << 16)) + (src[s + 3] as number) * 2 ** 24;
      s += 4;
    }
    let from = d - offset;
    if (offset === 0 || from < 0 || d + length > size) throw corrupt();
    if (offset >= length) {
      dst.copyWithin(d, from, from + length);
      d += length;
    } else {
      for (let i = 0; i < length; i++) dst[d++] = dst[from++] as number;
    }
  }
  if (d !== size) throw corrupt();
  return dst;
}

function corrupt(): EventLogError {
  return new EventLogError('EVENTLOG_CORRUPT', 'snappy: block does not decode to its stated length');
}
