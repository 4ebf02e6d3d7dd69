// Goal: changelog files honour Java's `changelog-file.format`, `changelog-file.compression` and
// `changelog-file.stats-mode` (no defaults: unset, changelog files follow the data-file
// options), for changelog-producer input (written at flush) and lookup (written at
// compaction); unsupported values are refused with LakeError naming the option.
// Method: differential: with changelog-producer input a commit of distinct keys writes a data
// file and a changelog file holding the same rows, so their Parquet codecs (read from the file
// footers with hyparquet) and their DataFileMeta value stats must be equal without the options
// and differ exactly as the options say with them; lookup compactions are checked the same way
// against the data-file settings.
import { parquetMetadata } from "hyparquet";
import { assert, describe, test } from "../../../harness.ts";
import { LakeError } from "../../../../src/errors.ts";
import { parquetWriterModule } from "../../../../src/format/data/parquet_arrow_reader.ts";
import type { ObjectStore } from "../../../../src/io/store.ts";
import { loadKernel } from "../../../../src/kernel/mod.ts";
import type { DataFileMeta } from "../../../../src/spec/data_file_meta.ts";
import { RowKind } from "../../../../src/spec/row_kind.ts";
import type { TableSchema } from "../../../../src/spec/schema.ts";
import { readManifest, readManifestList } from "../../../../src/table/manifest_reader.ts";
import { readAllSnapshots } from "../../../../src/table/snapshot_manager.ts";
import { TableWriter } from "../../../../src/table/write/table_writer.ts";
import { field, makeTable } from "./table_writer_helpers.ts";

interface Written {
  readonly data: DataFileMeta[];
  readonly changelog: DataFileMeta[];
}

async function writeTable(options: Record<string, string>, commits: number): Promise<{ store: ObjectStore; schema: TableSchema; files: Written }> {
  const { store, schema } = await makeTable({
    fields: [field(0, "k", "INT NOT NULL"), field(1, "v", "STRING")], primaryKeys: ["k"], options: { bucket: "1", ...options },
  });
  const kernel = (await loadKernel()).kernel;
  for (let c = 0; c < commits; c++) {
    const writer = new TableWriter(store, schema, { kernel, parquet: await parquetWriterModule(), nowMs: () => 1_700_000_000_000 + c * 1000 });
    try {
      for (let k = 0; k < 40; k++) await writer.write(RowKind.INSERT, { k: k * 3 + c, v: `value-${k}-${c}-`.repeat(8) });
      await writer.commit();
    } finally {
      await writer.close();
    }
  }
  const files: Written = { data: [], changelog: [] };
  for (const s of await readAllSnapshots(store)) {
    for (const m of await readManifestList(store, s.deltaManifestList)) for (const e of await readManifest(store, m.fileName)) if (e.kind === 0) files.data.push(e.file);
    if (s.changelogManifestList === null) continue;
    for (const m of await readManifestList(store, s.changelogManifestList)) for (const e of await readManifest(store, m.fileName)) files.changelog.push(e.file);
  }
  return { store, schema, files };
}

async function codecOf(store: ObjectStore, file: DataFileMeta): Promise<string> {
  const bytes = await store.get(`bucket-0/${file.fileName}`);
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const codecs = new Set(meta.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data!.codec)));
  assert.equal(codecs.size, 1, `${file.fileName}: one codec`);
  return [...codecs][0]!;
}

const statsText = (f: DataFileMeta) => JSON.stringify({ s: f.valueStats, c: f.valueStatsCols }, (_, v) => (typeof v === "bigint" ? `${v}` : v instanceof Uint8Array ? Array.from(v) : v));

describe("changelog-file options", () => {
  test("input producer: unset, changelog files follow the data-file options; set, they win", async () => {
    const plain = await writeTable({ "changelog-producer": "input" }, 1);
    assert.equal(plain.files.data.length, 1);
    assert.equal(plain.files.changelog.length, 1);
    const [data, changelog] = [plain.files.data[0]!, plain.files.changelog[0]!];
    assert.ok(changelog.fileName.startsWith("changelog-") && changelog.fileName.endsWith(".parquet"));
    assert.equal(await codecOf(plain.store, changelog), await codecOf(plain.store, data));
    assert.equal(await codecOf(plain.store, data), "ZSTD");
    assert.equal(statsText(changelog), statsText(data), "same rows, same stats");

    const set = await writeTable({ "changelog-producer": "input", "changelog-file.compression": "none", "changelog-file.stats-mode": "none", "changelog-file.format": "PARQUET" }, 1);
    const [data2, changelog2] = [set.files.data[0]!, set.files.changelog[0]!];
    assert.equal(await codecOf(set.store, data2), "ZSTD", "data files keep file.compression");
    assert.equal(await codecOf(set.store, changelog2), "UNCOMPRESSED", "changelog-file.compression");
    assert.equal(statsText(data2), statsText(data), "data stats unchanged");
    assert.notEqual(statsText(changelog2), statsText(data2), "changelog-file.stats-mode none drops the stats");
    assert.ok(changelog2.fileName.endsWith(".parquet"), "the name keeps file.compression's (empty) suffix");

    const snappy = await writeTable({ "changelog-producer": "input", "changelog-file.compression": "snappy", "file.compression.per.level": "0:none" }, 1);
    assert.equal(await codecOf(snappy.store, snappy.files.data[0]!), "UNCOMPRESSED", "per-level data compression");
    assert.equal(await codecOf(snappy.store, snappy.files.changelog[0]!), "SNAPPY", "changelog-file.compression replaces the per-level choice");
  });

  test("lookup producer: compaction changelog files take the options too", async () => {
    const { store, files } = await writeTable({ "changelog-producer": "lookup", "changelog-file.compression": "none", "changelog-file.stats-mode": "none" }, 2);
    assert.ok(files.changelog.length > 0, "lookup compaction wrote changelog");
    for (const f of files.changelog) assert.equal(await codecOf(store, f), "UNCOMPRESSED", f.fileName);
    for (const f of files.data) assert.equal(await codecOf(store, f), "ZSTD", f.fileName);
    const none = await writeTable({ "changelog-producer": "lookup" }, 2);
    assert.equal(none.files.changelog.length, files.changelog.length, "same history, same changelog files");
    for (const [a, b] of files.changelog.map((f, i) => [f, none.files.changelog[i]] as const)) {
      if (b !== undefined) assert.notEqual(statsText(a), statsText(b), "stats-mode none differs from the default");
    }
  });

  test("unsupported values are refused naming the option", async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ "changelog-file.format": "orc" }, "unsupported", /changelog-file\.format|orc/],
      [{ "changelog-file.compression": "lz4" }, "unsupported", /changelog-file\.compression/],
      [{ "changelog-file.stats-mode": "sometimes" }, "invalid_argument", /changelog-file\.stats-mode/],
    ];
    for (const [options, code, message] of cases) {
      await assert.rejects(writeTable({ "changelog-producer": "input", ...options }, 1), (e: unknown) => e instanceof LakeError && e.code === code && message.test(e.message), JSON.stringify(options));
    }
  });
});
