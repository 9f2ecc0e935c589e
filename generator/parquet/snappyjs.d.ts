// snappyjs ships no types; only the compressor is used.
declare module 'snappyjs' {
  const SnappyJS: { compress(input: Uint8Array): Uint8Array; uncompress(input: Uint8Array): Uint8Array };
  export default SnappyJS;
}
