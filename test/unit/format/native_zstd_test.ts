// Goal: in Node, the optional zstd-napi addon installs and loads (src/node_zstd.ts), and the codec
// the readers get then decodes through it: the same bytes as the wasm build for every sample and
// for frames of another libzstd build, exact-size outputs, damaged frames and wrong sizes as
// corruption naming the native decoder; compression stays in wasm (frames identical to the wasm
// build's); turning the host decoder off goes back to the wasm decoder.
// Method: seeded samples of Parquet-page sizes; the wasm module bytes read from node_modules.
// Deno runs Node-API addons only with extra setup, so there the native half is skipped.
import { readFile } from "node:fs/promises";
import { assert, seededRandom, test } from "../../harness.ts";
import { isLakeError } from "../../../src/errors.ts";
import { instantiateZstdWasm, setZstdHostDecoder, setZstdWasmSource, zstdDecoderName, zstdWasmCodec } from "../../../src/format/data/zstd_wasm.ts";
import { NATIVE_ZSTD_NAME, nativeZstdStatus, useNativeZstd } from "../../../src/node_zstd.ts";
import { equalBytes } from "../../../src/util/bytes.ts";

const inDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
const skip = inDeno ? "Deno loads Node-API addons only with --allow-ffi and node_modules set up for it" : false;
const WASM_URL = new URL("../../../node_modules/@foxglove/wasm-zstd/dist/wasm-zstd.wasm", import.meta.url);

function samples(): Uint8Array[] {
  const rnd = seededRandom(7);
  const numbers = new Float64Array(50_000).map((_, i) => i * 5 + Math.floor(rnd() * 3));
  const random = Uint8Array.from({ length: 100_000 }, () => Math.floor(rnd() * 256));
  const text = new TextEncoder().encode(Array.from({ length: 80_000 }, () => `k${Math.floor(rnd() * 1e5)}`).join(","));
  return [new Uint8Array(0), Uint8Array.of(1), new Uint8Array(numbers.buffer), random, new Uint8Array(2 << 20).fill(3), text];
}

test("zstd-napi loads in Node and the readers' codec decodes through it, byte for byte as wasm does", { skip }, async () => {
  assert.equal(useNativeZstd(), true, `zstd-napi did not load: ${nativeZstdStatus()?.reason}`);
  assert.equal(zstdDecoderName(), NATIVE_ZSTD_NAME);
  const wasm = await instantiateZstdWasm(new Uint8Array(await readFile(WASM_URL)));
  setZstdWasmSource(new Uint8Array(await readFile(WASM_URL)));
  const codec = (await zstdWasmCodec())!;
  const { Zstd } = await import("@hpcc-js/wasm-zstd");
  const hpcc = await Zstd.load();
  for (const data of samples()) {
    const frame = wasm.compress(data, 1);
    assert.ok(equalBytes(codec.compress(data, 1), frame), `compression stays in wasm (${data.length} bytes)`);
    for (const f of [frame, hpcc.compress(data, 7)]) {
      const scratch = new Uint8Array(data.length + 64);
      const out = scratch.subarray(32, 32 + data.length);
      codec.decompressInto(f, out);
      assert.ok(equalBytes(out, data), `native decode of ${data.length} bytes`);
      assert.ok(scratch.subarray(0, 32).every((b) => b === 0) && scratch.subarray(32 + data.length).every((b) => b === 0), "writes only into the view");
    }
  }
  const data = samples()[5]!, frame = wasm.compress(data, 1);
  const wrong = (f: Uint8Array, n: number, re: RegExp) =>
    assert.throws(() => codec.decompressInto(f, new Uint8Array(n)), (e: unknown) => isLakeError(e, "corruption") && re.test((e as Error).message));
  wrong(frame, data.length - 1, /damaged or decodes to more than .*libzstd \(zstd-napi\)/);
  wrong(frame, data.length + 1, new RegExp(`decodes to ${data.length} bytes, expected ${data.length + 1}`));
  const bad = frame.slice();
  bad[0] = 0;
  wrong(bad, data.length, /damaged/);
  setZstdHostDecoder(null);
  assert.equal(zstdDecoderName(), "libzstd wasm");
  const viaWasm = (await zstdWasmCodec())!;
  assert.notEqual(viaWasm, codec, "the wasm codec itself again");
  const out = new Uint8Array(data.length);
  viaWasm.decompressInto(frame, out);
  assert.ok(equalBytes(out, data));
});
