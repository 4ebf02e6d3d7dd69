// Goal: parquet_zstd_pages.ts (over parquet_chunk_rewrite.ts) turns UNCOMPRESSED Parquet files
// into exactly the ZSTD files a ZSTD writer writes, and ZSTD files into exactly the UNCOMPRESSED
// ones; on Java-written files (ZSTD pages with CRCs, SNAPPY chunks, dictionary pages, page
// indexes) it verifies the CRCs, keeps every value, and writes valid CRCs back; damaged
// frames, CRCs and headers are corruption; what it cannot rebuild is unsupported.
// Method: the codec is an independent one built from installed packages (@hpcc-js/wasm-zstd
// compresses: libzstd level 1, the frames parquet-rs writes; fzstd decompresses), so this file
// tests the page/footer rewriting, not zstd_wasm.ts. parquet-wasm writes the same seeded data
// UNCOMPRESSED and ZSTD (v1 and v2 pages, several row groups and pages, nulls, strings, lists,
// page indexes) and lakestate's writer writes a Paimon file both ways; the rewritten files are
// compared byte for byte. Java fixtures are compared through parquet-wasm (decoded Arrow IPC)
// and through parquet_pages.ts's CRC/structure check.
import { Bool, Field, Float64, Int32, Int64, List, makeData, RecordBatch, Schema, Struct, Table as ArrowTable, tableToIPC, Utf8 } from "apache-arrow";
import { assert, describe, listFixtureDir, readFixture, seededRandom, test } from "../../harness.ts";
import { LakeError, isLakeError } from "../../../src/errors.ts";
import { PARQUET_CODEC, rewriteColumnChunks } from "../../../src/format/data/parquet_chunk_rewrite.ts";
import { writeBufferDataFile } from "../../../src/format/data/parquet_buffer_writer.ts";
import { decodeParquetFooter } from "../../../src/format/data/parquet_footer.ts";
import { checkColumnChunkPages } from "../../../src/format/data/parquet_pages.ts";
import { compressChunksZstd, decompressZstdChunks } from "../../../src/format/data/parquet_zstd_pages.ts";
import { thriftField, withField, type ThriftField } from "../../../src/format/data/thrift_compact.ts";
import type { ZstdCodec } from "../../../src/format/data/zstd_wasm.ts";
import { crc32 } from "../../../src/util/crc32.ts";
import { equalBytes } from "../../../src/util/bytes.ts";
import { columnsOf, parquetWasmModule } from "../table/fast_read_helpers.ts";
import { field, tableSchema } from "./parquet_writer_support.ts";

type Pq = Awaited<ReturnType<typeof parquetWasmModule>>;

let codec: Promise<ZstdCodec> | null = null;
/** Compress with hpcc (libzstd), decompress with fzstd (pure JS): independent of zstd_wasm.ts. */
function testCodec(): Promise<ZstdCodec> {
  codec ??= (async () => {
    const { Zstd } = await import("@hpcc-js/wasm-zstd");
    const fz = await import("fzstd");
    const hpcc = await Zstd.load();
    return {
      compress: (src, level) => hpcc.compress(src, level) as Uint8Array<ArrayBuffer>,
      decompressInto: (frame, out) => {
        let got: Uint8Array;
        try {
          got = fz.decompress(frame, new Uint8Array(out.length));
        } catch (error) {
          throw new LakeError("corruption", `zstd: ${(error as Error).message}`);
        }
        if (got.length !== out.length) throw new LakeError("corruption", `zstd: frame decodes to ${got.length} bytes, expected ${out.length}`);
        out.set(got);
      },
    };
  })();
  return codec;
}

