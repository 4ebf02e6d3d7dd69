// Goal: with the libzstd wasm codec registered (as lakestate/node and lakestate/deno do), a ZSTD
// data file is byte-identical to the one parquet-wasm's own zstd writes, and the fast reader
// (which then decompresses the pages itself) returns the same rows; without it, both paths
// still work (damaged frames: parquet_zstd_pages_test.ts).
// Method: seeded primary-key files of numbers and strings (several pages, a few row groups
// through a small parquet.block.size) written twice, once per codec registration; compared
// byte for byte and read back through readParquetBuffers with and without the codec.
import { assert, seededRandom, test } from "../../harness.ts";
import { readFile } from "node:fs/promises";
import { readParquetBuffers } from "../../../src/format/data/parquet_arrow_reader.ts";
import { writeDataFile } from "../../../src/format/data/parquet_writer.ts";
import { loadedZstdWasmCodec, setZstdWasmSource, zstdWasmCodec } from "../../../src/format/data/zstd_wasm.ts";
import type { Value } from "../../../src/spec/values.ts";
import { enableFastParquet } from "../table/fast_read_helpers.ts";
import { field, parquetWasm, tableSchema } from "./parquet_writer_support.ts";

const ZSTD_WASM = new URL("../../../node_modules/@foxglove/wasm-zstd/dist/wasm-zstd.wasm", import.meta.url);

function rows(n: number, seed: number): Value[][] {
  const rnd = seededRandom(seed);
  const k: Value[] = [], v: Value[] = [], s: Value[] = [];
  for (let i = 0; i < n; i++) {
    k.push(i);
    v.push(rnd() < 0.1 ? null : BigInt(Math.floor(rnd() * 1e12)));
    s.push(`name-${Math.floor(rnd() * 5000)}-${"x".repeat(Math.floor(rnd() * 20))}`);
  }
  return [k, v, s];
}

const schema = tableSchema([field(0, "k", "INT NOT NULL"), field(1, "v", "BIGINT"), field(2, "s", "STRING")],
  { "file.compression": "zstd", "parquet.block.size": String(1 << 20) }, ["k"]);

async function write(columns: Value[][], withCodec: boolean): Promise<Uint8Array<ArrayBuffer>> {
  setZstdWasmSource(withCodec ? new Uint8Array(await readFile(ZSTD_WASM)) : null);
  await zstdWasmCodec();
  assert.equal(loadedZstdWasmCodec() !== null, withCodec);
  const n = columns[0]!.length;
  return writeDataFile(columns, { schema, primaryKey: true, parquetWasm: await parquetWasm(), sequenceNumbers: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)) }).bytes;
}

const requests = [{ name: "_KEY_k", type: schema.fields[0]!.type }, { name: "v", type: schema.fields[1]!.type }, { name: "s", type: schema.fields[2]!.type }];

test("ZSTD files through the libzstd wasm codec equal parquet-wasm's and read back the same", async () => {
  const pq = await enableFastParquet();
  for (const [n, seed] of [[1, 1], [70_000, 2]] as const) {
    const columns = rows(n, seed);
    const viaWasm = await write(columns, true);
    const viaParquetWasm = await write(columns, false);
    assert.equal(viaWasm.length, viaParquetWasm.length, `${n} rows: sizes`);
    assert.ok(viaWasm.every((b, i) => b === viaParquetWasm[i]), `${n} rows: bytes differ`);
    for (const codec of [true, false]) {
      setZstdWasmSource(codec ? new Uint8Array(await readFile(ZSTD_WASM)) : null);
      const read = await readParquetBuffers(pq, viaWasm, requests, { fileName: "f.parquet" });
      assert.ok(read !== null);
      assert.equal(read.rowCount, n);
      const keys = new Int32Array(read.columns[0]!.data.buffer, read.columns[0]!.data.byteOffset, n);
      assert.equal(keys[n - 1], n - 1);
    }
  }
  setZstdWasmSource(null);
});
