// A growable byte buffer: the one place the encoders append to. Doubling growth keeps appends amortised O(1);
// `reset()` keeps the allocation so a page encoder reuses it for every page of a file.

export interface ByteBuffer {
  buf: Uint8Array;
  len: number;
}

export function byteBuffer(initialCapacity = 1 << 16): ByteBuffer {
  return { buf: new Uint8Array(initialCapacity), len: 0 };
}

/** Makes room for `extra` more bytes (the caller then writes at `b.buf[b.len...]` and advances `b.len`). */
export function ensure(b: ByteBuffer, extra: number): void {
  const need = b.len + extra;
  if (need <= b.buf.length) return;
  let cap = b.buf.length * 2;
  while (cap < need) cap *= 2;
  const next = new Uint8Array(cap);
  next.set(b.buf.subarray(0, b.len));
  b.buf = next;
}

export function pushByte(b: ByteBuffer, v: number): void {
  ensure(b, 1);
  b.buf[b.len++] = v;
}

export function pushBytes(b: ByteBuffer, src: Uint8Array): void {
  ensure(b, src.length);
  b.buf.set(src, b.len);
  b.len += src.length;
}

export function pushInt32LE(b: ByteBuffer, v: number): void {
  ensure(b, 4);
  const o = b.len;
  b.buf[o] = v & 0xff;
  b.buf[o + 1] = (v >>> 8) & 0xff;
  b.buf[o + 2] = (v >>> 16) & 0xff;
  b.buf[o + 3] = (v >>> 24) & 0xff;
  b.len = o + 4;
}

/** Unsigned LEB128 varint of a non-negative safe integer (page sizes, counts, offsets: all well under 2^53). */
export function pushUVarint(b: ByteBuffer, v: number): void {
  ensure(b, 10);
  while (v >= 0x80) {
    b.buf[b.len++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  b.buf[b.len++] = v;
}

/** A copy of the written bytes (the buffer itself is reused). */
export function takeCopy(b: ByteBuffer): Uint8Array {
  return b.buf.slice(0, b.len);
}
