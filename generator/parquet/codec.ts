// Page compression. Node 20's zlib has neither snappy nor zstd; snappyjs is a small pure-JS snappy compressor.

import SnappyJS from 'snappyjs';
import { Codec } from './format.ts';

export interface PageCodec {
  /** The Parquet CompressionCodec id written into the column metadata. */
  readonly id: number;
  readonly name: 'snappy' | 'uncompressed';
  /** The page body to write. May be `raw` itself: callers copy it before reusing `raw`'s buffer. */
  compress(raw: Uint8Array): Uint8Array;
}

export type CodecName = PageCodec['name'];

const uncompressed: PageCodec = { id: Codec.UNCOMPRESSED, name: 'uncompressed', compress: (raw) => raw };

const snappy: PageCodec = {
  id: Codec.SNAPPY,
  name: 'snappy',
  compress: (raw) => SnappyJS.compress(raw),
};

export function pageCodec(name: CodecName): PageCodec {
  return name === 'snappy' ? snappy : uncompressed;
}
