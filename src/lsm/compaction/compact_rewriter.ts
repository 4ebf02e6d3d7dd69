/**
 * Compaction executor of one primary-key bucket: runs a picked CompactUnit the way Java's
 * `MergeTreeCompactTask` + `MergeTreeCompactRewriter` do, and returns the files it replaced and
 * wrote (the commit is the caller's: table_compact.ts, or the writer after a flush).
 *
 * Steps come from compact_task_plan.ts. "upgrade": the same file at the output level (Java
 * `DataFileMeta#upgrade`). "rewrite": the files of the step's sections are read (each with the
 * schema it was written with, evolved to `ctx.schema` by field id), merged section by section
 * with the table's merge function (`mergeFactory.create()` behind the single-record shortcut,
 * Java `ReducerMergeFunctionWrapper`), results of kind -U/-D dropped when `dropDelete` (Java
 * `DropDeleteReader`) and kept otherwise, then written at the output level as COMPACT files by
 * one rolling writer (so files may span sections, as in Java). Merged records keep the
 * sequence number and row kind the merge function gives them.
 *
 * Two merge paths, same rows: the general one (format/data readDataFile + lsm/merge_reader.ts,
 * every engine and type) and the columnar one for deduplicate tables (compact_dedup_columns.ts:
 * fast Parquet reader, lsm/dedup_merge.ts, typed gathers, Arrow-buffer writer), taken when
 * `dedupColumnsBlocker` finds nothing against it; it may also step aside at run time, and the
 * step is then merged by the general path.
 *
 * Changelog (changelog_rewriter.ts, Java `ChangelogMergeTreeRewriter`): with
 * `changelog-producer = full-compaction`, and for tables that need lookup
 * (`changelog-producer = lookup`, `force-lookup`, first-row), the steps the rewriter's rules
 * name go through a changelog wrapper instead: lookup wrappers look each key's previous value up
 * in the levels below the output level (lsm/lookup_levels.ts, cached in `ctx.lookupLevels`
 * across compactions of a writer), emit changelog files and fold the deeper value in.
 *
 * Unsupported (LakeError "unsupported"): `deletion-vectors.enabled` (compaction would have to
 * maintain deletion vectors); data files at external paths.
 * Memory: a rewrite step holds all its input and output rows; a lookup step also the files of
 * deeper levels overlapping its key range.
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/MergeTreeCompactTask.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/MergeTreeCompactRewriter.java
 *
 * Imports: errors.ts, kernel (types), spec/*, format/data (readDataFile, parquet types), io
 * (types), lsm (levels, lookup_levels, merge_reader, merge_function, rolling writers, compaction
 * plan modules, compact_dedup_columns.ts, changelog_rewriter.ts).
 */
import { LakeError } from "../../errors.ts";
import { readDataFile } from "../../format/data/data_file_reader.ts";
import type { ParquetWasmModule } from "../../format/data/parquet_wasm_loader.ts";
import type { ObjectStore } from "../../io/store.ts";
import type { KeyKernel } from "../../kernel/mod.ts";
import { bytesToNumber, optionMemoryBytes } from "../../spec/core_options.ts";
import type { CoreOptions } from "../../spec/core_options_view.ts";
import { FILE_SOURCE, type DataFileMeta } from "../../spec/data_file_meta.ts";
import { bucketDirName, SCHEMA_DIR, schemaFileName } from "../../spec/paths.ts";
import { isRetract } from "../../spec/row_kind.ts";
import { decodeTableSchema, logicalTrimmedPrimaryKeysType, type TableSchema } from "../../spec/schema.ts";
import type { Value } from "../../spec/values.ts";
import { utf8Decode } from "../../util/bytes.ts";
import { assert } from "../../util/assert.ts";
import type { KeyValue } from "../key_value.ts";
import type { Levels } from "../levels.ts";
import { ReducerMergeFunction, type MergeFunction, type TableMergeFunctionFactory } from "../merge_function/merge_function.ts";
import { mergeReadRuns, type SortedRunBatch } from "../merge_reader.ts";
import { writeRollingBuffers } from "../rolling_buffer_writer.ts";
import { writeRollingFiles, type DataFileTarget } from "../rolling_file_writer.ts";
import { LookupLevels } from "../lookup_levels.ts";
import { sortedRunOfSingle, type SortedRun } from "../sorted_run.ts";
import {
  changelogFileTarget, rewriteOrProduceChangelog, rewriterKindOf, rewritesWithChangelog, upgradeStrategy, type ChangelogRewriteEnv,
} from "./changelog_rewriter.ts";
import { dedupColumnsBlocker, mergeDedupColumns, type FetchedFile } from "./compact_dedup_columns.ts";
import { planCompactTask, upgradeFile } from "./compact_task_plan.ts";
import type { CompactUnit } from "./compact_unit.ts";
import { compactionSettingsFromOptions } from "./compaction_options.ts";

