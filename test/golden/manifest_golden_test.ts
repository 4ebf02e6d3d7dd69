// Goal: every manifest list, manifest and index manifest Java Paimon wrote in the fixtures
// (0.5 / 0.8 snappy nullable layouts, 0.9 dev-build nullable zstandard, 1.1-1.3 zstandard) decodes,
// agrees with the tables on disk and with their snapshots and READMEs, re-encodes losslessly, and
// our writer schemas equal the schemas current Java embeds.
// Method: walk test/fixtures/paimon; for each snapshot fold base + delta manifests and compare
// with the snapshot's totalRecordCount / deltaRecordCount; compare recorded sizes with the real
// file sizes; compare spot values read off the files by hand; re-encode each file's records with
// our generic Avro encoder and compare with Java's decompressed block bytes; re-encode the typed
// records with our manifest writer and decode again.
import { assert, describe, listFixtureDir, readFixture, readFixtureText, test } from "../harness.ts";
import {
  decodeIndexManifest,
  decodeManifest,
  decodeManifestList,
  encodeIndexManifest,
  encodeManifest,
  encodeManifestList,
  INDEX_MANIFEST_ENTRY_SCHEMA,
  MANIFEST_ENTRY_SCHEMA,
  MANIFEST_FILE_META_SCHEMA,
} from "../../src/format/manifest/manifest_codec.ts";
import { foldLiveFiles } from "../../src/format/manifest/live_files.ts";
import { AvroReader, AvroWriter, type AvroRecordValue } from "../../src/format/avro/binary.ts";
import { compileDecoder, compileEncoder } from "../../src/format/avro/datum.ts";
import { readAvroContainer, readAvroContainerBlocks, readAvroContainerHeader } from "../../src/format/avro/container.ts";
import { avroSchemaToJson, parseAvroSchema, type AvroSchema } from "../../src/format/avro/schema.ts";
import type { ManifestEntry } from "../../src/spec/manifest_entry.ts";
import { toHex } from "../../src/util/bytes.ts";

const ROOT = "paimon/java-tables";

interface MetaFile {
  readonly path: string; // relative to test/fixtures
  readonly name: string;
  readonly kind: "list" | "manifest" | "index";
}

function kindOf(name: string): MetaFile["kind"] {
  if (name.startsWith("index-manifest-")) return "index";
  if (name.startsWith("manifest-list-")) return "list";
  if (name.startsWith("manifest-")) return "manifest";
  throw new Error(`unexpected file ${name}`);
}

async function tableDirs(): Promise<string[]> {
  const out: string[] = [];
  for (const db of await listFixtureDir(ROOT)) {
    for (const table of await listFixtureDir(`${ROOT}/${db}`)) out.push(`${ROOT}/${db}/${table}`);
  }
  return out;
}

async function metaFiles(): Promise<MetaFile[]> {
  const dirs = [...(await tableDirs()).map((d) => `${d}/manifest`), "paimon/manifests-0.8/manifest"];
  const out: MetaFile[] = [];
  for (const dir of dirs) for (const name of await listFixtureDir(dir)) out.push({ path: `${dir}/${name}`, name, kind: kindOf(name) });
  return out;
}

/** Data files on disk: name -> { dir (relative to the table), size }. Walks `k=v/` and `bucket-N/`. */
async function dataFilesOnDisk(table: string): Promise<Map<string, { dir: string; size: number }>> {
  const out = new Map<string, { dir: string; size: number }>();
  const walk = async (rel: string): Promise<void> => {
    for (const name of await listFixtureDir(`${table}/${rel}`)) {
      if (name.startsWith("bucket-")) {
        for (const file of await listFixtureDir(`${table}/${rel}${name}`)) {
          out.set(file, { dir: `${rel}${name}`, size: (await readFixture(`${table}/${rel}${name}/${file}`)).length });
        }
      } else if (name.includes("=")) {
        await walk(`${rel}${name}/`);
      }
    }
  };
  await walk("");
  return out;
}

interface Snapshot {
  readonly id: number;
  readonly baseManifestList: string;
  readonly deltaManifestList: string;
  readonly indexManifest?: string | null;
  readonly totalRecordCount: number;
  readonly deltaRecordCount: number;
}

async function snapshots(table: string): Promise<Snapshot[]> {
  const names = (await listFixtureDir(`${table}/snapshot`)).filter((n) => n.startsWith("snapshot-"));
  const out = await Promise.all(names.map(async (n) => JSON.parse(await readFixtureText(`${table}/snapshot/${n}`)) as Snapshot));
  return out.sort((a, b) => a.id - b.id);
}

