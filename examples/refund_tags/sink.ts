/**
 * Where the refund-tag job publishes its tags: a stand-in for the downstream topic, kept outside
 * the job so that it survives the job's death. Tags of one micro-batch are recorded atomically
 * (one `record` call, like a transactional producer's commit), keyed by batch number, so a
 * restarted job can ask which batch was published last.
 *
 * Invariants: each batch is recorded at most once; recording a batch again with identical tags
 * is counted as a suppressed duplicate, with different tags it is an error (the job would have
 * published two answers for the same events).
 * Imports: nothing.
 */

/** One published tag. */
export interface TagEmit {
  /** The event this tag answers (its index in the stream). */
  readonly seq: number;
  readonly buyer: string;
  readonly seller: string;
  /** Newest non-refunded pay time (epoch ms text), or "" when every kept order is refunded. */
  readonly tag: string;
}

/** The published tags, by batch. */
export class TagSink {
  readonly #batches = new Map<number, readonly TagEmit[]>();
  #last = 0;
  /** Batches recorded twice with identical tags (a retry after a kill). */
  duplicatesSuppressed = 0;

  /** The highest batch number recorded (0: none). */
  get lastBatch(): number {
    return this.#last;
  }

  /** Records the tags of `batchNo` (see the header for repeats). */
  record(batchNo: number, emits: readonly TagEmit[]): void {
    const before = this.#batches.get(batchNo);
    if (before !== undefined) {
      const same = before.length === emits.length && before.every((e, i) => e.seq === emits[i]!.seq && e.tag === emits[i]!.tag);
      if (!same) throw new Error(`tag sink: batch ${batchNo} published twice with different tags`);
      this.duplicatesSuppressed++;
      return;
    }
    this.#batches.set(batchNo, [...emits]);
    this.#last = Math.max(this.#last, batchNo);
  }

  /** Every recorded tag, in batch then event order. */
  all(): TagEmit[] {
    return [...this.#batches.keys()].sort((a, b) => a - b).flatMap((b) => this.#batches.get(b)!);
  }
}
