// Where finished files go. The generator only ever writes through this interface, so a local folder and an S3
// bucket behave the same: a file becomes visible under its final name only when it is complete.

export interface SinkFile {
  /** Appends bytes; resolves when they may be reused by the caller (back-pressure). */
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the file visible under its final key, atomically (rename, or complete a multipart upload). */
  commit(): Promise<{ bytes: number }>;
  /** Drops everything written; nothing appears under the final key. Safe to call after a failed write. */
  abort(): Promise<void>;
}

export interface Sink {
  /** A human-readable location, e.g. `/data/run1` or `s3://bucket/prefix`. */
  readonly url: string;
  /** Opens `key` (a relative path such as `interactions/date=2026-01-01/part-00000.parquet`) for writing. */
  create(key: string): Promise<SinkFile>;
  /** Size of a committed file, or undefined when it does not exist (resumption skips complete files). */
  stat(key: string): Promise<{ bytes: number } | undefined>;
  /** Reads a small whole object (the manifest); undefined when missing. */
  readText(key: string): Promise<string | undefined>;
  /** Writes a small whole object atomically. */
  writeText(key: string, text: string): Promise<void>;
  /** Lists committed keys under a prefix (for the non-empty/other-arguments check and for tests). */
  list(prefix: string): Promise<string[]>;
}
