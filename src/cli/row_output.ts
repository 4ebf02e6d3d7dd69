/**
 * Writes rows to the CLI's standard output as NDJSON, CSV or an aligned text table, in chunks,
 * so large reads stream with bounded memory.
 *
 * Contract: the text of every row is exactly `api/text_output.ts` (the NDJSON rules of the read
 * issue, RFC 4180 CSV, the terminal table). NDJSON and CSV are written in chunks of about
 * OUTPUT_CHUNK_CHARS characters, awaiting the host between chunks (backpressure); the `table`
 * format must see every row to size its columns, so it holds them all until `end()`.
 * Imports: api/text_output.ts, spec types, cli/cli_args.ts (types).
 */
import { formatCsvHeader, formatCsvRow, formatNdjsonRow, formatTextTable } from "../api/text_output.ts";
import type { DataField } from "../spec/data_types.ts";
import type { Row } from "../spec/values.ts";
import type { CliHost } from "./cli_args.ts";

/** Row output formats of `read`, `snapshots` and `files`. */
export const ROW_FORMATS = ["ndjson", "csv", "table"] as const;
/** One of ROW_FORMATS. */
export type RowFormat = (typeof ROW_FORMATS)[number];

/** Characters buffered before a chunk is handed to the host. */
export const OUTPUT_CHUNK_CHARS = 64 * 1024;

/** Streams rows of `fields` to the host in one format: `write` each row, then `end` once. */
export class RowWriter {
  readonly #host: CliHost;
  readonly #fields: readonly DataField[];
  readonly #format: RowFormat;
  readonly #tableRows: Row[] = [];
  #pending = "";
  #started = false;

  constructor(host: CliHost, fields: readonly DataField[], format: RowFormat) {
    this.#host = host;
    this.#fields = fields;
    this.#format = format;
  }

  /** Adds one row (values in field order, shaped as spec/values.ts says); `row` may be reused after. */
  async write(row: Row): Promise<void> {
    this.#start();
    switch (this.#format) {
      case "ndjson": this.#pending += formatNdjsonRow(this.#fields, row) + "\n"; break;
      case "csv": this.#pending += formatCsvRow(this.#fields, row); break;
      case "table": this.#tableRows.push([...row]); return; // the caller may reuse `row`
    }
    if (this.#pending.length >= OUTPUT_CHUNK_CHARS) await this.#flush();
  }

  /** Writes what is buffered (the whole table for `table`). Call once, after the last row. */
  async end(): Promise<void> {
    this.#start();
    if (this.#format === "table") this.#pending += formatTextTable(this.#fields, this.#tableRows);
    await this.#flush();
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    if (this.#format === "csv") this.#pending += formatCsvHeader(this.#fields);
  }

  async #flush(): Promise<void> {
    if (this.#pending === "") return;
    const chunk = this.#pending;
    this.#pending = "";
    await this.#host.stdout(chunk);
  }
}

/** Writes all `rows` in `format` (for small outputs such as system tables). */
export async function writeRows(host: CliHost, fields: readonly DataField[], rows: Iterable<Row>, format: RowFormat): Promise<void> {
  const writer = new RowWriter(host, fields, format);
  for (const row of rows) await writer.write(row);
  await writer.end();
}
