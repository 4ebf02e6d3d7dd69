// Goal: the CLI's row writer streams: NDJSON/CSV leave in chunks of about OUTPUT_CHUNK_CHARS,
// each awaited before more is produced (backpressure), and the text equals api/text_output.ts
// row by row; the table format holds rows (copies, so callers may reuse a row array).
// Method: write synthetic rows through a host whose stdout resolves later and records chunks.
import { assert, test } from "../../harness.ts";
import { formatCsvHeader, formatCsvRow, formatNdjsonRow, formatTextTable } from "../../../src/api/text_output.ts";
import type { CliHost } from "../../../src/cli/cli_args.ts";
import { OUTPUT_CHUNK_CHARS, RowWriter } from "../../../src/cli/row_output.ts";
import { atomic, type DataField, TYPE_LENGTH_MAX } from "../../../src/spec/data_types.ts";
import type { Value } from "../../../src/spec/values.ts";

const FIELDS: DataField[] = [
  { id: 0, name: "id", type: atomic("BIGINT") },
  { id: 1, name: "text", type: atomic("VARCHAR", { length: TYPE_LENGTH_MAX }) },
];

function slowHost(): { host: CliHost; chunks: string[]; maxInFlight: () => number } {
  const chunks: string[] = [];
  let inFlight = 0, max = 0;
  const host: CliHost = {
    openStore: () => { throw new Error("unused"); },
    stdout: (t) => {
      chunks.push(t);
      inFlight++;
      max = Math.max(max, inFlight);
      return new Promise<void>((resolve) => setTimeout(() => { inFlight--; resolve(); }, 0));
    },
    stderr: () => {},
    cwd: ".",
  };
  return { host, chunks, maxInFlight: () => max };
}

function rowsOf(count: number): Value[][] {
  return Array.from({ length: count }, (_, i) => [BigInt(i) * 1_000_000_007n, `row ${i}, "quoted" ${"x".repeat(i % 50)}`]);
}

test("NDJSON leaves in bounded chunks, one in flight at a time, equal to formatNdjsonRow lines", async () => {
  const { host, chunks, maxInFlight } = slowHost();
  const writer = new RowWriter(host, FIELDS, "ndjson");
  const rows = rowsOf(6000);
  const row: Value[] = [null, null];
  for (const r of rows) { row[0] = r[0]!; row[1] = r[1]!; await writer.write(row); }
  await writer.end();
  assert.ok(chunks.length >= 4, `${chunks.length} chunks`);
  const longest = Math.max(...rows.map((r) => formatNdjsonRow(FIELDS, r).length + 1));
  for (const c of chunks) assert.ok(c.length < OUTPUT_CHUNK_CHARS + longest, `chunk of ${c.length}`);
  assert.equal(maxInFlight(), 1);
  assert.equal(chunks.join(""), rows.map((r) => formatNdjsonRow(FIELDS, r) + "\n").join(""));
});

test("CSV: header first, then the records, in chunks", async () => {
  const { host, chunks } = slowHost();
  const writer = new RowWriter(host, FIELDS, "csv");
  const rows = rowsOf(5000);
  for (const r of rows) await writer.write(r);
  await writer.end();
  assert.ok(chunks.length >= 2);
  assert.equal(chunks.join(""), formatCsvHeader(FIELDS) + rows.map((r) => formatCsvRow(FIELDS, r)).join(""));
});

test("table format holds copies of the rows and prints once at the end; no rows gives the header", async () => {
  const { host, chunks } = slowHost();
  const writer = new RowWriter(host, FIELDS, "table");
  const row: Value[] = [1n, "a"];
  await writer.write(row);
  row[0] = 2n; row[1] = "b";
  await writer.write(row);
  assert.equal(chunks.length, 0);
  await writer.end();
  assert.deepEqual(chunks, [formatTextTable(FIELDS, [[1n, "a"], [2n, "b"]])]);
  const empty = slowHost();
  await new RowWriter(empty.host, FIELDS, "table").end();
  assert.deepEqual(empty.chunks, [formatTextTable(FIELDS, [])]);
});
