// Thrift compact protocol, write side only, for the few structs Parquet needs (page headers and the footer).
// Values are a small typed tree rather than generated code: a page header is a dozen fields, so clarity wins
// over speed here (page headers cost well under 1 % of a page's encoding time).

import { type ByteBuffer, pushByte, pushBytes, pushUVarint } from './bytes.ts';

export type ThriftValue =
  | { readonly t: 'i32'; readonly v: number }
  | { readonly t: 'i64'; readonly v: number }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'binary'; readonly v: string | Uint8Array }
  | { readonly t: 'struct'; readonly v: ThriftStruct }
  | { readonly t: 'list'; readonly elem: 'i32' | 'binary' | 'struct'; readonly v: readonly ThriftValue[] };

/** Fields by id; `undefined` values are optional fields left out. */
export type ThriftStruct = readonly (readonly [id: number, value: ThriftValue | undefined])[];

export const i32 = (v: number): ThriftValue => ({ t: 'i32', v });
export const i64 = (v: number): ThriftValue => ({ t: 'i64', v });
export const bool = (v: boolean): ThriftValue => ({ t: 'bool', v });
export const binary = (v: string | Uint8Array): ThriftValue => ({ t: 'binary', v });
export const struct = (v: ThriftStruct): ThriftValue => ({ t: 'struct', v });
export const list = (elem: 'i32' | 'binary' | 'struct', v: readonly ThriftValue[]): ThriftValue => ({ t: 'list', elem, v });

const typeId = { bool: 1, i32: 5, i64: 6, binary: 8, list: 9, struct: 12 } as const;
const utf8 = new TextEncoder();

/** Zigzag of a safe integer, without 32-bit overflow (file offsets pass 2^31). */
function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function writeValue(b: ByteBuffer, value: ThriftValue): void {
  switch (value.t) {
    case 'i32':
    case 'i64':
      pushUVarint(b, zigzag(value.v));
      return;
    case 'bool': // only inside lists; struct fields carry the bool in the field header
      pushByte(b, value.v ? 1 : 2);
      return;
    case 'binary': {
      const bytes = typeof value.v === 'string' ? utf8.encode(value.v) : value.v;
      pushUVarint(b, bytes.length);
      pushBytes(b, bytes);
      return;
    }
    case 'struct':
      writeStruct(b, value.v);
      return;
    case 'list': {
      const n = value.v.length;
      const elem = typeId[value.elem];
      if (n < 15) pushByte(b, (n << 4) | elem);
      else {
        pushByte(b, 0xf0 | elem);
        pushUVarint(b, n);
      }
      for (const item of value.v) writeValue(b, item);
      return;
    }
  }
}

export function writeStruct(b: ByteBuffer, fields: ThriftStruct): void {
  let last = 0;
  for (const [id, value] of fields) {
    if (value === undefined) continue;
    const type = value.t === 'bool' ? (value.v ? 1 : 2) : typeId[value.t];
    const delta = id - last;
    if (delta > 0 && delta <= 15) pushByte(b, (delta << 4) | type);
    else {
      pushByte(b, type);
      pushUVarint(b, zigzag(id));
    }
    if (value.t !== 'bool') writeValue(b, value);
    last = id;
  }
  pushByte(b, 0); // STOP
}
