// Goal: Debian's python3-avro (the Apache Avro reference reader for Python) reads every manifest,
// manifest list and index manifest lakestate writes, with Java's default codec (zstandard) and
// with 'manifest.compression' = 'null' and 'deflate', and finds exactly what we meant to write.
// Method: per codec, write a real primary-key table to a temp directory (partitioned, 2 buckets,
// deletion vectors on): two APPEND commits of real Parquet files (updates and -D rows), a
// COMPACT commit that replaces a bucket's files and adds a deletion-vector index file, and one
// more APPEND; and a table written by table.newWrite (the real writer). Then run test/interop/avro_dump.py (avro.datafile.DataFileReader) on every file in
// manifest/ and compare, field by field: the codec; the embedded writer schema (text equal to
// lakestate's header, JSON equal to our writer schema constants); every record equal to
// lakestate's generic Avro decode and to lakestate's typed decode re-encoded; and the records
// against what the test wrote: each data file's ADD (and compacted files' DELETE) entry with its
// DataFileMeta, partition, bucket and total buckets; manifest-list sizes, counts, bucket/level
// ranges and partition stats recomputed from the python-read manifests; the index manifest
// against the index file written; snapshot list sizes against the files on disk.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { assert, describe, test } from "../harness.ts";
import { readAvroContainer } from "../../src/format/avro/container.ts";
import {
  decodeIndexManifest, decodeManifest, decodeManifestList,
} from "../../src/format/manifest/manifest_codec.ts";
import { indexManifestEntryToRecord, manifestEntryToRecord, manifestFileMetaToRecord } from "../../src/format/manifest/manifest_records.ts";
import { decodeSerializedBinaryRow, encodeSerializedBinaryRow } from "../../src/spec/binary_row.ts";
import { atomic, parseTypeString } from "../../src/spec/data_types.ts";
import {
  INDEX_MANIFEST_ENTRY_AVRO_SCHEMA, MANIFEST_ENTRY_AVRO_SCHEMA, MANIFEST_FILE_META_AVRO_SCHEMA,
} from "../../src/spec/manifest_avro_schemas.ts";
import { RowKind } from "../../src/spec/row_kind.ts";
import { createTableSchema, logicalPartitionType } from "../../src/spec/schema.ts";
import { decodeSimpleStats } from "../../src/spec/simple_stats.ts";
import { decodeSnapshot } from "../../src/spec/snapshot.ts";
import { timestamp, type Value } from "../../src/spec/values.ts";
import { fromHex, toHex } from "../../src/util/bytes.ts";
import { parquetWasm } from "../unit/format/parquet_writer_support.ts";
import { CommitPathTable, uuidSource, type RowChange } from "./commit_path_table.ts";
import { writeLakestateTable } from "./lakestate_table_writer.ts";
import { dirStore, exactJson, listFilesRecursive, readWithPythonAvro, tempDir, type ExactJson, type PythonAvroFile } from "./interop_support.ts";

const FIELDS = [
  { id: 0, name: "k", type: atomic("INT", { nullable: false }) },
  { id: 1, name: "p", type: parseTypeString("STRING NOT NULL") },
  { id: 2, name: "v", type: atomic("BIGINT") },
  { id: 3, name: "s", type: parseTypeString("STRING") },
  { id: 4, name: "ts", type: parseTypeString("TIMESTAMP(3)") },
];

const CODECS = [
  { option: null, codec: "zstandard" },
  { option: "null", codec: "null" },
  { option: "deflate", codec: "deflate" },
] as const;

function row(k: number, p: string, v: bigint | null, s: string | null): Value[] {
  return [k, p, v, s, v === null ? null : timestamp(1_700_000_000_000 + Number(BigInt.asIntN(32, v)))];
}

