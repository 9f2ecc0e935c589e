// tinybench over the writer's kernels, one page (64 Ki rows) each: where a row's time goes.

import { Bench } from 'tinybench';
import type { ColumnBatch, DictColumn, Utf8Column } from '../batch.ts';
import { byteBuffer } from '../parquet/bytes.ts';
import { pageCodec } from '../parquet/codec.ts';
import {
  appendPlainUtf8,
  appendFrontCoded,
  bitPackHybrid,
  bitWidthFor,
  encodeDefinitionLevels,
  finishFrontCoded,
  frontCodedPage,
  encodeDeltaInt64,
} from '../parquet/encode.ts';

export interface KernelResult {
  readonly name: string;
  /** Median nanoseconds per row (value). */
  readonly nsPerRow: number;
  readonly mbPerSecond: number;
}

export async function benchKernels(batch: ColumnBatch, timeMs = 400): Promise<KernelResult[]> {
  const rows = 64 * 1024;
  const user = batch.columns.user_id as Utf8Column;
  const page = batch.columns.page_id as DictColumn;
  const ts = batch.columns.timestamp as { values: BigInt64Array };
  const levels = new Uint8Array(rows);
  const out = byteBuffer(4 << 20);
  appendPlainUtf8(out, user.offsets, user.bytes, user.nulls, 0, rows, levels, 0);
  const utf8Page = out.buf.slice(0, out.len);
  const tsPage = new Uint8Array(ts.values.buffer, ts.values.byteOffset, rows * 8).slice();
  const snappy = pageCodec('snappy');
  const front = frontCodedPage(rows);
  const tsWords = new Int32Array(tsPage.buffer, tsPage.byteOffset, rows * 2);
  const width = bitWidthFor(page.dictionary.length - 1);
  const kernels: Record<string, { run: () => void; bytes: number }> = {
    'PLAIN utf8 (user_id, rejected)': {
      run: () => {
        out.len = 0;
        appendPlainUtf8(out, user.offsets, user.bytes, user.nulls, 0, rows, levels, 0);
      },
      bytes: utf8Page.length,
    },
    'DELTA_BYTE_ARRAY (user_id)': {
      run: () => {
        out.len = 0;
        appendFrontCoded(front, user.offsets, user.bytes, user.nulls, 0, rows, levels, 0);
        finishFrontCoded(out, front);
      },
      bytes: utf8Page.length,
    },
    'DELTA_BINARY_PACKED (timestamp)': {
      run: () => {
        out.len = 0;
        encodeDeltaInt64(out, tsWords, rows);
      },
      bytes: tsPage.length,
    },
    'definition levels (RLE)': {
      run: () => {
        out.len = 0;
        encodeDefinitionLevels(out, levels, rows);
      },
      bytes: rows,
    },
    [`bit-pack dict indices (${width} bits)`]: {
      run: () => {
        out.len = 0;
        bitPackHybrid(out, page.indices, rows, width);
      },
      bytes: rows * 4,
    },
    'snappy, PLAIN utf8 page (rejected)': { run: () => snappy.compress(utf8Page), bytes: utf8Page.length },
    'snappy, PLAIN timestamp page (rejected)': { run: () => snappy.compress(tsPage), bytes: tsPage.length },
  };
  const bench = new Bench({ time: timeMs, warmupTime: 100 });
  for (const [name, k] of Object.entries(kernels)) bench.add(name, k.run);
  await bench.run();
  return bench.tasks.map((task) => {
    const r = task.result as { latency?: { p50?: number } } | undefined;
    const ms = r?.latency?.p50 ?? NaN;
    const bytes = kernels[task.name]!.bytes;
    return { name: task.name, nsPerRow: (ms * 1e6) / rows, mbPerSecond: bytes / 1e6 / (ms / 1000) };
  });
}
