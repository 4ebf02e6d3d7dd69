/**
 * The changelog-producing compaction rewriters of primary-key buckets (Java
 * `ChangelogMergeTreeRewriter` and its two subclasses): which steps of a compaction produce
 * changelog, and the rewrite that merges a step through a changelog wrapper
 * (changelog_merge.ts), writing the compacted result and the changelog files together.
 *
 * Kinds (Java `MergeTreeCompactManagerFactory#createRewriter`):
 *  - "full-changelog" (`changelog-producer = full-compaction`): a rewrite into the max level
 *    produces changelog (it must drop deletes); an upgrade into the max level produces changelog
 *    without rewriting the file (Java `FullChangelogMergeTreeCompactRewriter`).
 *  - "lookup" / "first-row" (tables that need lookup: `changelog-producer = lookup`,
 *    `force-lookup`, first-row): a rewrite holding a level-0 file into a level > 0 merges through
 *    the lookup wrapper, producing changelog only with `changelog-producer = lookup`. Upgrading
 *    a level-0 file (Java `LookupMergeTreeCompactRewriter#upgradeStrategy`): into the max level,
 *    or for deduplicate without `sequence.field`, changelog without rewrite; other engines
 *    rewrite the file (records of higher levels are folded in). Files of other levels upgrade
 *    plainly.
 * Changelog files: `changelog-<uuid>-<n>.parquet` (the bucket's namer), at the output level,
 * FILE_SOURCE.APPEND, rolled at `target-file-size` (Java `createRollingChangelogFileWriter`).
 * The compacted file holds each non-null result, retracts dropped when `dropDelete`.
 *
 * Not done: deletion vectors (refused by the caller), `file.format.per.level` other than
 * Parquet (refused by the writer), `lookup.remote-file.enabled` remote lookup files (ignored:
 * only a Java-side cache).
 * Imports: spec (core_options_view, core_options_types, data_file_meta, row_kind, schema,
 * values types), lsm (key_value, levels, lookup_levels, merge_reader, merge_function/*,
 * rolling_file_writer, sorted_run, compaction/{changelog_merge,compact_task_plan}).
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/ChangelogMergeTreeRewriter.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/LookupMergeTreeCompactRewriter.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/FullChangelogMergeTreeCompactRewriter.java
 */
import { LakeError } from "../../errors.ts";
import type { KeyKernel } from "../../kernel/mod.ts";
import { optionBoolean, optionString } from "../../spec/core_options.ts";
import { ChangelogProducer, MergeEngine } from "../../spec/core_options_types.ts";
import type { CoreOptions } from "../../spec/core_options_view.ts";
import { FILE_SOURCE, type DataFileMeta } from "../../spec/data_file_meta.ts";
import { isRetract } from "../../spec/row_kind.ts";
import { logicalTrimmedPrimaryKeysType, type TableSchema } from "../../spec/schema.ts";
import type { Value } from "../../spec/values.ts";
import { assert } from "../../util/assert.ts";
import type { KeyValue } from "../key_value.ts";
import type { Levels } from "../levels.ts";
import type { LookupLevels } from "../lookup_levels.ts";
import { FirstRowMergeFunction } from "../merge_function/first_row.ts";
import { LookupMergeFunction } from "../merge_function/lookup.ts";
import type { MergeFunction, TableMergeFunctionFactory } from "../merge_function/merge_function.ts";
import { mergeReadRuns, type SortedRunBatch } from "../merge_reader.ts";
import { changelogTargetOf, writeRollingFiles, type DataFileTarget } from "../rolling_file_writer.ts";
import type { KeyRange, SortedRun } from "../sorted_run.ts";
import {
  createRowEqualiser, FirstRowChangelogMergeFunction, FullChangelogMergeFunction, LookupChangelogMergeFunction, type RowEqualiser,
} from "./changelog_merge.ts";
import { upgradeFile } from "./compact_task_plan.ts";

const NOUN = "compaction";

/** Which rewriter a bucket's compactions use. */
export type RewriterKind = "plain" | "full-changelog" | "lookup" | "first-row";

/** Java `createRewriter`'s choice. */
export function rewriterKindOf(options: CoreOptions, mergeFactory: TableMergeFunctionFactory): RewriterKind {
  if (options.changelogProducer === ChangelogProducer.FULL_COMPACTION) return "full-changelog";
  if (!mergeFactory.needLookup) return "plain";
  return mergeFactory.mergeEngine === MergeEngine.FIRST_ROW ? "first-row" : "lookup";
}

/** What an upgrade does under a changelog rewriter (Java `UpgradeStrategy`). */
export interface UpgradeStrategy {
  readonly changelog: boolean;
  readonly rewrite: boolean;
}

