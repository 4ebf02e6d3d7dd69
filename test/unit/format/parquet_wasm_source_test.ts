// Goal: the fast reader's module source behaves as documented: without a source there is no
// module (reads stay on the general path), a source that is not a parquet-wasm module fails
// softly with its reason kept, a good source (bytes or a function returning them) loads the
// module once, and a null source turns fast reads off again.
// Method: drive setFastParquetSource / fastParquetReader / fastParquetStatus in order. The
// failing-source step needs a realm where parquet-wasm is not instantiated yet (each test file
// gets its own under node --test); where another file already loaded it, that step is skipped.
import { assert, test } from "../../harness.ts";
import { parquetWasmBytes } from "../table/fast_read_helpers.ts";
import { fastParquetReader, fastParquetStatus, setFastParquetSource } from "../../../src/format/data/parquet_arrow_reader.ts";

test("no source, a bad source, a good source, then none again", async (t) => {
  const fresh = fastParquetStatus().state === "no-source";
  setFastParquetSource(null);
  assert.equal(await fastParquetReader(), null);
  assert.equal(fastParquetStatus().state, "no-source");

  if (fresh) {
    setFastParquetSource(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]) as Uint8Array<ArrayBuffer>);
    assert.equal(fastParquetStatus().state, "unloaded");
    assert.equal(await fastParquetReader(), null, "a bad module gives no reader");
    assert.equal(fastParquetStatus().state, "failed");
    assert.match(String(fastParquetStatus().reason), /parquet-wasm/);
  } else {
    t.diagnostic("parquet-wasm was already instantiated in this realm: failing-source step skipped");
  }

  let calls = 0;
  setFastParquetSource(() => { calls++; return parquetWasmBytes(); });
  const mod = await fastParquetReader();
  assert.ok(mod !== null && typeof mod.readParquet === "function" && typeof mod.wasmMemory === "function");
  assert.equal(fastParquetStatus().state, "ready");
  assert.equal(await fastParquetReader(), mod, "loaded once");
  assert.ok(calls <= 1);

  setFastParquetSource(null);
  assert.equal(await fastParquetReader(), null, "a null source turns fast reads off");
  setFastParquetSource(parquetWasmBytes());
  assert.ok((await fastParquetReader()) !== null);
});
