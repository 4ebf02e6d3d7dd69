// Goal: zstd_wasm.ts loads the @foxglove/wasm-zstd module without its JS glue and (de)compresses
// correctly: its frames decode with an independent decoder (fzstd) and equal libzstd's level-1
// frames from another build (@hpcc-js/wasm-zstd, the frames parquet-rs writes); it decodes
// frames made by that build, into exact-size outputs, across buffer growth; damaged frames and
// wrong sizes are corruption; a module of another shape is unsupported; the registry loads
// once, reports failures softly and can be turned off.
// Method: seeded data of Parquet-page sizes (1 B .. 3 MB, compressible and random); the wasm
// bytes are read from node_modules. Until package.json lists @foxglove/wasm-zstd the module is
// absent and every test here is skipped with that reason.
import { readFile } from "node:fs/promises";
import { assert, seededRandom, test } from "../../harness.ts";
import { isLakeError } from "../../../src/errors.ts";
import {
  instantiateZstdWasm, loadedZstdWasmCodec, setZstdWasmSource, zstdWasmCodec, zstdWasmFailure, type ZstdCodec,
} from "../../../src/format/data/zstd_wasm.ts";
import { equalBytes } from "../../../src/util/bytes.ts";

const WASM_URL = new URL("../../../node_modules/@foxglove/wasm-zstd/dist/wasm-zstd.wasm", import.meta.url);
const wasmBytes: Uint8Array<ArrayBuffer> | null = await readFile(WASM_URL).then((b) => new Uint8Array(b) as Uint8Array<ArrayBuffer>, () => null);
const skip = wasmBytes === null ? "@foxglove/wasm-zstd is not installed (add it to package.json)" : false;

let codec: Promise<ZstdCodec> | null = null;
const load = () => (codec ??= instantiateZstdWasm(wasmBytes!));

/** Seeded samples: page-like numbers (compressible), random bytes (not), runs, the empty array. */
function samples(): Uint8Array[] {
  const rnd = seededRandom(42);
  const numbers = new Float64Array(40_000).map((_, i) => i * 3 + Math.floor(rnd() * 4));
  const random = Uint8Array.from({ length: 200_000 }, () => Math.floor(rnd() * 256));
  const text = new TextEncoder().encode(Array.from({ length: 150_000 }, () => `v${Math.floor(rnd() * 1e6).toString(36)}-1`).join(""));
  return [new Uint8Array(0), Uint8Array.of(7), new Uint8Array(numbers.buffer), random, new Uint8Array(3 << 20).fill(9), text];
}

test("round trips; frames decode with fzstd and equal hpcc's libzstd frames at level 1", { skip }, async () => {
  const zstd = await load();
  const fz = await import("fzstd");
  const { Zstd } = await import("@hpcc-js/wasm-zstd");
  const hpcc = await Zstd.load();
  for (const data of samples()) {
    for (const level of [1, 3]) {
      const frame = zstd.compress(data, level);
      const back = new Uint8Array(data.length);
      zstd.decompressInto(frame, back);
      assert.ok(equalBytes(back, data), `round trip of ${data.length} bytes at level ${level}`);
      assert.ok(equalBytes(fz.decompress(frame), data), `fzstd decodes the ${data.length}-byte frame`);
      if (level === 1) assert.ok(equalBytes(frame, hpcc.compress(data, 1)), `same level-1 frame as hpcc for ${data.length} bytes`);
    }
    const foreign = hpcc.compress(data, 5);
    const out = new Uint8Array(data.length);
    zstd.decompressInto(foreign, out);
    assert.ok(equalBytes(out, data), `decodes hpcc's level-5 frame of ${data.length} bytes`);
  }
  assert.ok(zstd.compress(samples()[2]!, 1).length < samples()[2]!.length / 2, "numbers compress");
});

test("damaged frames, too-small and too-large outputs are corruption; bad levels unsupported", { skip }, async () => {
  const zstd = await load();
  const data = samples()[5]!;
  const frame = zstd.compress(data, 1);
  const wrong = (f: Uint8Array, n: number, re: RegExp) =>
    assert.throws(() => zstd.decompressInto(f, new Uint8Array(n)), (e: unknown) => isLakeError(e, "corruption") && re.test((e as Error).message));
  wrong(frame, data.length - 1, /damaged or decodes to more than/);
  wrong(frame, data.length + 1, new RegExp(`decodes to ${data.length} bytes, expected ${data.length + 1}`));
  const badMagic = frame.slice();
  badMagic[0] = 0;
  wrong(badMagic, data.length, /damaged/);
  wrong(frame.subarray(0, frame.length - 10), data.length, /damaged|decodes to/);
  assert.throws(() => zstd.compress(data, 23), (e: unknown) => isLakeError(e, "unsupported"));
  const ok = new Uint8Array(data.length);
  zstd.decompressInto(frame, ok);
  assert.ok(equalBytes(ok, data), "the codec still works after failures");
});

test("a module of another shape is refused", { skip }, async () => {
  const parquetWasm = new Uint8Array(await readFile(new URL("../../../node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm", import.meta.url)));
  await assert.rejects(instantiateZstdWasm(parquetWasm), (e: unknown) => isLakeError(e, "unsupported") && /expected the @foxglove\/wasm-zstd 1.0.1 build/.test((e as Error).message));
  await assert.rejects(instantiateZstdWasm(Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 99)), (e: unknown) => isLakeError(e, "unsupported"));
  const compiled = await WebAssembly.compile(wasmBytes!);
  const fromModule = await instantiateZstdWasm(compiled);
  assert.equal(fromModule.compress(new Uint8Array(100), 1).length > 0, true, "a compiled module works too");
});

test("registry: none, a failing source, a good source loaded once, then off", { skip }, async () => {
  setZstdWasmSource(null);
  assert.equal(await zstdWasmCodec(), null);
  setZstdWasmSource(Uint8Array.of(1, 2, 3));
  assert.equal(await zstdWasmCodec(), null, "bad bytes give no codec");
  assert.match(String(zstdWasmFailure()), /zstd wasm/);
  let calls = 0;
  setZstdWasmSource(() => { calls++; return wasmBytes!; });
  assert.equal(loadedZstdWasmCodec(), null);
  const a = await zstdWasmCodec();
  assert.ok(a !== null);
  assert.equal(await zstdWasmCodec(), a, "loaded once");
  assert.equal(loadedZstdWasmCodec(), a);
  assert.equal(calls, 1);
  assert.equal(zstdWasmFailure(), null);
  setZstdWasmSource(null);
  assert.equal(await zstdWasmCodec(), null);
  assert.equal(loadedZstdWasmCodec(), null);
});