const NOUN = "compaction";

/** Everything a compaction of one (partition, bucket) needs. */
export interface CompactContext {
  /** The table root. */
  readonly store: ObjectStore;
  /** The table's current schema: files are read into it and written with it. */
  readonly schema: TableSchema;
  /** "" or "dt=2024-01-01/hr=1/" (trailing slash), as the files' directory prefix. */
  readonly partitionPath: string;
  readonly bucket: number;
  readonly kernel: KeyKernel;
  /** An initialised parquet-wasm (writing; the columnar path also reads with it). */
  readonly parquet: ParquetWasmModule;
  /** The table's merge function factory (`createMergeFunctionFactory(schema, { tableOptions })`). */
  readonly mergeFactory: TableMergeFunctionFactory;
  /** The table options (schema options plus dynamic options) compaction runs with. */
  readonly options: CoreOptions;
  /** Names of new data files (rolling_file_writer.ts `dataFileNamer`). */
  readonly nextFileName: () => string;
  /** Clock, epoch ms (creation time of new files). */
  readonly nowMs: () => number;
  /** Schema of a file's `_SCHEMA_ID`; default: read `schema/schema-<id>` from `store` (cached per call). */
  readonly schemaById?: (id: bigint) => Promise<TableSchema>;
  /** Names of new changelog files (`changelog-file.prefix`, the bucket's namer); required when compaction produces changelog. */
  readonly nextChangelogFileName?: () => string;
  /** The bucket's lookup cache, kept across compactions by a writer; default: one per call. */
  readonly lookupLevels?: LookupLevels;
}

/** What a compaction did (Java `CompactResult`). */
export interface CompactResult {
  /** Files replaced (at their old level), in step order. */
  readonly before: DataFileMeta[];
  /** Files written or upgraded (at the output level), in step order. */
  readonly after: DataFileMeta[];
  /** Changelog files written (lookup / full-compaction changelog producers), in step order. */
  readonly changelog: DataFileMeta[];
}

/** Throws LakeError("unsupported") for the tables this executor does not serve (file header). */
export function checkCompactionSupported(_unit: CompactUnit, _levels: Levels, ctx: Pick<CompactContext, "options" | "mergeFactory">): void {
  if (ctx.options.deletionVectorsEnabled) {
    throw new LakeError("unsupported", `${NOUN}: tables with deletion-vectors.enabled = true cannot be compacted yet (compaction would have to maintain deletion vectors)`);
  }
}

/** Records the sequence number of every non-null result, in result order. */
class SequenceCapture implements MergeFunction {
  readonly sequenceNumbers: bigint[] = [];
  private readonly inner: MergeFunction;

  constructor(inner: MergeFunction) {
    this.inner = inner;
  }

  reset(): void { this.inner.reset(); }

  add(kv: KeyValue): void { this.inner.add(kv); }

  getResult(): KeyValue | null {
    const result = this.inner.getResult();
    if (result !== null) this.sequenceNumbers.push(result.sequenceNumber);
    return result;
  }
}

function schemaLoader(ctx: CompactContext): (id: bigint) => Promise<TableSchema> {
  if (ctx.schemaById !== undefined) return ctx.schemaById;
  const cache = new Map<bigint, Promise<TableSchema>>([[ctx.schema.id, Promise.resolve(ctx.schema)]]);
  return (id) => {
    let s = cache.get(id);
    if (s === undefined) {
      const name = schemaFileName(id);
      cache.set(id, s = ctx.store.get(`${SCHEMA_DIR}/${name}`).then((bytes) => decodeTableSchema(utf8Decode(bytes), { fileName: name })));
    }
    return s;
  };
}

async function readRuns(ctx: CompactContext, schemaOf: (id: bigint) => Promise<TableSchema>, section: readonly SortedRun[]): Promise<SortedRunBatch[]> {
  const runs: SortedRunBatch[] = [];
  for (const run of section) {
    for (const meta of run.files) runs.push({ batch: await readFile(ctx, schemaOf, meta, await fetchFile(ctx, meta)), level: meta.level });
  }
  return runs;
}

async function readFile(ctx: CompactContext, schemaOf: (id: bigint) => Promise<TableSchema>, meta: DataFileMeta, bytes: Uint8Array) {
  const batch = await readDataFile(bytes, { fileName: meta.fileName, fileSchema: await schemaOf(meta.schemaId), readSchema: ctx.schema, primaryKey: true });
  if (BigInt(batch.rowCount) !== meta.rowCount) throw new LakeError("corruption", `${NOUN}: data file ${meta.fileName} holds ${batch.rowCount} rows, the manifest says ${meta.rowCount}`);
  return batch;
}

