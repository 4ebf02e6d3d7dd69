/**
 * Interval partition: splits the files of a compaction unit (or a read split) into sections
 * whose key ranges do not overlap, and each section into the fewest sorted runs, so a merge only
 * ever merges the runs of one section at a time.
 *
 * Method (as Java): sort files by (minKey, maxKey); a new section starts when a file's minKey is
 * greater than the largest maxKey seen in the current section. Inside a section, files are dealt
 * greedily in that order to the run whose last maxKey is smallest (a min-heap), if the file
 * starts after it, else to a new run: the classic interval-partitioning algorithm, optimal in
 * run count.
 *
 * Mirrors `org.apache.paimon.mergetree.compact.IntervalPartition`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/IntervalPartition.java
 *
 * Invariants: every input file lands in exactly one run of exactly one section; sections are
 * ascending and pairwise disjoint in key range (closed ranges); every run is valid
 * (`isSortedRunValid`); a section has as many runs as its deepest point of overlap. Runs within a
 * section come in creation order (Java's order is the heap's, which "does not matter").
 *
 * Imports: spec/data_file_meta.ts (type), lsm/sorted_run.ts.
 */
import type { DataFileMeta } from "../../spec/data_file_meta.ts";
import { sortedRunOf, type KeyComparator, type SortedRun } from "../sorted_run.ts";

/**
 * Sections of sorted runs covering `files` (Java `IntervalPartition#partition`).
 * Empty input gives no section. Does not modify `files`.
 */
export function partitionIntervals(files: readonly DataFileMeta[], compareKeys: KeyComparator): SortedRun[][] {
  const sorted = [...files].sort((a, b) => compareKeys(a.minKey, b.minKey) || compareKeys(a.maxKey, b.maxKey));
  const sections: SortedRun[][] = [];
  let section: DataFileMeta[] = [];
  let bound: Uint8Array | null = null;
  for (const file of sorted) {
    if (section.length > 0 && compareKeys(file.minKey, bound!) > 0) {
      sections.push(partitionSection(section, compareKeys));
      section = [];
      bound = null;
    }
    section.push(file);
    if (bound === null || compareKeys(file.maxKey, bound) > 0) bound = file.maxKey;
  }
  if (section.length > 0) sections.push(partitionSection(section, compareKeys));
  return sections;
}

/** Fewest runs for one section; `files` sorted by (minKey, maxKey). */
function partitionSection(files: readonly DataFileMeta[], compareKeys: KeyComparator): SortedRun[] {
  const runs: DataFileMeta[][] = [];
  const heap = new RunHeap((a, b) => compareKeys(lastMaxKey(runs[a]!), lastMaxKey(runs[b]!)));
  for (const file of files) {
    const top = heap.peek();
    if (top !== undefined && compareKeys(file.minKey, lastMaxKey(runs[top]!)) > 0) {
      // The run ending first can take the file: any run ending before it would do.
      runs[top]!.push(file);
      heap.siftDownTop();
    } else {
      runs.push([file]);
      heap.push(runs.length - 1);
    }
  }
  return runs.map(sortedRunOf);
}

function lastMaxKey(run: readonly DataFileMeta[]): Uint8Array {
  return run[run.length - 1]!.maxKey;
}

/** Binary min-heap of run indices under a comparator that reads the runs' current state. */
class RunHeap {
  readonly #items: number[] = [];
  readonly #compare: (a: number, b: number) => number;

  constructor(compare: (a: number, b: number) => number) {
    this.#compare = compare;
  }

  peek(): number | undefined {
    return this.#items[0];
  }

  push(item: number): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#compare(items[i]!, items[parent]!) >= 0) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  /** Restores heap order after the top item's key grew. */
  siftDownTop(): void {
    const items = this.#items;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && this.#compare(items[left]!, items[smallest]!) < 0) smallest = left;
      if (right < items.length && this.#compare(items[right]!, items[smallest]!) < 0) smallest = right;
      if (smallest === i) return;
      [items[i], items[smallest]] = [items[smallest]!, items[i]!];
      i = smallest;
    }
  }
}
