// Goal (read issue, "Must hold"): a truncated or corrupted snapshot, schema, manifest list,
// manifest, data file or deletion-vector index file gives a clear error naming the file: a
// LakeError with code "corruption" (or "not_found" for a file that is gone), never a wrong answer
// or a crash.
// Method: copy the Java-written table pk_09 (deletion vectors, 8 snapshots) into a MemoryStore,
// damage one file the latest snapshot needs, and check that opening and reading the table
// rejects as required. Damage is placed where detection does not depend on luck: truncations;
// flips in Avro sync markers, in Parquet magic, footer length and schema names, and in a
// deletion vector (CRC-32 protected), in Parquet page payloads (page CRC-32) and page headers
// (checked against the chunk and the footer before decoding).
import { assert, test } from "../harness.ts";
import { openTable } from "../../src/api/catalog.ts";
import { LakeError } from "../../src/errors.ts";
import { MemoryStore } from "../../src/io/memory_store.ts";
import { copyFixtureTable } from "../unit/cli/cli_host.ts";

const TABLE = "pk_09.db/pk_09";
// Files snapshot 8 (the latest) needs, per its snapshot JSON, manifest lists and index manifest.
const SNAPSHOT = "snapshot/snapshot-8";
const SCHEMA = "schema/schema-0";
const BASE_MANIFEST_LIST = "manifest/manifest-list-c63559b0-8ebb-4bf9-8e0c-91062d5e7391-14";
const DELTA_MANIFEST_LIST = "manifest/manifest-list-c63559b0-8ebb-4bf9-8e0c-91062d5e7391-15";
const MANIFEST = "manifest/manifest-8cf79434-32e4-4029-bf8e-befe856d268f-7";
const INDEX_MANIFEST = "manifest/index-manifest-03e2700b-8409-499b-8c27-a09ccee9348c-1";
const DATA_FILE = "f1=20/bucket-0/data-cf4e088c-c6e7-4812-bb97-196f6aff271c-0.parquet";
const DV_INDEX_FILE = "index/index-ff7801ad-df90-49b2-9619-586eab9c68e3-1";
// Layout of DATA_FILE (1714 bytes, parquet-mr 1.13.1): column chunk f0 (a value column every
// read needs) is bytes [232, 280): its data page header is [232, 255) (with a CRC-32 of the
// page), the ZSTD page payload [255, 280). The footer is 953 bytes, then a 4-byte length, "PAR1".
const F0_PAYLOAD = { start: 255, end: 280 };

const pristine = new Map<string, Promise<MemoryStore>>();

/** The undamaged copy of fixture table `table` (made once). */
function pristineTable(table: string): Promise<MemoryStore> {
  let p = pristine.get(table);
  if (p === undefined) pristine.set(table, p = copyFixtureTable(table));
  return p;
}

/** A fresh copy of `table` with `path` replaced by `damage(bytes)`, or deleted for null. */
async function damagedTable(path: string, damage: (bytes: Uint8Array) => Uint8Array | null, table = TABLE): Promise<MemoryStore> {
  const source = await pristineTable(table);
  const store = new MemoryStore();
  for (const e of await source.list("")) await store.put(e.path, await source.get(e.path));
  const replaced = damage((await source.get(path)).slice());
  if (replaced === null) await store.delete(path);
  else await store.put(path, replaced);
  return store;
}

const truncate = (keep: (length: number) => number) => (b: Uint8Array) => b.subarray(0, keep(b.length));
const flip = (at: (length: number) => number, mask = 0x10) => (b: Uint8Array) => {
  b[at(b.length)]! ^= mask;
  return b;
};

/** Opens and reads the latest snapshot; resolves to what it rejected with, or null. */
async function readError(store: MemoryStore): Promise<unknown> {
  try {
    const table = await openTable(store, { name: "damaged" });
    await table.read();
    return null;
  } catch (error) {
    return error;
  }
}

/** Asserts the read rejects with a LakeError of `code` whose message names `path`'s file. */
async function assertNamedError(store: MemoryStore, path: string, code: "corruption" | "not_found" = "corruption"): Promise<void> {
  const error = await readError(store);
  assert.ok(error !== null, `damage to ${path} went unnoticed`);
  assert.ok(error instanceof LakeError, `damage to ${path}: ${String(error)}`);
  assert.equal(error.code, code, error.message);
  const name = path.slice(path.lastIndexOf("/") + 1);
  assert.ok(error.message.includes(name), `message does not name ${name}: ${error.message}`);
}

test("the undamaged copy reads (9 rows at snapshot 8)", async () => {
  const table = await openTable(await damagedTable(SNAPSHOT, (b) => b), { name: TABLE });
  assert.equal((await table.read()).numRows, 9);
});

test("snapshot JSON truncated: corruption naming snapshot-8", async () => {
  await assertNamedError(await damagedTable(SNAPSHOT, truncate((n) => n >> 1)), SNAPSHOT);
});

test("schema JSON truncated: corruption naming schema-0", async () => {
  await assertNamedError(await damagedTable(SCHEMA, truncate((n) => n >> 1)), SCHEMA);
});

test("manifest lists truncated or with a flipped sync marker: corruption naming the list", async () => {
  for (const path of [BASE_MANIFEST_LIST, DELTA_MANIFEST_LIST]) {
    await assertNamedError(await damagedTable(path, truncate((n) => n - 20)), path);
    await assertNamedError(await damagedTable(path, truncate(() => 100)), path); // inside the header
    await assertNamedError(await damagedTable(path, flip((n) => n - 1)), path); // last sync marker byte
    await assertNamedError(await damagedTable(path, flip(() => 0)), path); // Avro magic
  }
});

