// Goal: the benchmark's key-value peers (bench/peers/kv_peers.ts) really store what they are
// timed on: every row is put, upserts collapse to one entry per key, and the figures are sane.
// Method: 20 000 seeded rows over 5 000 keys into classic-level and lmdb with verify on; the
// distinct key count read back from each closed store must equal the distinct keys of the input,
// and elapsed time / rows per second must be positive and consistent. A peer whose native module
// cannot load in this runtime (e.g. Deno without Node-API support) is skipped with the reason.
import { assert, describe, test } from "../harness.ts";
import {
  classicLevelPuts, distinctKeyCount, lmdbPuts, narrowRows, peerAvailability, type PeerResult,
} from "../../bench/peers/kv_peers.ts";

const availability = await peerAvailability();

function check(result: PeerResult, rows: ReturnType<typeof narrowRows>): void {
  assert.equal(result.rows, rows.keys.length);
  assert.equal(result.distinctKeys, distinctKeyCount(rows));
  assert.ok(result.elapsedMs > 0 && Number.isFinite(result.rowsPerSec));
  assert.ok(Math.abs(result.rowsPerSec - result.rows / (result.elapsedMs / 1000)) < 1e-6 * result.rowsPerSec);
  assert.ok(result.diskBytes > 0, `${result.peer} wrote nothing to disk`);
}

describe("kv peers", () => {
  test("narrowRows is seeded and spreads keys over the key space", () => {
    const a = narrowRows(1000, 100, 3), b = narrowRows(1000, 100, 3), c = narrowRows(1000, 100, 4);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.keys, c.keys);
    assert.ok(a.keys.every((k) => k >= 0n && k < 100n));
    assert.ok(distinctKeyCount(a) > 90);
    assert.deepEqual([...a.seqs.slice(0, 3)], [0n, 1n, 2n]);
  });

  for (const [peer, run] of [["classic-level", classicLevelPuts], ["lmdb", lmdbPuts]] as const) {
    const reason = availability[peer];
    if (reason !== null) console.log(`kv_peers_test: skipping ${peer}: ${reason}`);
    test(`${peer} stores every upsert, one entry per key`, { skip: reason ?? false }, async () => {
      const rows = narrowRows(20_000, 5_000, 11);
      const result = await run(rows, { verify: true });
      assert.equal(result.peer, peer);
      check(result, rows);
    });
  }
});
