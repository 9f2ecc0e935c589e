// Spark's snappy event logs: snappy-java's SnappyOutputStream framing, not the snappy "framing format".
//   header: 0x82 "SNAPPY" 0x00 (8 bytes) | version (int32 BE) | compatible version (int32 BE)
//   chunks: compressed length (int32 BE) | raw snappy block
// Concatenated streams repeat the header; a chunk length can never start with 0x82 (it would be negative).
// Only the framing is ours: each block is plain snappy, which snappyjs decodes.

import SnappyJS from 'snappyjs';
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

/** One raw snappy block, decoded by snappyjs (its types: generator/parquet/snappyjs.d.ts); a bad block is EVENTLOG_CORRUPT. */
function decompressSnappyBlock(src: Uint8Array): Uint8Array {
  try {
    return SnappyJS.uncompress(src);
  } catch (error) {
    throw new EventLogError('EVENTLOG_CORRUPT', `snappy: ${(error as Error).message}`);
  }
}
