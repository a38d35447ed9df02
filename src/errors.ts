/**
 * Typed, coded, actionable errors. Every error a user can cause is a MetacamError with a stable `code`
 * (asserted in tests) and a message that says what to do. Exit codes: 2 for bad input/arguments, 1 otherwise.
 */
export type ErrorCode =
  | 'E_ARG' // a CLI flag or option value is invalid
  | 'E_INPUT_MISSING' // input path does not exist
  | 'E_INPUT_NOT_FILE' // input path is a directory or not a regular file
  | 'E_INPUT_EMPTY' // zero-byte input
  | 'E_INPUT_INVALID' // ffprobe cannot read it / no video stream / unsupported
  | 'E_FFMPEG_NOT_FOUND'
  | 'E_FFMPEG_FAILED' // ffmpeg exited non-zero or was killed
  | 'E_OUTPUT_WRITE' // cannot write output (disk full, permissions)
  | 'E_MODEL_NOT_FOUND'
  | 'E_MODEL_INVALID' // not JSON, missing shards, no classifier head
  | 'E_MODEL_UNSUPPORTED' // an operator or construct metacam cannot run (names it and lists what is supported)
  | 'E_LAYER_NOT_FOUND'
  | 'E_LAYER_NOT_SPATIAL'
  | 'E_CLASS_OUT_OF_RANGE'
  | 'E_METHOD_UNKNOWN'
  | 'E_BACKEND' // backend unavailable or lacks a kernel
  | 'E_AUDIT' // audit log unreadable / broken
  | 'E_INTERRUPTED'
  | 'E_QUEUE_UNAVAILABLE' // the Redis behind --queue/--redis cannot be reached (or refuses the password)
  | 'E_PROFILE_MISSING' // --profile names no readable file
  | 'E_PROFILE_INVALID' // --profile is not JSON, violates schemas/metacam-profile.schema.json or its rules
  | 'E_PROFILE_MISMATCH' // --profile was calibrated for another model (sha256 differs)
  | 'E_INTERNAL';

const USER_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'E_ARG', 'E_INPUT_MISSING', 'E_INPUT_NOT_FILE', 'E_INPUT_EMPTY', 'E_INPUT_INVALID',
  'E_MODEL_NOT_FOUND', 'E_MODEL_INVALID', 'E_MODEL_UNSUPPORTED', 'E_LAYER_NOT_FOUND', 'E_LAYER_NOT_SPATIAL',
  'E_CLASS_OUT_OF_RANGE', 'E_METHOD_UNKNOWN', 'E_FFMPEG_NOT_FOUND', 'E_QUEUE_UNAVAILABLE',
  'E_PROFILE_MISSING', 'E_PROFILE_INVALID', 'E_PROFILE_MISMATCH',
]);

export class MetacamError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetacamError';
    this.code = code;
  }
  /** 2 for errors the user can fix (bad input, arguments, model), 1 for internal failures. */
  get exitCode(): number {
    return USER_ERRORS.has(this.code) ? 2 : 1;
  }
}

/** An ffmpeg/ffprobe child failed: carries argv, exit code or signal, and the tail of stderr. */
export class FfmpegError extends MetacamError {
  readonly argv: readonly string[];
  readonly exitStatus: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;
  constructor(
    message: string,
    details: { argv: readonly string[]; exitStatus: number | null; signal: NodeJS.Signals | null; stderrTail: string },
    code: ErrorCode = 'E_FFMPEG_FAILED',
  ) {
    const how = details.signal ? `killed by ${details.signal}` : `exit code ${details.exitStatus}`;
    super(code, `${message} (${how})\n  argv: ${details.argv.join(' ')}\n  stderr: ${details.stderrTail.trim().split('\n').slice(-5).join('\n          ')}`);
    this.name = 'FfmpegError';
    this.argv = details.argv;
    this.exitStatus = details.exitStatus;
    this.signal = details.signal;
    this.stderrTail = details.stderrTail;
  }
}

export function isMetacamError(e: unknown): e is MetacamError {
  return e instanceof MetacamError;
}
