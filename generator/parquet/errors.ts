// Named errors of the Parquet writer: bad input is rejected at writeBatch, before any byte of it is encoded.

export class ParquetInputError extends Error {
  readonly code = 'PARQUET_BAD_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'ParquetInputError';
  }
}

export class ParquetWriterStateError extends Error {
  readonly code = 'PARQUET_WRITER_STATE';
  constructor(message: string) {
    super(message);
    this.name = 'ParquetWriterStateError';
  }
}
