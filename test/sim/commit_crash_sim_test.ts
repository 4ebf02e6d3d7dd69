// Goal: crash safety of commits. Whatever write of a commit fails or "crashes" (the process stops
// there), the table afterwards opens at its last committed snapshot with nothing partial visible,
// nothing committed is lost, the restarted job (same commit user and identifier) commits at most
// once, and a new committer carries on with the next snapshot id.
// Method: seeded scenarios of appends (some with HASH index files), compactions, mixed commits
// (APPEND + COMPACT) and partition overwrites against a model of live data and index files. For every step and every write index k of that step's commit (counted
// by a fault-free dry run), a copy of the table before that step commits the step through a
// FaultStore failing at write k (fail, fail_after, crash, crash_after). Then the
// MemoryStore is checked directly: contiguous snapshot ids, every referenced metadata file
// readable, the live set equal to the model before or after the step (or after its APPEND part),
// Table.files agreeing; then the job restarts and a fresh committer appends.
import { assert, describe, seededRandom, test } from "../harness.ts";
import { openTable } from "../../src/api/catalog.ts";
import { LakeError } from "../../src/errors.ts";
import { FaultKind, FaultStore } from "../../src/io/fault_store.ts";
import { MemoryStore } from "../../src/io/memory_store.ts";
import type { ObjectStore } from "../../src/io/store.ts";
import { decodeSerializedBinaryRow } from "../../src/spec/binary_row.ts";
import { parseTypeString } from "../../src/spec/data_types.ts";
import type { DataFileMeta } from "../../src/spec/data_file_meta.ts";
import type { IndexFileMeta } from "../../src/spec/index_manifest_entry.ts";
import type { TableSchema } from "../../src/spec/schema.ts";
import { commitChanges, type CommitRequest, type CommitResult } from "../../src/table/commit.ts";
import type { CommitMessage } from "../../src/table/commit_changes.ts";
import { snapshotIndexFiles, snapshotLiveFiles } from "../../src/table/manifest_reader.ts";
import { latestSnapshot, listSnapshotIds } from "../../src/table/snapshot_manager.ts";
import { dataFile, makeTable, part, referencedMetadataFiles, tickingClock, uuidSource } from "../unit/table/commit_helpers.ts";

const STRING = parseTypeString("STRING");
// Seeds whose scenarios each hold an overwrite, a mixed commit, index changes and compactions.
const SEEDS = [15, 18, 35];
const STEPS_PER_SCENARIO = 6;
const KINDS = [FaultKind.CRASH, FaultKind.CRASH_AFTER, FaultKind.FAIL, FaultKind.FAIL_AFTER];

/** Live files as `p/bucket/level/name` and index files as `index:p/bucket/name`. */
type Model = ReadonlySet<string>;

interface Step {
  readonly kind: "APPEND" | "OVERWRITE";
  readonly messages: CommitMessage[];
  readonly identifier: bigint;
  /** State after the APPEND part only (equal to `after` when there is no compaction). */
  readonly afterAppend: Model;
  readonly after: Model;
  /** Snapshots the step creates when it fully succeeds (1, or 2 for mixed). */
  readonly snapshotCount: number;
}

function entryKey(p: string, bucket: number, f: DataFileMeta): string {
  return `${p}/${bucket}/${f.level}/${f.fileName}`;
}

function hashIndex(name: string): IndexFileMeta {
  return { indexType: "HASH", fileName: name, fileSize: 32n, rowCount: 3n, dvRanges: null, externalPath: null, globalIndex: null };
}

type LiveFile = { p: string; bucket: number; file: DataFileMeta };

function stateOf(files: ReadonlyMap<string, LiveFile>, index: ReadonlyMap<string, string>): Model {
  return new Set([...files.keys(), ...[...index].map(([pb, name]) => `index:${pb}/${name}`)]);
}

/**
 * A seeded scenario: appends (some with a HASH index file per bucket), full compactions of one
 * (partition, bucket), mixed steps (APPEND + COMPACT) and dynamic partition overwrites.
 */