/** Writes the table of the file header into `dir`; returns the writer (it knows every file). */
async function writeTable(dir: string, compression: string | null): Promise<{ table: CommitPathTable; compacted: Set<string> }> {
  const schema = createTableSchema({
    fields: FIELDS, partitionKeys: ["p"], primaryKeys: ["k", "p"],
    options: { bucket: "2", "deletion-vectors.enabled": "true", ...(compression === null ? {} : { "manifest.compression": compression }) },
    timeMillis: 1_700_000_000_000n,
  });
  let t = 1_700_000_000_000;
  const table = new CommitPathTable(dirStore(dir), schema, await parquetWasm(), { commitUser: "interop-user", randomUuid: uuidSource(`c${compression ?? "z"}`), nowMs: () => t++ });
  await table.createSchemaFile();
  const first: RowChange[] = [];
  for (let k = 0; k < 20; k++) for (const p of ["a", "b"]) first.push({ row: row(k, p, BigInt(k * 1000) * (p === "a" ? 1n : -1n), k % 5 === 0 ? null : `s${k}${p}`) });
  await table.commit(first, 1n);
  const second: RowChange[] = [
    { row: row(3, "a", 3n, "updated") }, { row: row(4, "a", null, null), kind: RowKind.DELETE },
    { row: row(7, "b", 77n, "u"), kind: RowKind.UPDATE_AFTER }, { row: row(25, "b", 2n ** 62n, "new") },
  ];
  await table.commit(second, 2n);
  const { replaced } = await table.compactBucket(["a"], table.bucketOf(row(3, "a", null, null)), 3n, { deletePositions: [0] });
  await table.commit([{ row: row(100, "c", -(2n ** 63n), "min") }, { row: row(3, "a", 4n, "again") }], 4n);
  return { table, compacted: new Set(replaced.map((f) => f.meta.fileName)) };
}

type Kind = "manifest" | "manifest-list" | "index-manifest";
function kindOf(name: string): Kind {
  return name.startsWith("manifest-list-") ? "manifest-list" : name.startsWith("index-manifest-") ? "index-manifest" : "manifest";
}
const WRITER_SCHEMAS = { manifest: MANIFEST_ENTRY_AVRO_SCHEMA, "manifest-list": MANIFEST_FILE_META_AVRO_SCHEMA, "index-manifest": INDEX_MANIFEST_ENTRY_AVRO_SCHEMA };

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

async function typedRecords(kind: Kind, bytes: Uint8Array): Promise<ExactJson[]> {
  switch (kind) {
    case "manifest": return (await decodeManifest(bytes)).map((e, i) => exactJson(manifestEntryToRecord(e, `entry ${i}`)));
    case "manifest-list": return (await decodeManifestList(bytes)).map((m) => exactJson(manifestFileMetaToRecord(m)));
    case "index-manifest": return (await decodeIndexManifest(bytes)).map((e) => exactJson(indexManifestEntryToRecord(e, "index entry")));
  }
}

function num(v: ExactJson | undefined): number {
  assert.equal(typeof v, "number", `expected a safe integer, got ${JSON.stringify(v)}`);
  return v as number;
}

function bytesOf(v: ExactJson | undefined): Uint8Array {
  assert.ok(v !== null && typeof v === "object" && "$bytes" in v, `expected bytes, got ${JSON.stringify(v)}`);
  return fromHex((v as { $bytes: string }).$bytes);
}

/** Codec, embedded schema (text and JSON) and every record of `file` equal what lakestate reads. */
async function checkAgainstLakestate(file: PythonAvroFile, codec: string): Promise<void> {
  const name = baseName(file.path), kind = kindOf(name);
  const bytes = new Uint8Array(await readFile(file.path));
  const ours = await readAvroContainer(bytes);
  assert.equal(file.codec, codec, `${name}: codec`);
  assert.equal(file.schemaText, ours.header.schemaJson, `${name}: schema text`);
  assert.deepEqual(file.schema, WRITER_SCHEMAS[kind], `${name}: writer schema`);
  assert.ok(file.records.length > 0 || kind === "manifest-list", `${name}: no records`);
  assert.deepEqual(file.records, ours.records.map(exactJson), `${name}: records (generic decode)`);
  assert.deepEqual(file.records, await typedRecords(kind, bytes), `${name}: records (typed decode)`);
}

