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
 * Unsupported (LakeError "unsupported"): `deletion-vectors.enabled` (compaction would have to
 * maintain deletion vectors); `changelog-producer` lookup or full-compaction (compaction then
 * produces changelog: issue 5); lookup tables other than first-row (`force-lookup`) when data
 * can lie below the output level (Java's lookup rewriter folds it in; issue 5); data files at
 * external paths. First-row tables are compacted by plain merging: Java's first-row rewriter
 * also drops level-0 records whose key already sits below the output level; we keep them until
 * a later compaction merges them with that level (reads return the same rows either way).
 * Memory: a rewrite step holds all its input and output rows.
 *
 * Mirrors https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/MergeTreeCompactTask.java
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/MergeTreeCompactRewriter.java
 *
 * Imports: errors.ts, kernel (types), spec/*, format/data (readDataFile, parquet types), io
 * (types), lsm (levels, merge_reader, merge_function, rolling writers, compaction plan modules,
 * compact_dedup_columns.ts).
 */
import { LakeError } from "../../errors.ts";
import { readDataFile } from "../../format/data/data_file_reader.ts";
import type { ParquetWasmModule } from "../../format/data/parquet_wasm_loader.ts";
import type { ObjectStore } from "../../io/store.ts";
import type { KeyKernel } from "../../kernel/mod.ts";
import { ChangelogProducer, MergeEngine } from "../../spec/core_options_types.ts";
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
import type { SortedRun } from "../sorted_run.ts";
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
}

/** What a compaction did (Java `CompactResult`). */
export interface CompactResult {
  /** Files replaced (at their old level), in step order. */
  readonly before: DataFileMeta[];
  /** Files written or upgraded (at the output level), in step order. */
  readonly after: DataFileMeta[];
  /** Changelog files: always empty (no changelog producer is supported for compaction). */
  readonly changelog: DataFileMeta[];
}

/** Throws LakeError("unsupported") for the tables and units this executor does not serve (file header). */
export function checkCompactionSupported(unit: CompactUnit, levels: Levels, ctx: Pick<CompactContext, "options" | "mergeFactory">): void {
  const options = ctx.options;
  if (options.deletionVectorsEnabled) {
    throw new LakeError("unsupported", `${NOUN}: tables with deletion-vectors.enabled = true cannot be compacted yet (compaction would have to maintain deletion vectors)`);
  }
  const producer = options.changelogProducer;
  if (producer === ChangelogProducer.LOOKUP || producer === ChangelogProducer.FULL_COMPACTION) {
    throw new LakeError("unsupported", `${NOUN}: changelog-producer = ${producer} produces changelog while compacting, which lakestate does not do yet (issue 5, changelog); compaction is refused rather than losing changelog`);
  }
  if (ctx.mergeFactory.needLookup && ctx.mergeFactory.mergeEngine !== MergeEngine.FIRST_ROW && unit.outputLevel < levels.nonEmptyHighestLevel) {
    throw new LakeError("unsupported", `${NOUN}: this table needs lookup compaction (force-lookup): compacting into level ${unit.outputLevel} while level ${levels.nonEmptyHighestLevel} holds data needs Java's lookup rewriter (issue 5); run a full compaction instead`);
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
    for (const { meta, bytes } of section) {
      const batch = await readDataFile(bytes, { fileName: meta.fileName, fileSchema: await schemaOf(meta.schemaId), readSchema: ctx.schema, primaryKey: true });
      if (BigInt(batch.rowCount) !== meta.rowCount) throw new LakeError("corruption", `${NOUN}: data file ${meta.fileName} holds ${batch.rowCount} rows, the manifest says ${meta.rowCount}`);
      runs.push({ batch, level: meta.level });
    }
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

async function rewrite(
  sections: readonly (readonly SortedRun[])[], outputLevel: number, ctx: CompactContext, schemaOf: (id: bigint) => Promise<TableSchema>, dropDelete: boolean,
): Promise<{ before: DataFileMeta[]; after: DataFileMeta[] }> {
  const metas = sectionFiles(sections);
  const before = metas.flat();
  const fetched: FetchedFile[][] = await Promise.all(metas.map((files) => Promise.all(files.map(async (meta) => ({ meta, bytes: await fetchFile(ctx, meta) })))));
  const schema = { ...ctx.schema, options: ctx.options.options };
  const target: DataFileTarget = {
    store: ctx.store, schema, partitionPath: ctx.partitionPath, bucket: ctx.bucket, level: outputLevel, fileSource: FILE_SOURCE.COMPACT,
    parquet: ctx.parquet, targetFileSizeBytes: ctx.options.targetFileSizeBytes(true), nextFileName: ctx.nextFileName, nowMs: ctx.nowMs,
  };
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
  const before: DataFileMeta[] = [];
  const after: DataFileMeta[] = [];
  for (const step of steps) {
    if (step.kind === "upgrade") {
      before.push(step.file);
      after.push(upgradeFile(step.file, unit.outputLevel));
      continue;
    }
    const done = await rewrite(step.sections, unit.outputLevel, ctx, schemaOf, opts.dropDelete);
    before.push(...done.before);
    after.push(...done.after);
  }
  return { before, after, changelog: [] };
}