function scenario(seed: number): Step[] {
  const random = seededRandom(seed);
  const live = new Map<string, LiveFile>();
  const index = new Map<string, string>(); // "p/bucket" -> index file name
  const steps: Step[] = [];
  let fileNo = 0, keyNo = 0;
  const newFile = (): DataFileMeta => {
    keyNo += 10;
    return dataFile(`s${seed}-f${fileNo++}.parquet`, { min: keyNo, max: keyNo + 5, rows: 1 + Math.floor(random() * 5) });
  };
  const newMessages = (p: string | null): CommitMessage[] => {
    const out: CommitMessage[] = [];
    for (let m = 0, n = 1 + Math.floor(random() * 2); m < n; m++) {
      const part_ = p ?? (random() < 0.5 ? "a" : "b"), bucket = random() < 0.5 ? 0 : 1;
      const withIndex = random() < 0.35;
      out.push({
        partition: part(part_), bucket, totalBuckets: 2, newFiles: [newFile()],
        ...(withIndex ? { indexChanges: { newIndexFiles: [hashIndex(`s${seed}-index-${fileNo}`)] } } : {}),
      });
    }
    return out;
  };
  const applyNew = (messages: readonly CommitMessage[], files: Map<string, LiveFile>, idx: Map<string, string>): void => {
    for (const m of messages) {
      const p = String(decodeSerializedBinaryRow([STRING], m.partition)[0]);
      for (const f of m.newFiles ?? []) files.set(entryKey(p, m.bucket, f), { p, bucket: m.bucket, file: f });
      for (const ix of m.indexChanges?.newIndexFiles ?? []) idx.set(`${p}/${m.bucket}`, ix.fileName);
    }
  };
  for (let i = 0; i < STEPS_PER_SCENARIO; i++) {
    const groups = [...new Set([...live.values()].map((v) => `${v.p}/${v.bucket}`))];
    const roll = random();
    if (groups.length > 0 && roll > 0.85) {
      // Dynamic partition overwrite of one partition.
      const p = random() < 0.5 ? "a" : "b";
      const messages = newMessages(p);
      const files = new Map([...live].filter(([, v]) => v.p !== p));
      const idx = new Map([...index].filter(([pb]) => !pb.startsWith(`${p}/`)));
      applyNew(messages, files, idx);
      const after = stateOf(files, idx);
      steps.push({ kind: "OVERWRITE", messages, identifier: BigInt(i + 1), afterAppend: after, after, snapshotCount: 1 });
      live.clear(); for (const [k, v] of files) live.set(k, v);
      index.clear(); for (const [k, v] of idx) index.set(k, v);
      continue;
    }
    const wantCompact = groups.length > 0 && roll < 0.45;
    const wantAppend = !wantCompact || roll < 0.15;
    const messages = wantAppend ? newMessages(null) : [];
    const files = new Map(live), idx = new Map(index);
    applyNew(messages, files, idx);
    const afterAppend = stateOf(files, idx);
    if (wantCompact) {
      const [p, b] = groups[Math.floor(random() * groups.length)]!.split("/") as [string, string];
      const bucket = Number(b);
      const inputs = [...live.values()].filter((v) => v.p === p && v.bucket === bucket).map((v) => v.file);
      const output = { ...newFile(), level: 5 };
      messages.push({ partition: part(p), bucket, totalBuckets: 2, deletedFiles: inputs, compactAfter: [output] });
      for (const f of inputs) files.delete(entryKey(p, bucket, f));
      files.set(entryKey(p, bucket, output), { p, bucket, file: output });
    }
    steps.push({
      kind: "APPEND", messages, identifier: BigInt(i + 1), afterAppend, after: stateOf(files, idx),
      snapshotCount: wantAppend && wantCompact ? 2 : 1,
    });
    live.clear(); for (const [k, v] of files) live.set(k, v);
    index.clear(); for (const [k, v] of idx) index.set(k, v);
  }
  return steps;
}