/** Seeded rows: int64 keys, doubles, strings with nulls, small ints (dictionary), booleans, int lists (repetition levels). */
function testTable(rows: number, seed: number): ArrowTable {
  const rnd = seededRandom(seed);
  const keys = new BigInt64Array(rows), doubles = new Float64Array(rows), small = new Int32Array(rows), bools = new Uint8Array((rows + 7) >> 3);
  const sOffsets = new Int32Array(rows + 1), sBytes: number[] = [], sValid = new Uint8Array((rows + 7) >> 3);
  const lOffsets = new Int32Array(rows + 1), lValues: number[] = [];
  let sNulls = 0;
  for (let i = 0; i < rows; i++) {
    keys[i] = BigInt(i * 3) + BigInt(Math.floor(rnd() * 3));
    doubles[i] = rnd() * 1e6;
    small[i] = Math.floor(rnd() * 50);
    if (rnd() < 0.5) bools[i >> 3]! |= 1 << (i & 7);
    if (rnd() < 0.1) sNulls++;
    else {
      sValid[i >> 3]! |= 1 << (i & 7);
      for (const c of `v${Math.floor(rnd() * 1e9).toString(36)}`) sBytes.push(c.charCodeAt(0));
    }
    sOffsets[i + 1] = sBytes.length;
    const n = Math.floor(rnd() * 4);
    for (let j = 0; j < n; j++) lValues.push(Math.floor(rnd() * 1000));
    lOffsets[i + 1] = lValues.length;
  }
  const item = new Field("item", new Int32(), false);
  const fields = [new Field("k", new Int64(), false), new Field("d", new Float64(), false), new Field("s", new Utf8(), true),
    new Field("small", new Int32(), false), new Field("b", new Bool(), false), new Field("l", new List(item), false)];
  const children = [
    makeData({ type: new Int64(), length: rows, data: keys }), makeData({ type: new Float64(), length: rows, data: doubles }),
    makeData({ type: new Utf8(), length: rows, nullCount: sNulls, nullBitmap: sValid, valueOffsets: sOffsets, data: Uint8Array.from(sBytes) }),
    makeData({ type: new Int32(), length: rows, data: small }), makeData({ type: new Bool(), length: rows, data: bools }),
    makeData({ type: new List(item), length: rows, valueOffsets: lOffsets, child: makeData({ type: new Int32(), length: lValues.length, data: Int32Array.from(lValues) }) }),
  ];
  const schema = new Schema(fields);
  return new ArrowTable(schema, new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children })));
}

function write(pq: Pq, table: ArrowTable, compression: "UNCOMPRESSED" | "ZSTD", v2: boolean, snappyColumn?: string): Uint8Array {
  let b = new pq.WriterPropertiesBuilder().setWriterVersion(v2 ? pq.WriterVersion.V2 : pq.WriterVersion.V1).setCompression(pq.Compression[compression])
    .setMaxRowGroupSize(7000).setDataPageSizeLimit(8192).setStatisticsEnabled(pq.EnabledStatistics.Page);
  if (snappyColumn !== undefined) b = b.setColumnCompression(snappyColumn, pq.Compression.SNAPPY);
  return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, "stream")), b.build());
}

/** Everything parquet-wasm decodes from a file, as Arrow IPC bytes. */
async function decoded(pq: Pq, file: Uint8Array): Promise<Uint8Array> {
  const bytes = file.slice();
  const handle = { size: bytes.length, slice: (s?: number, e?: number) => new Blob([bytes.subarray(s, e)]), arrayBuffer: () => Promise.resolve(bytes.buffer) };
  const pf = await pq.ParquetFile.fromFile(handle as unknown as Blob);
  try {
    const table = await pf.read();
    return table.intoIPCStream();
  } finally {
    pf.free();
  }
}

function chunkMetas(file: Uint8Array): { md: readonly ThriftField[]; rows: number }[] {
  const out: { md: readonly ThriftField[]; rows: number }[] = [];
  const rgs = thriftField(decodeParquetFooter(file), 4);
  assert.ok(rgs?.kind === "list");
  for (const rg of rgs.items) {
    assert.ok(rg.kind === "struct");
    const rows = thriftField(rg.fields, 3), cols = thriftField(rg.fields, 1);
    assert.ok(rows?.kind === "i64" && cols?.kind === "list");
    for (const cc of cols.items) {
      assert.ok(cc.kind === "struct");
      const md = thriftField(cc.fields, 3);
      assert.ok(md?.kind === "struct");
      out.push({ md: md.fields, rows: Number(rows.value) });
    }
  }
  return out;
}

const num = (fields: readonly ThriftField[], id: number): number => {
  const v = thriftField(fields, id);
  return v?.kind === "i64" ? Number(v.value) : v?.kind === "i32" ? v.value : -1;
};

/** parquet_pages.ts's structure and CRC check over every chunk of a flat file; returns the codecs seen. */
function checkPages(file: Uint8Array, name: string): number[] {
  return chunkMetas(file).map(({ md, rows }) => {
    const dict = num(md, 11), data = num(md, 9);
    const start = dict > 0 && dict < data ? dict : data;
    const path = thriftField(md, 3);
    checkColumnChunkPages(file.subarray(start, start + num(md, 7)), {
      column: path?.kind === "list" ? String(path.items.length) : "?", startOffset: start, valueCount: num(md, 5),
      uncompressedBytes: num(md, 6), rowCount: rows, flat: true,
    }, name);
    return num(md, 4);
  });
}