async function fetchFile(ctx: CompactContext, file: DataFileMeta): Promise<Uint8Array<ArrayBuffer>> {
  if (file.externalPath !== null) {
    throw new LakeError("unsupported", `${NOUN}: data file ${file.fileName} lives at the external path ${file.externalPath}; external data paths are not supported yet`);
  }
  const path = `${ctx.partitionPath}${bucketDirName(ctx.bucket)}/${file.fileName}`;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await ctx.store.get(path);
  } catch (error) {
    if (error instanceof LakeError && error.code === "not_found") {
      throw new LakeError("not_found", `${NOUN}: data file ${path} is listed in the snapshot but missing from storage`, { cause: error });
    }
    throw error;
  }
  if (BigInt(bytes.length) !== file.fileSize) throw new LakeError("corruption", `${NOUN}: data file ${file.fileName} is ${bytes.length} bytes, the manifest says ${file.fileSize}`);
  return bytes;
}

/** The merged rows of one rewrite step, by the general path. */
async function mergeGeneral(sections: readonly (readonly FetchedFile[])[], ctx: CompactContext, schemaOf: (id: bigint) => Promise<TableSchema>, dropDelete: boolean) {
  const fields = ctx.schema.fields;
  const keyTypes = logicalTrimmedPrimaryKeysType(ctx.schema).fields.map((f) => f.type);
  const columns: Value[][] = fields.map(() => []);
  const seqs: bigint[] = [];
  const kinds: number[] = [];
  for (const section of sections) {
    const runs: SortedRunBatch[] = [];
    for (const { meta, bytes } of section) runs.push({ batch: await readFile(ctx, schemaOf, meta, bytes), level: meta.level });
    const capture = new SequenceCapture(new ReducerMergeFunction(ctx.mergeFactory.create(fields)));
    const merged = mergeReadRuns(runs, {
      kernel: ctx.kernel, keyTypes, mergeFunction: capture, sequenceComparator: ctx.mergeFactory.sequenceComparator(fields), dropRetracts: false,
    });
    assert(capture.sequenceNumbers.length === merged.rowCount, `${NOUN}: ${capture.sequenceNumbers.length} merge results for ${merged.rowCount} rows`);
    for (let i = 0; i < merged.rowCount; i++) {
      const kind = merged.rowKinds[i]!;
      if (dropDelete && isRetract(kind)) continue;
      for (let c = 0; c < fields.length; c++) columns[c]!.push(merged.columns[c]![i] ?? null);
      seqs.push(capture.sequenceNumbers[i]!);
      kinds.push(kind);
    }
  }
  return { rowCount: kinds.length, columns, sequenceNumbers: BigInt64Array.from(seqs), rowKinds: Uint8Array.from(kinds) };
}

/** Files of the sections, in section, run and file order. */
function sectionFiles(sections: readonly (readonly SortedRun[])[]): DataFileMeta[][] {
  return sections.map((runs) => runs.flatMap((run) => [...run.files]));
}

function compactTarget(ctx: CompactContext, level: number): DataFileTarget {
  return {
    store: ctx.store, schema: { ...ctx.schema, options: ctx.options.options }, partitionPath: ctx.partitionPath, bucket: ctx.bucket, level,
    fileSource: FILE_SOURCE.COMPACT, parquet: ctx.parquet, targetFileSizeBytes: ctx.options.targetFileSizeBytes(true), nextFileName: ctx.nextFileName, nowMs: ctx.nowMs,
  };
}

/**
 * A lookup cache for the bucket of `ctx` (files read into `ctx.schema`), for a writer to keep
 * across its compactions (`CompactContext.lookupLevels`); it keeps at most
 * `lookup.cache-max-memory-size` of files (storage size) between compactions.
 */
export function createLookupLevels(ctx: CompactContext, schemaOf: (id: bigint) => Promise<TableSchema> = schemaLoader(ctx)): LookupLevels {
  const keyTypes = logicalTrimmedPrimaryKeysType(ctx.schema).fields.map((f) => f.type);
  const cacheBytesMax = bytesToNumber(optionMemoryBytes(ctx.options.options, "lookup.cache-max-memory-size")!);
  return new LookupLevels(keyTypes, async (meta) => readFile(ctx, schemaOf, meta, await fetchFile(ctx, meta)), cacheBytesMax);
}