/** Entries of a snapshot (base then delta), with checks on each manifest list record. */
async function snapshotEntries(table: string, snap: Snapshot): Promise<{ all: ManifestEntry[]; delta: ManifestEntry[] }> {
  const all: ManifestEntry[] = [];
  const delta: ManifestEntry[] = [];
  for (const list of [snap.baseManifestList, snap.deltaManifestList]) {
    for (const meta of await decodeManifestList(await readFixture(`${table}/manifest/${list}`), { fileName: list })) {
      const bytes = await readFixture(`${table}/manifest/${meta.fileName}`);
      assert.equal(meta.fileSize, BigInt(bytes.length), `_FILE_SIZE of ${meta.fileName}`);
      const entries = await decodeManifest(bytes, { fileName: meta.fileName });
      assert.equal(meta.numAddedFiles, BigInt(entries.filter((e) => e.kind === 0).length), `_NUM_ADDED_FILES of ${meta.fileName}`);
      assert.equal(meta.numDeletedFiles, BigInt(entries.filter((e) => e.kind === 1).length), `_NUM_DELETED_FILES of ${meta.fileName}`);
      all.push(...entries);
      if (list === snap.deltaManifestList) delta.push(...entries);
    }
  }
  return { all, delta };
}

const sum = (entries: ManifestEntry[], signed: boolean): bigint =>
  entries.reduce((acc, e) => acc + (signed && e.kind === 1 ? -e.file.rowCount : e.file.rowCount), 0n);

describe("every Java manifest file", () => {
  test("there are 93 and each decodes, with _VERSION 2 (1 for index manifests) and the expected codec", async () => {
    const files = await metaFiles();
    assert.equal(files.length, 93);
    const counts = { list: 0, manifest: 0, index: 0 };
    for (const f of files) {
      const bytes = await readFixture(f.path);
      const decoded = f.kind === "list" ? await decodeManifestList(bytes) : f.kind === "manifest" ? await decodeManifest(bytes) : await decodeIndexManifest(bytes);
      counts[f.kind] += decoded.length;
      const { header, records } = await readAvroContainer(bytes); // raw, writer schema
      const expectedCodec = f.path.includes("paimon-0.5") || f.path.includes("manifests-0.8") ? "snappy" : "zstandard";
      assert.equal(header.codec, expectedCodec, f.path);
      assert.deepEqual([...header.metadata.keys()], ["avro.schema", "avro.codec"]);
      for (const r of records) assert.equal((r as AvroRecordValue)._VERSION, f.kind === "index" ? 1 : 2, f.path);
      assert.equal(records.length, decoded.length);
      // Java's schema text is exactly what our printer produces for the parsed schema.
      assert.equal(avroSchemaToJson(header.schema), header.schemaJson, f.path);
    }
    assert.ok(counts.list > 50 && counts.manifest > 50 && counts.index === 4, JSON.stringify(counts));
  });

  test("our generic Avro encoder reproduces Java's record bytes exactly", async () => {
    for (const f of await metaFiles()) {
      const bytes = await readFixture(f.path);
      const header = readAvroContainerHeader(bytes);
      const decode = compileDecoder(header.schema);
      const encode = compileEncoder(header.schema);
      for await (const block of readAvroContainerBlocks(bytes, header)) {
        const r = new AvroReader(block.data);
        const w = new AvroWriter();
        for (let i = 0; i < block.recordCount; i++) encode(w, decode(r), "$");
        assert.equal(toHex(w.toBytes()), toHex(block.data), f.path);
      }
    }
  });

  test("decoded records re-encode with our writer (every codec) and decode to equal values", async () => {
    const compressions = ["zstd", "none", "deflate", "snappy"];
    let i = 0;
    for (const f of await metaFiles()) {
      const bytes = await readFixture(f.path);
      const compression = compressions[i++ % compressions.length]!;
      if (f.kind === "list") {
        const a = await decodeManifestList(bytes);
        assert.deepEqual(await decodeManifestList(await encodeManifestList(a, { compression })), a, f.path);
      } else if (f.kind === "manifest") {
        const a = await decodeManifest(bytes);
        const again = await encodeManifest(a, { compression });
        assert.equal(readAvroContainerHeader(again).schemaJson, avroSchemaToJson(MANIFEST_ENTRY_SCHEMA));
        assert.deepEqual(await decodeManifest(again), a, f.path);
      } else {
        const a = await decodeIndexManifest(bytes);
        assert.deepEqual(await decodeIndexManifest(await encodeIndexManifest(a, { compression })), a, f.path);
      }
    }
  });
});

