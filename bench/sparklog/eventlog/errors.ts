// Errors users see when an event log cannot be read. One class, a stable code per cause.

export type EventLogErrorCode =
  | 'EVENTLOG_NOT_FOUND' // the path does not exist
  | 'EVENTLOG_EMPTY_FOLDER' // a rolling-log folder with no events_N_ files
  | 'EVENTLOG_CORRUPT' // a codec frame or a JSON line (other than the last) does not parse
  | 'EVENTLOG_NOT_SPARK'; // parsed, but holds no Spark listener events

export class EventLogError extends Error {
  readonly code: EventLogErrorCode;
  constructor(code: EventLogErrorCode, message: string) {
    super(message);
    this.name = 'EventLogError';
    this.code = code;
  }
}