const NO_CHANGELOG: UpgradeStrategy = { changelog: false, rewrite: false };
const CHANGELOG_NO_REWRITE: UpgradeStrategy = { changelog: true, rewrite: false };
const CHANGELOG_WITH_REWRITE: UpgradeStrategy = { changelog: true, rewrite: true };

/** Everything a changelog rewrite needs besides its sections. */
export interface ChangelogRewriteEnv {
  readonly kind: Exclude<RewriterKind, "plain">;
  readonly schema: TableSchema;
  readonly options: CoreOptions;
  readonly mergeFactory: TableMergeFunctionFactory;
  readonly kernel: KeyKernel;
  /** The bucket's levels when the compaction was picked. */
  readonly levels: Levels;
  /** Lookup of previous values (kinds "lookup" and "first-row"). */
  readonly lookupLevels: LookupLevels | null;
  /** Reads the files of a section as sorted runs (every file in the current schema). */
  readonly readRuns: (section: readonly SortedRun[]) => Promise<SortedRunBatch[]>;
  /** Targets of the compacted files and the changelog files at `level`. */
  readonly compactTarget: (level: number) => DataFileTarget;
  readonly changelogTarget: (level: number) => DataFileTarget;
}

/** True when changelog files are written (lookup: `changelog-producer = lookup`). */
export function producesChangelog(env: Pick<ChangelogRewriteEnv, "kind" | "options">): boolean {
  return env.kind === "full-changelog" || env.options.changelogProducer === ChangelogProducer.LOOKUP;
}

/** Java `rewriteChangelog`: the rewrite of `sections` into `outputLevel` goes through the changelog wrapper. */
export function rewritesWithChangelog(kind: Exclude<RewriterKind, "plain">, outputLevel: number, maxLevel: number, dropDelete: boolean, sections: readonly (readonly SortedRun[])[]): boolean {
  if (kind === "full-changelog") {
    const changelog = outputLevel === maxLevel;
    if (changelog && !dropDelete) throw new LakeError("invalid_argument", `${NOUN}: Delete records should be dropped from result of full compaction. This is unexpected.`);
    return changelog;
  }
  if (outputLevel === 0) return false;
  return sections.some((runs) => runs.some((run) => run.files.some((f) => f.level === 0)));
}

/** Java `upgradeStrategy` of the rewriter of `kind`. */
export function upgradeStrategy(kind: Exclude<RewriterKind, "plain">, outputLevel: number, file: DataFileMeta, opts: { maxLevel: number; engine: string; noSequenceField: boolean }): UpgradeStrategy {
  if (kind === "full-changelog") return outputLevel === opts.maxLevel ? CHANGELOG_NO_REWRITE : NO_CHANGELOG;
  if (file.level !== 0) return NO_CHANGELOG;
  if (outputLevel === opts.maxLevel) return CHANGELOG_NO_REWRITE;
  if (opts.engine === MergeEngine.DEDUPLICATE && opts.noSequenceField) return CHANGELOG_NO_REWRITE;
  return CHANGELOG_WITH_REWRITE;
}

/** Rows gathered for one output. */
class RowsOut {
  readonly columns: Value[][];
  readonly seqs: bigint[] = [];
  readonly kinds: number[] = [];

  constructor(fieldCount: number) {
    this.columns = Array.from({ length: fieldCount }, () => []);
  }

  push(kv: KeyValue): void {
    for (let c = 0; c < this.columns.length; c++) this.columns[c]!.push(kv.value[c] ?? null);
    this.seqs.push(kv.sequenceNumber);
    this.kinds.push(kv.rowKind);
  }

  get rowCount(): number {
    return this.kinds.length;
  }

  rows() {
    return { rowCount: this.rowCount, columns: this.columns, sequenceNumbers: BigInt64Array.from(this.seqs), rowKinds: Uint8Array.from(this.kinds) };
  }
}

/** Records every non-null result (the merge reader only hands back values and kinds). */
class ResultCapture implements MergeFunction {
  readonly #inner: MergeFunction;
  readonly #out: (kv: KeyValue) => void;

  constructor(inner: MergeFunction, out: (kv: KeyValue) => void) {
    this.#inner = inner;
    this.#out = out;
  }

