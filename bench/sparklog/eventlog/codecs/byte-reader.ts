// Pull exact byte counts out of a stream of chunks: the framed codecs (LZ4Block, snappy-java, LZF) read a fixed
// header, then a body whose length the header gives. Buffers at most one frame, so memory stays constant.

export interface ByteReader {
  /** Exactly n bytes, or null when the stream ends first (clean end or a frame cut off by an in-progress log). */
  read(n: number): Promise<Uint8Array | null>;
  /** The next n bytes without consuming them (fewer at the end of the stream). */
  peek(n: number): Promise<Uint8Array>;
}

export function byteReader(source: AsyncIterable<Uint8Array>): ByteReader {
  const iterator = source[Symbol.asyncIterator]();
  let chunks: Uint8Array[] = [];
  let buffered = 0;
  let ended = false;

  async function fill(n: number): Promise<void> {
    while (buffered < n && !ended) {
      const next = await iterator.next();
      if (next.done) ended = true;
      else if (next.value.length > 0) {
        chunks.push(next.value);
        buffered += next.value.length;
      }
    }
  }

  function take(n: number, consume: boolean): Uint8Array {
    const size = Math.min(n, buffered);
    const first = chunks[0];
    if (first !== undefined && first.length >= size) {
      const out = first.subarray(0, size);
      if (consume) {
        if (first.length === size) chunks.shift();
        else chunks[0] = first.subarray(size);
        buffered -= size;
      }
      return out;
    }
    const out = new Uint8Array(size);
    let offset = 0;
    let index = 0;
    while (offset < size) {
      const chunk = chunks[index] as Uint8Array;
      const part = Math.min(chunk.length, size - offset);
      out.set(chunk.subarray(0, part), offset);
      offset += part;
      if (part < chunk.length) {
        if (consume) chunks[index] = chunk.subarray(part);
      } else index += 1;
    }
    if (consume) {
      chunks = chunks.slice(index);
      buffered -= size;
    }
    return out;
  }

  return {
    async read(n) {
      await fill(n);
      if (buffered < n) return null;
      return take(n, true);
    },
    async peek(n) {
      await fill(n);
      return take(n, false);
    },
  };
}

export function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((value, index) => bytes[index] === value);
}