async function javaParquetFiles(dir = "paimon/java-tables"): Promise<string[]> {
  const out: string[] = [];
  for (const name of await listFixtureDir(dir)) {
    if (name.endsWith(".parquet")) out.push(`${dir}/${name}`);
    else if (!name.includes(".") || name.endsWith(".db") || name.includes("=")) {
      try { out.push(...await javaParquetFiles(`${dir}/${name}`)); } catch { /* a file, not a directory */ }
    }
  }
  return out;
}

describe("parquet-wasm files", () => {
  for (const v2 of [false, true]) {
    test(`compress(UNCOMPRESSED) is byte-identical to parquet-wasm's ZSTD file, decompress(ZSTD) to its UNCOMPRESSED file (${v2 ? "v2" : "v1"} pages)`, async () => {
      const pq = await parquetWasmModule();
      const zstd = await testCodec();
      const table = testTable(20_000, v2 ? 7 : 3);
      const plain = write(pq, table, "UNCOMPRESSED", v2), packed = write(pq, table, "ZSTD", v2);
      assert.ok(chunkMetas(plain).length >= 18, "several row groups of 6 columns");
      const compressed = compressChunksZstd(plain, zstd, { level: 1 });
      assert.ok(equalBytes(compressed, packed), `compressed file differs (${compressed.length} vs ${packed.length} bytes)`);
      const unpacked = decompressZstdChunks(packed, zstd, { fileName: "packed.parquet" });
      assert.ok(equalBytes(unpacked, plain), `decompressed file differs (${unpacked.length} vs ${plain.length} bytes)`);
      assert.ok(equalBytes(await decoded(pq, unpacked), await decoded(pq, packed)), "parquet-wasm decodes the same data");
    });
  }

  test("only ZSTD chunks of the requested columns are decompressed; SNAPPY chunks are kept", async () => {
    const pq = await parquetWasmModule();
    const zstd = await testCodec();
    const table = testTable(9000, 11);
    const mixed = write(pq, table, "ZSTD", false, "d");
    const some = decompressZstdChunks(mixed, zstd, { fileName: "mixed.parquet", columns: new Set(["k", "s"]) });
    const codecs = chunkMetas(some).map(({ md }) => {
      const path = thriftField(md, 3);
      assert.ok(path?.kind === "list" && path.items[0]?.kind === "binary");
      return [new TextDecoder().decode(path.items[0].value), num(md, 4)] as const;
    });
    for (const [column, c] of codecs) {
      const want = column === "d" ? PARQUET_CODEC.SNAPPY : column === "k" || column === "s" ? PARQUET_CODEC.UNCOMPRESSED : PARQUET_CODEC.ZSTD;
      assert.equal(c, want, `column ${column}`);
    }
    assert.ok(equalBytes(await decoded(pq, some), await decoded(pq, mixed)));
    const all = decompressZstdChunks(mixed, zstd, { fileName: "mixed.parquet" });
    assert.ok(chunkMetas(all).every(({ md }) => num(md, 4) !== PARQUET_CODEC.ZSTD));
    assert.equal(decompressZstdChunks(all, zstd, { fileName: "all" }), all, "nothing to do: the same array back");
    const plainMixed = write(pq, table, "UNCOMPRESSED", false, "d");
    assert.throws(() => compressChunksZstd(plainMixed, zstd), (e: unknown) => isLakeError(e, "unsupported") && /column d has codec 1/.test((e as Error).message));
  });

  test("lakestate's writer: compressing its UNCOMPRESSED Paimon file gives its ZSTD file", async () => {
    const pq = await parquetWasmModule();
    const zstd = await testCodec();
    const fields = [field(0, "k", "BIGINT NOT NULL"), field(1, "v", "DOUBLE"), field(2, "s", "STRING")];
    const rnd = seededRandom(5);
    const rows = 6000;
    const columns = columnsOf(fields.map((f) => f.type), [
      Array.from({ length: rows }, (_, i) => BigInt(i * 2)), Array.from({ length: rows }, () => (rnd() < 0.05 ? null : rnd())),
      Array.from({ length: rows }, () => (rnd() < 0.05 ? null : `s${Math.floor(rnd() * 500)}`)),
    ], rows);
    const schema = tableSchema(fields, {}, ["k"]);
    const base = { schema, primaryKey: true, sequenceNumbers: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i)), parquetWasm: pq };
    const none = writeBufferDataFile(columns, { ...base, compression: "none" }).bytes;
    const packed = writeBufferDataFile(columns, { ...base, compression: "zstd" }).bytes;
    assert.ok(equalBytes(compressChunksZstd(none, zstd), packed));
    assert.ok(equalBytes(decompressZstdChunks(packed, zstd, { fileName: "p" }), none));
  });
});