async function liveSet(store: ObjectStore): Promise<Set<string>> {
  const snapshot = await latestSnapshot(store);
  if (snapshot === null) return new Set();
  const p = (partition: Uint8Array): string => String(decodeSerializedBinaryRow([STRING], partition)[0]);
  return new Set([
    ...(await snapshotLiveFiles(store, snapshot)).map((e) => entryKey(p(e.partition), e.bucket, e.file)),
    ...(await snapshotIndexFiles(store, snapshot)).map((e) => `index:${p(e.partition)}/${e.bucket}/${e.indexFile.fileName}`),
  ]);
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

interface Run {
  readonly store: MemoryStore;
  readonly request: (step: Step, user?: string) => CommitRequest;
}

let runTag = 0;

/** A run over `store`: commits get their own UUID tag (file names never collide with the
 * prefix's) and clock; no real sleeping between retries. */
function runOn(store: MemoryStore, schema: TableSchema): Run {
  const randomUuid = uuidSource((++runTag).toString(16).padStart(8, "0")), nowMs = tickingClock();
  return {
    store,
    request: (step, user = "job") => ({
      schema, commitUser: user, commitIdentifier: step.identifier, commitKind: step.kind, messages: step.messages,
      randomUuid, nowMs, sleepMs: async () => {}, random: () => 0.5,
    }),
  };
}

/** The table after steps [0, upTo): store, schema and snapshot count. */
async function prefix(steps: readonly Step[], upTo: number): Promise<{ store: MemoryStore; schema: TableSchema; snapshots: number }> {
  const store = new MemoryStore();
  const schema = await makeTable(store, { options: { "manifest.merge-min-count": "3" } });
  const run = runOn(store, schema);
  let snapshots = 0;
  for (let i = 0; i < upTo; i++) snapshots += (await commitChanges(store, run.request(steps[i]!))).snapshotIds.length;
  return { store, schema, snapshots };
}

/** A copy of every object of `source` (so each faulted run starts from the same prefix). */
async function cloneStore(source: MemoryStore): Promise<MemoryStore> {
  const copy = new MemoryStore();
  for (const e of await source.list("")) await copy.put(e.path, await source.get(e.path));
  return copy;
}

/** Checks the store as a reopened table sees it; returns the number of snapshots. */
async function checkReopened(store: ObjectStore, what: string, readers = true): Promise<number> {
  const ids = await listSnapshotIds(store);
  ids.forEach((id, i) => assert.equal(id, BigInt(i + 1), `${what}: snapshot ids are contiguous`));
  const latest = await latestSnapshot(store);
  if (latest !== null && readers) {
    // Every metadata file the latest snapshot references exists and decodes.
    await referencedMetadataFiles(store, latest);
    const files = await (await openTable(store)).files();
    assert.equal(files.length, [...await liveSet(store)].filter((k) => !k.startsWith("index:")).length, `${what}: Table.files agrees`);
  }
  return ids.length;
}

async function runFaulted(base: { store: MemoryStore; schema: TableSchema; snapshots: number }, steps: readonly Step[], c: number, k: number, kind: FaultKind, seed: number): Promise<void> {
  const what = `seed ${seed} step ${c} write ${k} ${kind}`;
  const run = runOn(await cloneStore(base.store), base.schema);
  const before = base.snapshots;
  const step = steps[c]!;
  const modelBefore: Model = c === 0 ? new Set() : steps[c - 1]!.after;
  const faulty = new FaultStore(run.store, [{ writeIndex: k, kind }]);
  let result: CommitResult | null = null;
  try {
    result = await commitChanges(faulty, run.request(step));
  } catch (error) {
    assert.ok(error instanceof LakeError && error.code === "io", `${what}: only the injected io error escapes, got ${String(error)}`);
  }
  // Reopen: the wrapped store as it was left.
  const n = await checkReopened(run.store, what);
  const live = await liveSet(run.store);
  const landed = n - before;
  assert.ok(landed >= 0 && landed <= step.snapshotCount, `${what}: ${landed} snapshots landed`);
  const expected = landed === 0 ? modelBefore : landed === step.snapshotCount ? step.after : step.afterAppend;
  assert.ok(sameSet(live, expected), `${what}: live files match the model after ${landed} snapshot(s)`);
  if (result !== null) assert.equal(landed, step.snapshotCount, `${what}: a successful commit landed completely`);
  // The job restarts and re-commits the same checkpoint: at most once.
  const again = await commitChanges(run.store, run.request(step));
  assert.equal(again.alreadyCommitted, landed > 0, `${what}: restart sees the checkpoint iff a snapshot landed`);
  const afterRestart = await liveSet(run.store);
  assert.ok(sameSet(afterRestart, landed === 0 ? step.after : expected), `${what}: after restart`);
  // A new committer carries on with the next id.
  const nBefore = await checkReopened(run.store, what, false);
  const extra = dataFile(`after-${seed}-${c}-${k}.parquet`, { min: 1_000_000 });
  const next = await commitChanges(run.store, run.request({ ...step, kind: "APPEND", identifier: 1n, messages: [{ partition: part("z"), bucket: 0, totalBuckets: 2, newFiles: [extra] }] }, "next"));
  assert.deepEqual(next.snapshotIds, [BigInt(nBefore + 1)], `${what}: next committer`);
  assert.ok(sameSet(await liveSet(run.store), new Set([...afterRestart, `z/0/0/${extra.fileName}`])), `${what}: next committer's files`);
}

describe("commit crash simulation", () => {
  for (const seed of SEEDS) {
    test(`seed ${seed}: a fault at every write of every step leaves a consistent table`, async () => {
      const steps = scenario(seed);
      let runs = 0;
      for (let c = 0; c < steps.length; c++) {
        const base = await prefix(steps, c);
        // Dry run on a copy: count the writes of step c.
        const dry = runOn(await cloneStore(base.store), base.schema);
        const counter = new FaultStore(dry.store);
        const r = await commitChanges(counter, dry.request(steps[c]!));
        assert.equal(r.snapshotIds.length, steps[c]!.snapshotCount);
        assert.ok(sameSet(await liveSet(dry.store), steps[c]!.after), `seed ${seed} step ${c}: fault-free run matches the model`);
        for (let k = 0; k < counter.writeCount; k++) {
          for (const kind of KINDS) {
            await runFaulted(base, steps, c, k, kind, seed);
            runs++;
          }
        }
      }
      assert.ok(runs > steps.length * KINDS.length * 4, `${runs} faulted runs`);
    });
  }
});
