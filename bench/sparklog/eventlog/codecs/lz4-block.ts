// Spark's lz4 event logs: lz4-java's LZ4BlockOutputStream framing, not the LZ4 frame format. Each block:
//   "LZ4Block" (8 bytes) | token (1: method 0x10 raw / 0x20 lz4, low nibble = level) |
//   compressed length (int32 LE) | decompressed length (int32 LE) | xxhash32 checksum (int32 LE) | payload
// An empty raw block ends a stream; Spark may concatenate streams, so reading goes on after it.
// The checksum is not verified: a bad block fails to decode or yields bad JSON, which we report anyway.

import { EventLogError } from '../../../lib/errors.ts';
import { byteReader, startsWith } from './byte-reader.ts';

const MAGIC = [...'LZ4Block'].map((c) => c.charCodeAt(0));
const HEADER_BYTES = 21;
const METHOD_RAW = 0x10;
const METHOD_LZ4 = 0x20;

export async function* decodeLz4BlockStream(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = byteReader(source);
  for (;;) {
    const header = await reader.read(HEADER_BYTES);
    if (header === null) return; // end, or a header cut off in an in-progress log
    if (!startsWith(header, MAGIC)) throw new EventLogError('EVENTLOG_CORRUPT', 'lz4: block without the LZ4Block magic');
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const method = (header[8] as number) & 0xf0;
    const compressedLength = view.getInt32(9, true);
    const decompressedLength = view.getInt32(13, true);
    if (compressedLength < 0 || decompressedLength < 0) {
      throw new EventLogError('EVENTLOG_CORRUPT', 'lz4: negative block length');
    }
    if (decompressedLength === 0) continue; // end-of-stream marker
    const payload = await reader.read(compressedLength);
    if (payload === null) return;
    if (method === METHOD_RAW) yield payload.slice();
    else if (method === METHOD_LZ4) yield decompressLz4Block(payload, decompressedLength);
    else throw new EventLogError('EVENTLOG_CORRUPT', `lz4: unknown block method 0x${method.toString(16)}`);
  }
}

/** One raw LZ4 block (the format lz4 calls "block", without frame header) into exactly `size` bytes. */
export function decompressLz4Block(src: Uint8Array, size: number): Uint8Array {
  const dst = new Uint8Array(size);
  let s = 0;
  let d = 0;
  while (s < src.length) {
    const token = src[s++] as number;
    let literals = token >>> 4;
    if (literals === 15) {
      let b: number;
      do {
        b = src[s++] as number;
        literals += b;
      } while (b === 255);
    }
    if (d + literals > size || s + literals > src.length) throw corrupt();
    dst.set(src.subarray(s, s + literals), d);
    s += literals;
    d += literals;
    if (s >= src.length) break; // the last sequence has literals only
    const offset = (src[s] as number) | ((src[s + 1] as number) << 8);
    s += 2;
    let matchLength = token & 15;
    if (matchLength === 15) {
      let b: number;
      do {
        b = src[s++] as number;
        matchLength += b;
      } while (b === 255);
    }
    matchLength += 4;
    let from = d - offset;
    if (offset === 0 || from < 0 || d + matchLength > size) throw corrupt();
    if (offset >= matchLength) {
      dst.copyWithin(d, from, from + matchLength);
      d += matchLength;
    } else {
      // Overlapping match (a run): byte by byte, each copy may read what the previous one wrote.
      for (let i = 0; i < matchLength; i++) dst[d++] = dst[from++] as number;
    }
  }
  if (d !== size) throw corrupt();
  return dst;
}

function corrupt(): EventLogError {
  return new EventLogError('EVENTLOG_CORRUPT', 'lz4: block does not decode to its stated length');
}