/** The changelog rewriter of `ctx`'s table over `levels`, or null for plain compaction. */
function changelogEnv(ctx: CompactContext, levels: Levels, schemaOf: (id: bigint) => Promise<TableSchema>): ChangelogRewriteEnv | null {
  const kind = rewriterKindOf(ctx.options, ctx.mergeFactory);
  if (kind === "plain") return null;
  const lookupLevels = kind === "full-changelog" ? null : ctx.lookupLevels ?? createLookupLevels(ctx, schemaOf);
  return {
    kind, schema: ctx.schema, options: ctx.options, mergeFactory: ctx.mergeFactory, kernel: ctx.kernel, levels, lookupLevels,
    readRuns: (section) => readRuns(ctx, schemaOf, section),
    compactTarget: (level) => compactTarget(ctx, level),
    changelogTarget: (level) => {
      const next = ctx.nextChangelogFileName;
      if (next === undefined) throw new LakeError("invalid_argument", `${NOUN}: this compaction produces changelog but got no changelog file namer`);
      return changelogFileTarget(compactTarget(ctx, level), next);
    },
  };
}

async function rewrite(
  sections: readonly (readonly SortedRun[])[], outputLevel: number, ctx: CompactContext, schemaOf: (id: bigint) => Promise<TableSchema>, dropDelete: boolean,
): Promise<{ before: DataFileMeta[]; after: DataFileMeta[] }> {
  const metas = sectionFiles(sections);
  const before = metas.flat();
  const fetched: FetchedFile[][] = await Promise.all(metas.map((files) => Promise.all(files.map(async (meta) => ({ meta, bytes: await fetchFile(ctx, meta) })))));
  const target = compactTarget(ctx, outputLevel);
  let inputBytes = 0, inputRows = 0;
  for (const f of before) { inputBytes += Number(f.fileSize); inputRows += Number(f.rowCount); }
  if (await dedupColumnsBlocker(ctx, before, schemaOf) === null) {
    const columns = await mergeDedupColumns(fetched, { kernel: ctx.kernel, parquet: ctx.parquet, schema: ctx.schema, schemaOf, dropDelete });
    if (columns !== null) {
      return { before, after: await writeRollingBuffers(columns, target, { bytesPerRowHint: inputRows > 0 ? inputBytes / inputRows : undefined }) };
    }
  }
  const rows = await mergeGeneral(fetched, ctx, schemaOf, dropDelete);
  return { before, after: await writeRollingFiles(rows, target) };
}

/**
 * Runs the compaction of `unit` in the bucket whose live files form `levels` (see the file
 * header) and returns the replaced and new files. Writes new data files; commits nothing.
 * Requires: `unit` was picked from `levels`; `opts.dropDelete` as compact_manager_plan.ts
 * `shouldDropDelete` decides. Errors: LakeError("unsupported") (file header), ("not_found") for
 * a listed file missing from storage, ("corruption") for damaged files, the store's errors.
 */
export async function runCompaction(unit: CompactUnit, levels: Levels, ctx: CompactContext, opts: { dropDelete: boolean }): Promise<CompactResult> {
  checkCompactionSupported(unit, levels, ctx);
  const settings = compactionSettingsFromOptions(ctx.options.options, { needLookup: ctx.mergeFactory.needLookup });
  const steps = planCompactTask(unit, {
    compareKeys: levels.compareKeys,
    compactionFileSizeBytes: settings.compactionFileSizeBytes,
    maxLevel: levels.maxLevel,
    forceRewriteAllFiles: settings.forceRewriteAllFiles,
  });
  const schemaOf = schemaLoader(ctx);
  const env = changelogEnv(ctx, levels, schemaOf);
  const engine = ctx.mergeFactory.mergeEngine;
  const noSequenceField = ctx.options.sequenceFields.length === 0;
  const before: DataFileMeta[] = [];
  const after: DataFileMeta[] = [];
  const changelog: DataFileMeta[] = [];
  const add = (done: { before: DataFileMeta[]; after: DataFileMeta[]; changelog?: DataFileMeta[] }): void => {
    before.push(...done.before);
    after.push(...done.after);
    changelog.push(...done.changelog ?? []);
  };
  for (const step of steps) {
    if (step.kind === "upgrade") {
      const strategy = env === null ? null : upgradeStrategy(env.kind, unit.outputLevel, step.file, { maxLevel: levels.maxLevel, engine, noSequenceField });
      if (env !== null && strategy!.changelog) {
        // Java `ChangelogMergeTreeRewriter#upgrade`: forceDropDelete is false without deletion vectors.
        add(await rewriteOrProduceChangelog(env, [[sortedRunOfSingle(step.file)]], unit.outputLevel, false, strategy!.rewrite));
        continue;
      }
      add({ before: [step.file], after: [upgradeFile(step.file, unit.outputLevel)] });
      continue;
    }
    if (env !== null && rewritesWithChangelog(env.kind, unit.outputLevel, levels.maxLevel, opts.dropDelete, step.sections)) {
      add(await rewriteOrProduceChangelog(env, step.sections, unit.outputLevel, opts.dropDelete, true));
      continue;
    }
    add(await rewrite(step.sections, unit.outputLevel, ctx, schemaOf, opts.dropDelete));
  }
  return { before, after, changelog };
}