describe("Java-written files", () => {
  test("ZSTD pages with CRCs: verified, decompressed, recompressed with valid CRCs, same values", async () => {
    const pq = await parquetWasmModule();
    const zstd = await testCodec();
    let zstdFiles = 0;
    for (const path of await javaParquetFiles()) {
      const file = await readFixture(path);
      const codecs = checkPages(file, path);
      if (!codecs.includes(PARQUET_CODEC.ZSTD)) continue;
      zstdFiles++;
      const plain = decompressZstdChunks(file, zstd, { fileName: path });
      assert.ok(checkPages(plain, path).every((c) => c !== PARQUET_CODEC.ZSTD));
      const before = await decoded(pq, file);
      assert.ok(equalBytes(await decoded(pq, plain), before), `${path}: decompressed file decodes differently`);
      // Put CRCs on the uncompressed pages (an identity rewrite), then compress: CRCs must follow.
      const withCrc = rewriteColumnChunks(plain, {
        chunkCodec: (c) => c,
        page: (p) => ({ header: withField(p.header, 4, { kind: "i32", value: crc32(p.body) | 0 }), bodyBytes: p.body.length, fill: (t) => t.set(p.body) }),
      }, path);
      checkPages(withCrc, path);
      const again = compressChunksZstd(withCrc, zstd, { fileName: path });
      assert.ok(checkPages(again, path).every((c) => c === PARQUET_CODEC.ZSTD), "every chunk ZSTD, every CRC valid");
      assert.ok(equalBytes(await decoded(pq, again), before), `${path}: recompressed file decodes differently`);
    }
    assert.ok(zstdFiles >= 5, `found ${zstdFiles} Java ZSTD files`);
  });

  test("a flipped byte under a CRC, a damaged frame, a page running past its chunk: corruption", async () => {
    const zstd = await testCodec();
    let javaZstd: Uint8Array | null = null;
    for (const path of await javaParquetFiles()) {
      const f = await readFixture(path);
      if (checkPages(f, path).includes(PARQUET_CODEC.ZSTD)) { javaZstd = f; break; }
    }
    assert.ok(javaZstd !== null);
    const zstdChunk = chunkMetas(javaZstd).find(({ md }) => num(md, 4) === PARQUET_CODEC.ZSTD)!.md;
    const start = num(zstdChunk, 11) > 0 ? num(zstdChunk, 11) : num(zstdChunk, 9);
    const flipped = javaZstd.slice();
    flipped[start + num(zstdChunk, 7) - 3]! ^= 0x40; // inside the last page's body
    assert.throws(() => decompressZstdChunks(flipped, zstd, { fileName: "flipped" }), (e: unknown) => isLakeError(e, "corruption") && /CRC-32/.test((e as Error).message));

    const pq = await parquetWasmModule();
    const packed = write(pq, testTable(3000, 2), "ZSTD", false);
    const first = chunkMetas(packed)[0]!.md;
    const at = num(first, 11) > 0 ? num(first, 11) : num(first, 9);
    const magic = [0x28, 0xb5, 0x2f, 0xfd];
    let frame = at;
    while (!magic.every((b, i) => packed[frame + i] === b)) frame++;
    const damaged = packed.slice();
    damaged[frame] = 0;
    assert.throws(() => decompressZstdChunks(damaged, zstd, { fileName: "damaged" }), (e: unknown) => isLakeError(e, "corruption") && /damaged.*page 0/.test((e as Error).message));

    const longer = rewriteColumnChunks(write(pq, testTable(3000, 2), "UNCOMPRESSED", false), {
      chunkCodec: (c) => c,
      page: (p) => ({ header: p.header, bodyBytes: p.body.length, fill: (t) => t.set(p.body) }),
    }, "identity");
    assert.ok(equalBytes(longer, write(pq, testTable(3000, 2), "UNCOMPRESSED", false)), "identity rewrite keeps every byte");
    const cut = new Uint8Array(packed.length - 40);
    cut.set(packed.subarray(0, 4));
    cut.set(packed.subarray(44), 4); // 40 bytes of the first chunk gone: its page headers are garbage
    assert.throws(() => decompressZstdChunks(cut, zstd, { fileName: "cut" }), (e: unknown) => isLakeError(e, "corruption"));
  });
});
