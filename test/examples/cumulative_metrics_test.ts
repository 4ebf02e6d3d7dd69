// Goal: the cumulative-metrics example (examples/cumulative-metrics.ts) runs end to end in this
// runtime and its own verdict is positive: the lookup changelog a consumer tails (restarted
// midway) gives each key's running totals exactly as the model, 7 partitions remain after 10
// days, and lookups on the bucket key answer the N-day windows. Its model is checked by hand.
// Method: `main` at small scale on a temporary warehouse; the model on a hand-made sequence.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assert, test } from "../harness.ts";
import { main, parseRunArgs, PARTITIONED_DDL, USE_CASE_DDL, UsageError } from "../../examples/cumulative-metrics.ts";
import { MetricsModel } from "../../examples/cumulative_metrics/model.ts";

test("cumulative-metrics main: ten days verify OK against the model", async () => {
  const dir = await mkdtemp(join(tmpdir(), "metrics-test-"));
  try {
    const lines: string[] = [];
    const report = await main(["--days", "10", "--commits", "2", "--orders", "150", "--buyers", "40", "--warehouse", dir], (l) => lines.push(l));
    assert.deepEqual(report.problems, [], lines.join("\n"));
    assert.equal(report.ok, true);
    assert.equal(report.partitions.length, 7);
    assert.ok(report.changes > 0);
    assert.ok(lines.some((l) => l.includes("PARTITIONED BY (ds)")), "the verbatim DDL's refusal is shown");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the model's changelog: +I for a new key, -U/+U per later commit, one pair per commit", () => {
  const m = new MetricsModel();
  const o = (gmv: number) => ({ buyer: 1n, cate1: "c01", ds: "20261101", gmv });
  assert.deepEqual(m.commit([o(1.25), o(2)]).map((c) => `${c.kind}${c.totals.count}/${c.totals.gmv}`), ["+I2/3.25"]);
  assert.deepEqual(m.commit([o(0.5)]).map((c) => `${c.kind}${c.totals.count}/${c.totals.gmv}`), ["-U2/3.25", "+U3/3.75"]);
  assert.deepEqual(m.buyerWindow(1n, "20261101", "20261101", new Set(["20261101"])), { count: 3n, gmv: 3.75 });
  assert.deepEqual(m.buyerWindow(1n, "20261101", "20261101", new Set()), { count: 0n, gmv: 0 });
});

test("arguments: the DDL differs only by PARTITIONED BY; bad values are usage errors", () => {
  assert.equal(PARTITIONED_DDL.replace(" PARTITIONED BY (ds)", ""), USE_CASE_DDL);
  assert.throws(() => parseRunArgs(["--days", "5"]), UsageError);
  assert.throws(() => parseRunArgs(["--nope"]), UsageError);
  assert.equal(parseRunArgs(["--help"]), null);
});
