/**
 * Programmer-error checks: the only place that throws AssertionError.
 *
 * Contract: an assertion guards an invariant of our own code (sorted input, a region that fits,
 * a state machine step). It is never used for user input or files from disk; those get a
 * `LakeError` from `errors.ts`. Library code never catches an AssertionError.
 *
 * Imports: nothing.
 */

/** Thrown when an internal invariant is broken. Never caught by library code. */
export class AssertionError extends Error {
  override name = "AssertionError";
}

/** Throws an AssertionError with `message` when `condition` is false. */
export function assert(condition: unknown, message = "assertion failed"): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Marks a branch that exhaustive checks prove unreachable; `value` is shown in the message. */
export function assertNever(value: never, message = "unexpected value"): never {
  throw new AssertionError(`${message}: ${String(value)}`);
}

/** Marks code that must not run. */
export function unreachable(message = "unreachable"): never {
  throw new AssertionError(message);
}
