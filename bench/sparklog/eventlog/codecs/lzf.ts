// Spark's lzf event logs: ning compress-lzf's LZFOutputStream chunks.
//   "ZV" | type (0 = stored: length int16 BE, bytes | 1 = compressed: compressed length int16 BE,
//   uncompressed length int16 BE, LZF data)

import { EventLogError } from '../../../lib/errors.ts';
import { byteReader } from './byte-reader.ts';

const Z = 0x5a;
const V = 0x56;

export async function* decodeLzfStream(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = byteReader(source);
  for (;;) {
    const head = await reader.read(3);
    if (head === null) return;
    if (head[0] !== Z || head[1] !== V) throw new EventLogError('EVENTLOG_CORRUPT', 'lzf: chunk without the ZV magic');
    if (head[2] === 0) {
      const lengthBytes = await reader.read(2);
      if (lengthBytes === null) return;
      const stored = await reader.read(((lengthBytes[0] as number) << 8) | (lengthBytes[1] as number));
      if (stored === null) return;
      yield stored.slice();
    } else if (head[2] === 1) {
      const lengths = await reader.read(4);
      if (lengths === null) return;
      const compressedLength = ((lengths[0] as number) << 8) | (lengths[1] as number);
      const size = ((lengths[2] as number) << 8) | (lengths[3] as number);
      const body = await reader.read(compressedLength);
      if (body === null) return;
      yield decompressLzfChunk(body, size);
    } else {
      throw new EventLogError('EVENTLOG_CORRUPT', `lzf: unknown chunk type ${head[2]}`);
    }
  }
}

export function decompressLzfChunk(src: Uint8Array, size: number): Uint8Array {
  const dst = new Uint8Array(size);
  let s = 0;
  let d = 0;
  while (s < src.length) {
    const ctrl = src[s++] as number;
    if (ctrl < 32) {
      const length = ctrl + 1;
      if (d + length > size || s + length > src.length) throw corrupt();
      dst.set(src.subarray(s, s + length), d);
      s += length;
      d += length;
      continue;
    }
    let length = ctrl >>> 5;
    if (length === 7) length += src[s++] as number;
    length += 2;
    let from = d - ((ctrl & 0x1f) << 8) - (src[s++] as number) - 1;
    if (from < 0 || d + length > size) throw corrupt();
    for (let i = 0; i < length; i++) dst[d++] = dst[from++] as number;
  }
  if (d !== size) throw corrupt();
  return dst;
}

function corrupt(): EventLogError {
  return new EventLogError('EVENTLOG_CORRUPT', 'lzf: chunk does not decode to its stated length');
}
