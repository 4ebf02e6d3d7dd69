/**
 * A fixed-length series of samples for the live charts (one sample a second).
 * Invariants: at most `lengthMax` samples, oldest first. Imports: nothing.
 */

/** A bounded series of numbers (see the file header). */
export class Series {
  readonly #values: number[] = [];
  readonly #lengthMax: number;

  /** Requires: lengthMax >= 1. */
  constructor(lengthMax: number) {
    this.#lengthMax = lengthMax;
  }

  /** Appends a sample, dropping the oldest beyond the bound. */
  push(value: number): void {
    this.#values.push(value);
    if (this.#values.length > this.#lengthMax) this.#values.shift();
  }

  /** A copy of the samples, oldest first. */
  values(): number[] {
    return [...this.#values];
  }
}