describe("python3-avro reads lakestate's manifests", () => {
  test("a table written by table.newWrite (zstd default): every manifest and list, entries naming the files on disk", async () => {
    const { dir, remove } = await tempDir("avro-writer");
    try {
      const changes = (from: number, n: number, kind?: RowKind) => Array.from({ length: n }, (_, i) => ({ row: row(from + i, i % 2 === 0 ? "a" : "b", BigInt(i), `w${i}`), ...(kind === undefined ? {} : { kind }) }));
      const { tableDir } = await writeLakestateTable(dir, { fields: FIELDS, partitionKeys: ["p"], primaryKeys: ["k", "p"], options: { bucket: "2" } }, [
        { changes: changes(0, 50), identifier: 1n }, { changes: changes(40, 30), identifier: 2n }, { changes: changes(0, 10, RowKind.DELETE), identifier: 3n },
      ], "avro-writer");
      const all = await listFilesRecursive(tableDir);
      const dumped = await readWithPythonAvro(all.filter((p) => p.startsWith("manifest/")).map((p) => join(tableDir, p)));
      assert.ok(dumped.length >= 6);
      for (const file of dumped) await checkAgainstLakestate(file, "zstandard");
      const dataFiles = new Set(all.filter((p) => p.endsWith(".parquet")).map(baseName));
      const named = new Set(dumped.filter((d) => kindOf(baseName(d.path)) === "manifest").flatMap((d) => d.records.map((r) => (r["_FILE"] as { [k: string]: ExactJson })["_FILE_NAME"] as string)));
      assert.deepEqual([...named].sort(), [...dataFiles].sort(), "manifests name exactly the data files on disk");
    } finally {
      await remove();
    }
  });

  for (const { option, codec } of CODECS) {
    test(`manifest.compression = ${option ?? "(default: zstd)"}: codec ${codec}, schemas and every record field by field`, async () => {
      const { dir, remove } = await tempDir(`avro-${codec}`);
      try {
        const { table, compacted } = await writeTable(dir, option);
        const all = await listFilesRecursive(dir);
        const metadata = all.filter((p) => p.startsWith("manifest/"));
        const dumped = await readWithPythonAvro(metadata.map((p) => join(dir, p)));
        assert.equal(dumped.length, metadata.length);
        const byName = new Map<string, PythonAvroFile>(dumped.map((d) => [baseName(d.path), d]));
        const kinds = new Map<Kind, number>();

        for (const file of dumped) {
          const kind = kindOf(baseName(file.path));
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          await checkAgainstLakestate(file, codec);
        }
        assert.ok((kinds.get("manifest") ?? 0) >= 4 && (kinds.get("manifest-list") ?? 0) >= 8 && kinds.get("index-manifest") === 1, `file kinds ${JSON.stringify([...kinds])}`);

        // Manifest entries against the files the test wrote.
        const partTypes = logicalPartitionType(table.schema).fields.map((f) => f.type);
        const seen = new Map<string, number[]>();
        for (const file of dumped.filter((d) => kindOf(baseName(d.path)) === "manifest")) {
          for (const rec of file.records) {
            const f = rec["_FILE"] as { [k: string]: ExactJson };
            const written = table.files.find((w) => w.meta.fileName === f["_FILE_NAME"]);
            assert.ok(written !== undefined, `manifest names unknown file ${JSON.stringify(f["_FILE_NAME"])}`);
            const expected = exactJson(manifestEntryToRecord({
              kind: 0, partition: encodeSerializedBinaryRow(partTypes, written.partition), bucket: written.bucket, totalBuckets: 2, file: written.meta,
            }, "expected")) as { [k: string]: ExactJson };
            assert.deepEqual({ ...rec, _KIND: 0 }, expected, `entry of ${written.path}`);
            assert.equal(num(f["_FILE_SIZE"]), (await stat(join(dir, written.path))).size, `${written.path}: _FILE_SIZE`);
            seen.set(written.meta.fileName, [...(seen.get(written.meta.fileName) ?? []), num(rec["_KIND"])]);
          }
        }
        assert.ok(compacted.size >= 1);
        for (const f of table.files) {
          assert.deepEqual(seen.get(f.meta.fileName)?.sort(), compacted.has(f.meta.fileName) ? [0, 1] : [0], `ADD/DELETE entries of ${f.path}`);
        }

        // Manifest lists: recompute every field from the python-read manifests and the disk.
        for (const file of dumped.filter((d) => kindOf(baseName(d.path)) === "manifest-list")) {
          for (const rec of file.records) {
            const m = byName.get(rec["_FILE_NAME"] as string);
            assert.ok(m !== undefined, `list ${baseName(file.path)} names missing manifest ${JSON.stringify(rec["_FILE_NAME"])}`);
            const entries = m.records;
            const files = entries.map((e) => e["_FILE"] as { [k: string]: ExactJson });
            assert.equal(num(rec["_FILE_SIZE"]), (await stat(m.path)).size);
            assert.equal(num(rec["_NUM_ADDED_FILES"]), entries.filter((e) => e["_KIND"] === 0).length);
            assert.equal(num(rec["_NUM_DELETED_FILES"]), entries.filter((e) => e["_KIND"] === 1).length);
            assert.equal(num(rec["_SCHEMA_ID"]), 0);
            const buckets = entries.map((e) => num(e["_BUCKET"])), levels = files.map((f) => num(f["_LEVEL"]));
            assert.deepEqual([rec["_MIN_BUCKET"], rec["_MAX_BUCKET"], rec["_MIN_LEVEL"], rec["_MAX_LEVEL"]], [Math.min(...buckets), Math.max(...buckets), Math.min(...levels), Math.max(...levels)]);
            assert.equal(rec["_MIN_ROW_ID"], null);
            assert.equal(rec["_MAX_ROW_ID"], null);
            const stats = rec["_PARTITION_STATS"] as { [k: string]: ExactJson };
            const parts = entries.map((e) => String(decodeSerializedBinaryRow(partTypes, bytesOf(e["_PARTITION"]))[0])).sort();
            const [col] = decodeSimpleStats(logicalPartitionType(table.schema).fields, {
              minValues: bytesOf(stats["_MIN_VALUES"]), maxValues: bytesOf(stats["_MAX_VALUES"]),
              nullCounts: (stats["_NULL_COUNTS"] as ExactJson[]).map((n) => (n === null ? null : BigInt(num(n)))),
            });
            assert.deepEqual(col, { min: parts[0], max: parts[parts.length - 1], nullCount: 0n });
          }
        }

        // Index manifest against the deletion-vector index file.
        const [indexFile] = table.indexFiles;
        const index = dumped.find((d) => kindOf(baseName(d.path)) === "index-manifest")!;
        assert.deepEqual(index.records, [{
          _VERSION: 1, _KIND: 0, _PARTITION: { $bytes: toHex(encodeSerializedBinaryRow(partTypes, indexFile!.partition)) }, _BUCKET: indexFile!.bucket,
          _INDEX_TYPE: "DELETION_VECTORS", _FILE_NAME: indexFile!.meta.fileName, _FILE_SIZE: (await stat(join(dir, indexFile!.path))).size, _ROW_COUNT: 1,
          _DELETIONS_VECTORS_RANGES: indexFile!.meta.dvRanges!.map((r) => ({ f0: r.dataFileName, f1: r.offset, f2: r.length, _CARDINALITY: Number(r.cardinality) })),
          _EXTERNAL_PATH: null, _GLOBAL_INDEX: null,
        }]);

        // Snapshots: list sizes are the files' sizes, and every metadata file is referenced.
        const referenced = new Set<string>();
        for (const p of all.filter((x) => /^snapshot\/snapshot-\d+$/.test(x))) {
          const s = decodeSnapshot(new TextDecoder().decode(await readFile(join(dir, p))));
          for (const [list, size] of [[s.baseManifestList, s.baseManifestListSize], [s.deltaManifestList, s.deltaManifestListSize], [s.changelogManifestList, s.changelogManifestListSize]] as const) {
            if (list === null) continue;
            referenced.add(list);
            assert.equal(size, BigInt((await stat(join(dir, "manifest", list))).size), `${p}: size of ${list}`);
            for (const rec of byName.get(list)!.records) referenced.add(rec["_FILE_NAME"] as string);
          }
          if (s.indexManifest !== null) referenced.add(s.indexManifest);
        }
        assert.deepEqual([...referenced].sort(), metadata.map(baseName).sort());
      } finally {
        await remove();
      }
    });
  }
});