  reset(): void { this.#inner.reset(); }

  add(kv: KeyValue): void { this.#inner.add(kv); }

  getResult(): KeyValue | null {
    const result = this.#inner.getResult();
    if (result !== null) this.#out(result);
    return result;
  }
}

function keyRangeOf(files: readonly DataFileMeta[], compareKeys: (a: Uint8Array, b: Uint8Array) => number): KeyRange {
  let minKey = files[0]!.minKey, maxKey = files[0]!.maxKey;
  for (const f of files) {
    if (compareKeys(f.minKey, minKey) < 0) minKey = f.minKey;
    if (compareKeys(f.maxKey, maxKey) > 0) maxKey = f.maxKey;
  }
  return { minKey, maxKey };
}

function wrapperOf(env: ChangelogRewriteEnv, outputLevel: number, equaliser: RowEqualiser | null, sink: ((kv: KeyValue) => void) | null): MergeFunction {
  const fields = env.schema.fields;
  const inner = env.mergeFactory.create(fields);
  if (env.kind === "full-changelog") {
    assert(sink !== null, `${NOUN}: full-compaction changelog without a sink`);
    return new FullChangelogMergeFunction(inner, { maxLevel: env.levels.maxLevel, equaliser, sink });
  }
  const lookupLevels = env.lookupLevels;
  assert(lookupLevels !== null, `${NOUN}: lookup rewrite without lookup levels`);
  if (env.kind === "first-row") {
    assert(inner instanceof FirstRowMergeFunction, `${NOUN}: Merge function should be a FirstRowMergeFunction, there is a bug.`);
    return new FirstRowChangelogMergeFunction(inner, { contains: (key) => lookupLevels.lookup(env.levels, key, outputLevel + 1) !== null, sink });
  }
  assert(inner instanceof LookupMergeFunction, `${NOUN}: Merge function should be a LookupMergeFunction, there is a bug.`);
  return new LookupChangelogMergeFunction(inner, {
    lookup: (key) => lookupLevels.lookup(env.levels, key, outputLevel + 1),
    equaliser, sink, sequenceComparator: env.mergeFactory.sequenceComparator(fields),
  });
}

/**
 * Java `rewriteOrProduceChangelog`: merges each section through the changelog wrapper; writes
 * the results at `outputLevel` when `rewriteCompactFile` (else the files are upgraded), and
 * the changelog records when the rewriter produces changelog. Returns replaced, new and
 * changelog files.
 */
export async function rewriteOrProduceChangelog(
  env: ChangelogRewriteEnv, sections: readonly (readonly SortedRun[])[], outputLevel: number, dropDelete: boolean, rewriteCompactFile: boolean,
): Promise<{ before: DataFileMeta[]; after: DataFileMeta[]; changelog: DataFileMeta[] }> {
  const before = sections.flatMap((runs) => runs.flatMap((run) => [...run.files]));
  if (env.lookupLevels !== null && before.length > 0 && outputLevel + 1 < env.levels.levelCount) {
    await env.lookupLevels.prepare(env.levels, outputLevel + 1, keyRangeOf(before, env.levels.compareKeys));
  }
  const fields = env.schema.fields;
  const options = env.options.options;
  const equaliser = createRowEqualiser(fields, optionBoolean(options, "changelog-producer.row-deduplicate")!,
    (optionString(options, "changelog-producer.row-deduplicate-ignore-fields") ?? "").split(",").map((s) => s.trim()).filter((s) => s !== ""));
  const compacted = new RowsOut(fields.length);
  const changelog = new RowsOut(fields.length);
  const sink = producesChangelog(env) ? (kv: KeyValue) => changelog.push(kv) : null;
  const keyTypes = logicalTrimmedPrimaryKeysType(env.schema).fields.map((f) => f.type);
  for (const section of sections) {
    const runs = await env.readRuns(section);
    const wrapper = new ResultCapture(wrapperOf(env, outputLevel, equaliser, sink), (kv) => {
      if (rewriteCompactFile && (!dropDelete || !isRetract(kv.rowKind))) compacted.push(kv);
    });
    mergeReadRuns(runs, { kernel: env.kernel, keyTypes, mergeFunction: wrapper, sequenceComparator: env.mergeFactory.sequenceComparator(fields), dropRetracts: false });
  }
  const after = rewriteCompactFile
    ? (compacted.rowCount === 0 ? [] : await writeRollingFiles(compacted.rows(), env.compactTarget(outputLevel)))
    : before.map((f) => upgradeFile(f, outputLevel));
  const changelogFiles = changelog.rowCount === 0 ? [] : await writeRollingFiles(changelog.rows(), env.changelogTarget(outputLevel));
  return { before, after, changelog: changelogFiles };
}

/** The target of changelog files (see the file header). */
export function changelogFileTarget(compact: DataFileTarget, nextChangelogFileName: () => string): DataFileTarget {
  return changelogTargetOf({ ...compact, fileSource: FILE_SOURCE.APPEND, nextFileName: nextChangelogFileName });
}