describe("manifests agree with the tables", () => {
  test("folding base + delta gives each snapshot's totalRecordCount and deltaRecordCount", async () => {
    let checked = 0;
    for (const table of await tableDirs()) {
      for (const snap of await snapshots(table)) {
        const { all, delta } = await snapshotEntries(table, snap);
        const live = foldLiveFiles(all);
        assert.equal(sum(live, false), BigInt(snap.totalRecordCount), `${table} snapshot ${snap.id} total`);
        assert.equal(sum(delta, true), BigInt(snap.deltaRecordCount), `${table} snapshot ${snap.id} delta`);
        checked++;
      }
    }
    assert.equal(checked, 28);
  });

  test("live files of the latest snapshot exist in bucket-<bucket> with _FILE_SIZE equal to their size", async () => {
    for (const table of await tableDirs()) {
      const snaps = await snapshots(table);
      const live = foldLiveFiles((await snapshotEntries(table, snaps[snaps.length - 1]!)).all);
      const disk = await dataFilesOnDisk(table);
      assert.ok(live.length > 0);
      for (const e of live) {
        const found = disk.get(e.file.fileName);
        assert.ok(found !== undefined, `${table}: ${e.file.fileName} is on disk`);
        assert.ok(found.dir.endsWith(`bucket-${e.bucket}`), `${e.file.fileName} in ${found.dir}`);
        assert.equal(e.file.fileSize, BigInt(found.size), `${table}: size of ${e.file.fileName}`);
      }
    }
  });

  test("row counts per partition match the READMEs", async () => {
    const rowsByDir = async (table: string, snapshotId: number): Promise<Record<string, number>> => {
      const snap = (await snapshots(table)).find((s) => s.id === snapshotId)!;
      const disk = await dataFilesOnDisk(table);
      const out: Record<string, number> = {};
      for (const e of foldLiveFiles((await snapshotEntries(table, snap)).all)) {
        const dir = disk.get(e.file.fileName)!.dir.replace(/\/?bucket-\d+$/, "");
        out[dir] = (out[dir] ?? 0) + Number(e.file.rowCount);
      }
      return out;
    };
    const alter = `${ROOT}/append_table_with_alter_table.db/append_table_with_alter_table`;
    assert.deepEqual(await rowsByDir(alter, 1), { "key0=0/key1=1": 3, "key0=1/key1=1": 2 });
    assert.deepEqual(await rowsByDir(alter, 2), { "key0=0/key1=1": 6, "key0=1/key1=1": 4 });
    const complex = `${ROOT}/append_complex_data.db/append_complex_data`;
    assert.deepEqual(await rowsByDir(complex, 1), { "f1=10": 2, "f1=20": 1 });
    assert.deepEqual(await rowsByDir(complex, 2), { "f1=10": 5, "f1=20": 2 });
    for (const t of ["pk_table_scan_and_read_mor", "pk_table_scan_and_read_first_row"]) {
      assert.deepEqual(await rowsByDir(`${ROOT}/${t}.db/${t}`, 1), { "f1=10": 7, "f1=20": 2 });
    }
  });

  test("known values of one 1.3 manifest entry, read off the file", async () => {
    const dir = `${ROOT}/pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row`;
    const [e] = await decodeManifest(await readFixture(`${dir}/manifest/manifest-8c86c123-fde9-4718-b412-6083fc2dbcfa-0`));
    assert.ok(e !== undefined);
    assert.deepEqual(
      { kind: e.kind, partition: toHex(e.partition), bucket: e.bucket, totalBuckets: e.totalBuckets },
      { kind: 0, partition: "00000001" + "0000000000000000" + "0a00000000000000", bucket: 1, totalBuckets: 2 },
    );
    const f = e.file;
    assert.equal(f.fileName, "data-4ca204c1-e457-47ea-96a4-aa53dbd7a2f4-0.parquet");
    assert.equal(f.fileSize, BigInt((await readFixture(`${dir}/f1=10/bucket-1/${f.fileName}`)).length));
    assert.deepEqual(
      [f.rowCount, f.minSequenceNumber, f.maxSequenceNumber, f.schemaId, f.level, f.creationTime, f.deleteRowCount, f.fileSource],
      [3n, 5n, 7n, 0n, 0, 1756228937506n, 0n, 0],
    );
    assert.deepEqual([f.extraFiles, f.embeddedIndex, f.valueStatsCols, f.externalPath, f.firstRowId, f.writeCols], [[], null, null, null, null, null]);
    assert.equal(f.keyStats.nullCounts?.length, 2); // trimmed key f0, f2
  });

  test("the 0.8 (paimon-rust) manifest and list: nullable top-level union, snappy, known values", async () => {
    const m = "paimon/manifests-0.8/manifest/";
    const manifestBytes = await readFixture(`${m}manifest-8ded1f09-fcda-489e-9167-582ac0f9f846-0`);
    assert.equal(readAvroContainerHeader(manifestBytes).schema.type, "union");
    const entries = await decodeManifest(manifestBytes);
    assert.deepEqual(
      entries.map((e) => [e.kind, e.bucket, e.totalBuckets, e.file.fileName, e.file.rowCount, e.file.level, e.file.deleteRowCount, e.file.fileSource]),
      [
        [1, 1, 10, "f1.parquet", 100n, 1, 0n, null],
        [0, 2, 10, "f2.parquet", 100n, 1, 1n, null],
      ],
    );
    const metas = await decodeManifestList(await readFixture(`${m}manifest-list-5c7399a0-46ae-4a5e-9c13-3ab07212cdb6-0`));
    assert.deepEqual(
      metas.map((x) => [x.fileName, x.fileSize, x.numAddedFiles, x.numDeletedFiles, x.schemaId, x.minBucket, x.maxRowId]),
      [
        ["manifest-19d138df-233f-46f7-beb6-fadaf4741c0e", 10n, 10n, 10n, 1n, null, null],
        ["manifest-a703ee48-c411-413e-b84e-c03bdb179631", 11n, 0n, 10n, 2n, null, null],
      ],
    );
  });

  test("deletion-vector index manifests point at live data files inside their index files", async () => {
    const table = `${ROOT}/pk_09.db/pk_09`;
    let ranges = 0;
    for (const snap of await snapshots(table)) {
      if (snap.indexManifest == null) continue;
      const live = foldLiveFiles((await snapshotEntries(table, snap)).all);
      for (const entry of await decodeIndexManifest(await readFixture(`${table}/manifest/${snap.indexManifest}`))) {
        const file = entry.indexFile;
        assert.equal(file.indexType, "DELETION_VECTORS");
        assert.equal(file.fileSize, BigInt((await readFixture(`${table}/index/${file.fileName}`)).length));
        assert.equal(BigInt(file.dvRanges?.length ?? -1), file.rowCount);
        for (const dv of file.dvRanges ?? []) {
          // version byte, then per vector: 4-byte length, `length` bytes, 4-byte CRC
          assert.ok(dv.offset >= 1 && BigInt(dv.offset + 4 + dv.length + 4) <= file.fileSize);
          assert.equal(dv.cardinality, null); // a 0.9 layout: no _CARDINALITY
          const target = live.find((e) => e.file.fileName === dv.dataFileName);
          assert.ok(target !== undefined && target.bucket === entry.bucket && toHex(target.partition) === toHex(entry.partition), dv.dataFileName);
          ranges++;
        }
      }
    }
    assert.equal(ranges, 7);
  });
});