test("manifest truncated or bit-flipped: corruption naming the manifest", async () => {
  await assertNamedError(await damagedTable(MANIFEST, truncate((n) => n - 20)), MANIFEST);
  await assertNamedError(await damagedTable(MANIFEST, truncate((n) => n >> 1)), MANIFEST);
  await assertNamedError(await damagedTable(MANIFEST, flip((n) => n - 1)), MANIFEST);
  await assertNamedError(await damagedTable(MANIFEST, flip((n) => n - 16)), MANIFEST); // first sync byte
  await assertNamedError(await damagedTable(INDEX_MANIFEST, truncate((n) => n - 20)), INDEX_MANIFEST);
  await assertNamedError(await damagedTable(INDEX_MANIFEST, flip((n) => n - 1)), INDEX_MANIFEST);
});

test("data file truncated: corruption naming the data file", async () => {
  for (const keep of [(n: number) => n - 1, (n: number) => n - 8, (n: number) => n >> 1, () => 4, () => 0]) {
    await assertNamedError(await damagedTable(DATA_FILE, truncate(keep)), DATA_FILE);
  }
});

test("data file footer damaged: tail magic, footer length, a column name in the schema", async () => {
  await assertNamedError(await damagedTable(DATA_FILE, flip((n) => n - 1)), DATA_FILE); // "PAR1" at the end
  await assertNamedError(await damagedTable(DATA_FILE, flip((n) => n - 6)), DATA_FILE); // footer length
  await assertNamedError(await damagedTable(DATA_FILE, flip(() => 0)), DATA_FILE); // "PAR1" at the start
  const pristineBytes = await (await pristineTable(TABLE)).get(DATA_FILE);
  const footerStart = pristineBytes.length - 8 - new DataView(pristineBytes.buffer, pristineBytes.byteOffset).getInt32(pristineBytes.length - 8, true);
  const name = new TextEncoder().encode("_SEQUENCE_NUMBER");
  let at = -1;
  for (let i = footerStart; i < pristineBytes.length - name.length && at < 0; i++) {
    if (name.every((c, j) => pristineBytes[i + j] === c)) at = i;
  }
  assert.ok(at > footerStart, "schema name found in the footer");
  await assertNamedError(await damagedTable(DATA_FILE, flip(() => at + 1)), DATA_FILE); // _SEQUENCE_NUMBER → _CEQUENCE_NUMBER
});

test("data file column chunk: a flipped ZSTD frame magic is corruption naming the file", async () => {
  await assertNamedError(await damagedTable(DATA_FILE, flip(() => F0_PAYLOAD.start)), DATA_FILE);
});

test("data file column chunk: every flipped byte of a page payload is detected (page CRC-32)", async () => {
    for (let at = F0_PAYLOAD.start; at < F0_PAYLOAD.end; at++) {
      await assertNamedError(await damagedTable(DATA_FILE, flip(() => at)), DATA_FILE);
    }
  });

test("deletion-vector index file truncated or bit-flipped: corruption naming the index file", async () => {
  await assertNamedError(await damagedTable(DV_INDEX_FILE, truncate((n) => n - 1)), DV_INDEX_FILE);
  await assertNamedError(await damagedTable(DV_INDEX_FILE, truncate(() => 0)), DV_INDEX_FILE);
  const pristineBytes = await (await pristineTable(TABLE)).get(DV_INDEX_FILE);
  for (let at = 1; at < pristineBytes.length; at++) { // every byte after the version byte
    await assertNamedError(await damagedTable(DV_INDEX_FILE, flip(() => at, 0x01)), DV_INDEX_FILE);
  }
});

test("a deleted file is not_found naming it", async () => {
  for (const path of [BASE_MANIFEST_LIST, MANIFEST, INDEX_MANIFEST, DATA_FILE, DV_INDEX_FILE]) {
    await assertNamedError(await damagedTable(path, () => null), path, "not_found");
  }
});

test("footer damage that garbles the Parquet schema is still a LakeError naming the file", async () => {
    // Flips found by a sweep: each gave "TypeError: c.element.name.toLowerCase is not a function".
    for (const at of [811, 834, 861, 876, 885]) await assertNamedError(await damagedTable(DATA_FILE, flip(() => at)), DATA_FILE);
    // Gave "TypeError: Cannot read properties of undefined (reading 'join')" (parseFooter).
    const other = "append_table_with_alter_table.db/append_table_with_alter_table";
    const file = "key0=1/key1=1/bucket-0/data-9dfb749f-0509-4db2-ae7b-1e4448b32165-0.parquet";
    const error = await readError(await damagedTable(file, flip(() => 795), other));
    assert.ok(error instanceof LakeError && error.message.includes(file.split("/").pop()!), String(error));
  });

test("a damaged data page header does not crash the process", async () => {
    // Byte 657 is the num_values of a data page header (3 → 11); unchecked, hyparquet's page
    // decoder then grew an array past V8's limit: a fatal abort, not an error. (A PLAIN → RLE_DICTIONARY encoding flip
    // does the same: paimon-0.5 bucket-1/data-c6421a8e-...-3.parquet byte 675.)
    const file = "f1=10/bucket-0/data-2b672a79-68bb-447c-8f8d-b4764e29b391-1.parquet";
    await assertNamedError(await damagedTable(file, flip(() => 657)), file);
  });
