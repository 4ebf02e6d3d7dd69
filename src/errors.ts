/**
 * Operating errors: what the world can do to us (missing files, corrupt bytes, bad options, a
 * lost commit race). Callers branch on `code`, never on message text.
 *
 * Contract: the code set is closed (persisted in user code that branches on it: never rename).
 * Messages start with the module noun and carry the offending values, for example
 * "snapshot: id in file 12 does not match file name snapshot-13". Adapter errors are wrapped
 * with `{ cause }`.
 *
 * Imports: nothing.
 */

/** The closed set of operating-error codes (modelled on leveldb `Status`). */
export const ERROR_CODES = [
  "not_found",
  "corruption",
  "invalid_argument",
  "unsupported",
  "io",
  "conflict",
] as const;

/** One of `ERROR_CODES`. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure with a machine-readable `code`. */
export class LakeError extends Error {
  override name = "LakeError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A commit that lost to a concurrent one and could not be retried; says what was not applied. */
export class CommitConflictError extends LakeError {
  override name = "CommitConflictError";

  constructor(message: string, options?: { cause?: unknown }) {
    super("conflict", message, options);
  }
}

/** True when `error` is a LakeError with the given code. */
export function isLakeError(error: unknown, code?: ErrorCode): error is LakeError {
  return error instanceof LakeError && (code === undefined || error.code === code);
}