/** Our schema JSON restricted to the record fields present in `theirs` (recursively). */
function restrictTo(ours: unknown, theirs: unknown): unknown {
  if (Array.isArray(ours) && Array.isArray(theirs)) return ours.map((o, i) => restrictTo(o, theirs[i]));
  if (ours === null || typeof ours !== "object" || theirs === null || typeof theirs !== "object") return ours;
  const o = ours as Record<string, unknown>;
  const t = theirs as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === "fields" && Array.isArray(v) && Array.isArray(t.fields)) {
      const theirFields = new Map((t.fields as { name: string }[]).map((f) => [f.name, f]));
      out.fields = (v as { name: string }[]).filter((f) => theirFields.has(f.name)).map((f) => restrictTo(f, theirFields.get(f.name)));
    } else {
      out[k] = restrictTo(v, t[k]);
    }
  }
  return out;
}

/** Replaces every `["null", {record}]` by the record (the <=0.9-dev nullable layout). */
function unwrapNullableRecords(json: unknown): unknown {
  if (Array.isArray(json)) {
    if (json.length === 2 && json[0] === "null" && typeof json[1] === "object" && (json[1] as { type?: string }).type === "record") {
      return unwrapNullableRecords(json[1]);
    }
    return json.map(unwrapNullableRecords);
  }
  if (json === null || typeof json !== "object") return json;
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, unwrapNullableRecords(v)]));
}

describe("our writer schemas are the ones Java writes", () => {
  const check = async (path: string, ours: AvroSchema, unwrap: boolean): Promise<string[]> => {
    const theirsText = readAvroContainerHeader(await readFixture(path)).schemaJson;
    const oursJson = JSON.parse(avroSchemaToJson(ours));
    const theirsJson = unwrap ? unwrapNullableRecords(JSON.parse(theirsText)) : JSON.parse(theirsText);
    const restricted = restrictTo(unwrap ? unwrapNullableRecords(oursJson) : oursJson, theirsJson);
    assert.equal(JSON.stringify(restricted), JSON.stringify(theirsJson));
    // The fields Java added after the fixture's version: all nullable with default null.
    const added: string[] = [];
    // The record inside `["null", T]` and inside arrays, where nested fields live.
    const innerType = (t: unknown): unknown => {
      if (Array.isArray(t)) return innerType(t[t.length - 1]);
      if (t !== null && typeof t === "object" && (t as { type?: string }).type === "array") return innerType((t as { items: unknown }).items);
      return t;
    };
    const walk = (o: unknown, r: unknown): void => {
      if (o === null || typeof o !== "object") return;
      const of = (o as { fields?: { name: string; type: unknown; default?: unknown }[] }).fields;
      const rf = (r as { fields?: { name: string; type: unknown }[] } | null)?.fields;
      for (const f of of ?? []) {
        const match = rf?.find((x) => x.name === f.name);
        if (match === undefined) {
          assert.ok(Array.isArray(f.type) && f.type[0] === "null" && f.default === null, `${f.name} is ["null", T] with default null`);
          added.push(f.name);
        } else {
          walk(innerType(f.type), innerType(match.type));
        }
      }
    };
    walk(oursJson, unwrap ? unwrapNullableRecords(JSON.parse(theirsText)) : JSON.parse(theirsText));
    return added;
  };

  test("manifest: equal to the newest fixture (1.3 build) plus _WRITE_COLS and _WRITE_COLS_SEQUENCES", async () => {
    const path = `${ROOT}/pk_table_scan_and_read_first_row.db/pk_table_scan_and_read_first_row/manifest/manifest-8c86c123-fde9-4718-b412-6083fc2dbcfa-0`;
    assert.deepEqual(await check(path, MANIFEST_ENTRY_SCHEMA, false), ["_WRITE_COLS", "_WRITE_COLS_SEQUENCES"]);
  });

  test("manifest list: equal to the newest fixture (1.1 layout) plus _MIN_ROW_ID and _MAX_ROW_ID", async () => {
    const path = `${ROOT}/append_complex_data.db/append_complex_data/manifest/manifest-list-3f657391-04c4-4dc3-8a2c-1fb7b41dd807-0`;
    assert.deepEqual(await check(path, MANIFEST_FILE_META_SCHEMA, false), ["_MIN_ROW_ID", "_MAX_ROW_ID"]);
  });

  test("index manifest: equal to the only fixture (0.9 dev, nullable records) plus the 1.0-1.4 fields", async () => {
    const path = `${ROOT}/pk_09.db/pk_09/manifest/index-manifest-03e2700b-8409-499b-8c27-a09ccee9348c-0`;
    assert.deepEqual(await check(path, INDEX_MANIFEST_ENTRY_SCHEMA, true), ["_CARDINALITY", "_EXTERNAL_PATH", "_GLOBAL_INDEX"]);
    assert.equal(INDEX_MANIFEST_ENTRY_SCHEMA.type, "record");
  });

  test("the printed writer schemas parse back to themselves", () => {
    for (const s of [MANIFEST_ENTRY_SCHEMA, MANIFEST_FILE_META_SCHEMA, INDEX_MANIFEST_ENTRY_SCHEMA]) {
      const text = avroSchemaToJson(s);
      assert.equal(avroSchemaToJson(parseAvroSchema(text)), text);
      assert.ok(text.startsWith('{"type":"record","name":"record","namespace":"org.apache.paimon.avro.generated","fields":[{"name":"_VERSION","type":"int"}'));
    }
  });
});
