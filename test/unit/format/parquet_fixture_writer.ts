// Goal: build small, exactly controlled Parquet files for the data-file reader tests: physical
// layouts Java Paimon writes that no fixture covers (INT96 with negative nanos, plain INT64
// 0.5-era timestamps, DECIMAL on INT32/INT64/BINARY, TIME, INT8/16, FLOAT, BOOLEAN, Paimon's
// LIST/MAP/ROW groups, message name `schema`, several row groups).
// Method: a minimal writer: Thrift compact footer, one uncompressed data page (v1, PLAIN values,
// RLE definition/repetition levels) per column chunk, Dremel shredding of nested rows.
// Test helper only (not a test file); nothing in src/ depends on it.

/** Physical type names (Parquet `Type`). */
export type Physical = "BOOLEAN" | "INT32" | "INT64" | "INT96" | "FLOAT" | "DOUBLE" | "BYTE_ARRAY" | "FIXED_LEN_BYTE_ARRAY";
type Repetition = "REQUIRED" | "OPTIONAL" | "REPEATED";

/** A logical-type annotation, in the footer's union form. */
export type Logical =
  | { type: "STRING" } | { type: "DATE" } | { type: "LIST" } | { type: "MAP" }
  | { type: "DECIMAL"; scale: number; precision: number }
  | { type: "TIMESTAMP"; utc: boolean; unit: "MILLIS" | "MICROS" | "NANOS" }
  | { type: "TIME"; utc: boolean; unit: "MILLIS" | "MICROS" | "NANOS" }
  | { type: "INTEGER"; bitWidth: number; signed: boolean };

/** One node of the file schema. Leaves have `physical`, groups `children`. */
export interface PNode {
  name: string;
  repetition: Repetition;
  physical?: Physical;
  typeLength?: number;
  converted?: number; // ConvertedType enum value
  logical?: Logical;
  scale?: number;
  precision?: number;
  fieldId?: number;
  children?: PNode[];
}

/** ConvertedType enum values used by Paimon. */
export const CONVERTED = { UTF8: 0, MAP: 1, MAP_KEY_VALUE: 2, LIST: 3, DECIMAL: 5, DATE: 6, TIME_MILLIS: 7, TIMESTAMP_MILLIS: 9, TIMESTAMP_MICROS: 10, INT_8: 15, INT_16: 16 } as const;

const PHYSICAL_ID: Record<Physical, number> = { BOOLEAN: 0, INT32: 1, INT64: 2, INT96: 3, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7 };
const REPETITION_ID: Record<Repetition, number> = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 };
const CODEC_ID = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, ZSTD: 6 } as const;

// ---- Thrift compact protocol --------------------------------------------------------------

type TValue =
  | { t: "i32"; v: number } | { t: "i64"; v: bigint } | { t: "bin"; v: Uint8Array } | { t: "bool"; v: boolean }
  | { t: "struct"; v: TField[] } | { t: "list"; elem: "i32" | "bin" | "struct"; v: TValue[] } | { t: "byte"; v: number };
type TField = [number, TValue];

const TYPE_ID = { bool: 1, byte: 3, i32: 5, i64: 6, bin: 8, list: 9, struct: 12 } as const;

class Out {
  bytes: number[] = [];
  varint(n: bigint): void {
    let x = n;
    while (x >= 0x80n) { this.bytes.push(Number(x & 0x7fn) | 0x80); x >>= 7n; }
    this.bytes.push(Number(x));
  }
  zigzag(n: bigint): void { this.varint(n >= 0n ? n << 1n : ((-n) << 1n) - 1n); }
  raw(b: ArrayLike<number>): void { for (let i = 0; i < b.length; i++) this.bytes.push(b[i]!); }
}

function writeStruct(out: Out, fields: TField[]): void {
  let last = 0;
  for (const [id, value] of fields) {
    const type = value.t === "bool" ? (value.v ? 1 : 2) : TYPE_ID[value.t];
    if (id - last > 0 && id - last <= 15) out.bytes.push(((id - last) << 4) | type);
    else { out.bytes.push(type); out.zigzag(BigInt(id)); }
    last = id;
    if (value.t !== "bool") writeValue(out, value);
  }
  out.bytes.push(0);
}

function writeValue(out: Out, value: TValue): void {
  switch (value.t) {
    case "i32": out.zigzag(BigInt(value.v)); break;
    case "i64": out.zigzag(value.v); break;
    case "byte": out.bytes.push(value.v & 0xff); break;
    case "bin": out.varint(BigInt(value.v.length)); out.raw(value.v); break;
    case "struct": writeStruct(out, value.v); break;
    case "list": {
      const n = value.v.length;
      const et = TYPE_ID[value.elem];
      if (n < 15) out.bytes.push((n << 4) | et); else { out.bytes.push(0xf0 | et); out.varint(BigInt(n)); }
      for (const item of value.v) writeValue(out, item);
      break;
    }
    case "bool": out.bytes.push(value.v ? 1 : 2); break;
  }
}

const i32 = (v: number): TValue => ({ t: "i32", v });
const i64 = (v: number | bigint): TValue => ({ t: "i64", v: BigInt(v) });
const str = (s: string): TValue => ({ t: "bin", v: new TextEncoder().encode(s) });
const struct = (v: TField[]): TValue => ({ t: "struct", v });
const empty = (): TValue => struct([]);

function unitValue(unit: "MILLIS" | "MICROS" | "NANOS"): TValue {
  return struct([[unit === "MILLIS" ? 1 : unit === "MICROS" ? 2 : 3, empty()]]);
}

function logicalValue(l: Logical): TValue {
  switch (l.type) {
    case "STRING": return struct([[1, empty()]]);
    case "MAP": return struct([[2, empty()]]);
    case "LIST": return struct([[3, empty()]]);
    case "DECIMAL": return struct([[5, struct([[1, i32(l.scale)], [2, i32(l.precision)]])]]);
    case "DATE": return struct([[6, empty()]]);
    case "TIME": return struct([[7, struct([[1, { t: "bool", v: l.utc }], [2, unitValue(l.unit)]])]]);
    case "TIMESTAMP": return struct([[8, struct([[1, { t: "bool", v: l.utc }], [2, unitValue(l.unit)]])]]);
    case "INTEGER": return struct([[10, struct([[1, { t: "byte", v: l.bitWidth }], [2, { t: "bool", v: l.signed }]])]]);
  }
}

function schemaElement(n: PNode): TValue {
  const f: TField[] = [];
  if (n.physical !== undefined) f.push([1, i32(PHYSICAL_ID[n.physical])]);
  if (n.typeLength !== undefined) f.push([2, i32(n.typeLength)]);
  f.push([3, i32(REPETITION_ID[n.repetition])]);
  f.push([4, str(n.name)]);
  if (n.children !== undefined) f.push([5, i32(n.children.length)]);
  if (n.converted !== undefined) f.push([6, i32(n.converted)]);
  if (n.scale !== undefined) f.push([7, i32(n.scale)]);
  if (n.precision !== undefined) f.push([8, i32(n.precision)]);
  if (n.fieldId !== undefined) f.push([9, i32(n.fieldId)]);
  if (n.logical !== undefined) f.push([10, logicalValue(n.logical)]);
  return struct(f);
}

// ---- Shredding -----------------------------------------------------------------------------

interface Leaf { path: string[]; node: PNode; maxDef: number; maxRep: number; values: unknown[]; defs: number[]; reps: number[] }

function collectLeaves(nodes: PNode[], path: string[], def: number, rep: number, out: Leaf[]): void {
  for (const n of nodes) {
    const d = def + (n.repetition === "REQUIRED" ? 0 : 1);
    const r = rep + (n.repetition === "REPEATED" ? 1 : 0);
    if (n.children) collectLeaves(n.children, [...path, n.name], d, r, out);
    else out.push({ path: [...path, n.name], node: n, maxDef: d, maxRep: r, values: [], defs: [], reps: [] });
  }
}

function leavesUnder(leaves: Leaf[], path: string[]): Leaf[] {
  return leaves.filter((l) => path.every((p, i) => l.path[i] === p));
}

function shred(n: PNode, value: unknown, path: string[], def: number, rep: number, repDepth: number, leaves: Leaf[]): void {
  const here = [...path, n.name];
  const emitEmpty = (d: number): void => { for (const l of leavesUnder(leaves, here)) { l.defs.push(d); l.reps.push(rep); } };
  if (n.repetition === "OPTIONAL" && (value === null || value === undefined)) return emitEmpty(def);
  if (n.repetition === "REPEATED") {
    const items = value as unknown[];
    if (items.length === 0) return emitEmpty(def);
    items.forEach((item, i) => shredPresent(n, item, here, def + 1, i === 0 ? rep : repDepth + 1, repDepth + 1, leaves));
    return;
  }
  shredPresent(n, value, here, def + (n.repetition === "OPTIONAL" ? 1 : 0), rep, repDepth, leaves);
}

function shredPresent(n: PNode, value: unknown, here: string[], def: number, rep: number, repDepth: number, leaves: Leaf[]): void {
  if (n.children === undefined) {
    const leaf = leaves.find((l) => l.path.join(".") === here.join("."))!;
    leaf.values.push(value); leaf.defs.push(def); leaf.reps.push(rep);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const c of n.children) shred(c, record[c.name], here, def, rep, repDepth, leaves);
}

// ---- Pages ---------------------------------------------------------------------------------

function levels(values: number[], max: number): Uint8Array {
  const width = Math.ceil(Math.log2(max + 1));
  const body = new Out();
  for (const v of values) { body.varint(2n); for (let b = 0; b < Math.ceil(width / 8); b++) body.bytes.push((v >> (8 * b)) & 0xff); }
  const out = new Uint8Array(4 + body.bytes.length);
  new DataView(out.buffer).setUint32(0, body.bytes.length, true);
  out.set(body.bytes, 4);
  return out;
}

function plain(values: unknown[], n: PNode): Uint8Array {
  const out = new Out();
  const dv = new DataView(new ArrayBuffer(8));
  const push = (len: number): void => out.raw(new Uint8Array(dv.buffer, 0, len));
  if (n.physical === "BOOLEAN") {
    for (let i = 0; i < values.length; i += 8) {
      let b = 0;
      for (let j = 0; j < 8 && i + j < values.length; j++) if (values[i + j]) b |= 1 << j;
      out.bytes.push(b);
    }
    return new Uint8Array(out.bytes);
  }
  for (const v of values) {
    switch (n.physical) {
      case "INT32": dv.setInt32(0, v as number, true); push(4); break;
      case "INT64": dv.setBigInt64(0, v as bigint, true); push(8); break;
      case "FLOAT": dv.setFloat32(0, v as number, true); push(4); break;
      case "DOUBLE": dv.setFloat64(0, v as number, true); push(8); break;
      case "INT96": case "FIXED_LEN_BYTE_ARRAY": out.raw(v as Uint8Array); break;
      case "BYTE_ARRAY": {
        const b = typeof v === "string" ? new TextEncoder().encode(v) : (v as Uint8Array);
        dv.setUint32(0, b.length, true); push(4); out.raw(b); break;
      }
      default: throw new Error(`no physical type on ${n.name}`);
    }
  }
  return new Uint8Array(out.bytes);
}

/** Options of `writeParquet`. */
export interface WriteOptions {
  messageName?: string;
  rowGroupRows?: number;
  codecLabel?: keyof typeof CODEC_ID; // written in the footer; pages stay uncompressed
  createdBy?: string;
}

/** Writes `rows` (objects keyed by top-level names; nested: objects/arrays) as a Parquet file. */
export function writeParquet(schema: PNode[], rows: Record<string, unknown>[], options: WriteOptions = {}): Uint8Array<ArrayBuffer> {
  const file = new Out();
  file.raw([0x50, 0x41, 0x52, 0x31]);
  const groupRows = options.rowGroupRows ?? Math.max(rows.length, 1);
  const rowGroups: TValue[] = [];
  for (let start = 0; start < rows.length; start += groupRows) {
    const part = rows.slice(start, start + groupRows);
    const leaves: Leaf[] = [];
    collectLeaves(schema, [], 0, 0, leaves);
    for (const row of part) for (const n of schema) shred(n, row[n.name], [], 0, 0, 0, leaves);
    const chunks: TValue[] = [];
    let total = 0;
    for (const leaf of leaves) {
      const body = new Out();
      if (leaf.maxRep > 0) body.raw(levels(leaf.reps, leaf.maxRep));
      if (leaf.maxDef > 0) body.raw(levels(leaf.defs, leaf.maxDef));
      body.raw(plain(leaf.values, leaf.node));
      const header = new Out();
      writeStruct(header, [
        [1, i32(0)], [2, i32(body.bytes.length)], [3, i32(body.bytes.length)],
        [5, struct([[1, i32(leaf.defs.length)], [2, i32(0)], [3, i32(3)], [4, i32(3)]])],
      ]);
      const offset = file.bytes.length;
      file.raw(header.bytes); file.raw(body.bytes);
      const size = header.bytes.length + body.bytes.length;
      total += size;
      chunks.push(struct([[2, i64(offset)], [3, struct([
        [1, i32(PHYSICAL_ID[leaf.node.physical!])], [2, { t: "list", elem: "i32", v: [i32(0), i32(3)] }],
        [3, { t: "list", elem: "bin", v: leaf.path.map(str) }], [4, i32(CODEC_ID[options.codecLabel ?? "UNCOMPRESSED"])],
        [5, i64(leaf.defs.length)], [6, i64(size)], [7, i64(size)], [9, i64(offset)],
      ])]]));
    }
    rowGroups.push(struct([[1, { t: "list", elem: "struct", v: chunks }], [2, i64(total)], [3, i64(part.length)]]));
  }
  const all: PNode[] = [];
  const walk = (nodes: PNode[]): void => { for (const n of nodes) { all.push(n); if (n.children) walk(n.children); } };
  walk(schema);
  const root: PNode = { name: options.messageName ?? "paimon_schema", repetition: "REQUIRED", children: schema };
  const footer = new Out();
  writeStruct(footer, [
    [1, i32(1)],
    [2, { t: "list", elem: "struct", v: [{ ...schemaElement(root) }, ...all.map(schemaElement)] }],
    [3, i64(rows.length)],
    [4, { t: "list", elem: "struct", v: rowGroups }],
    [6, str(options.createdBy ?? "lakestate test writer")],
  ]);
  file.raw(footer.bytes);
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, footer.bytes.length, true);
  file.raw(len);
  file.raw([0x50, 0x41, 0x52, 0x31]);
  return new Uint8Array(file.bytes) as Uint8Array<ArrayBuffer>;
}

/** 12-byte INT96 of `nanosOfDay` (may be negative) and `julianDay`. */
export function int96(nanosOfDay: bigint, julianDay: number): Uint8Array {
  const b = new Uint8Array(12);
  const dv = new DataView(b.buffer);
  dv.setBigInt64(0, nanosOfDay, true);
  dv.setInt32(8, julianDay, true);
  return b;
}

/** Big-endian two's complement of `v` in `size` bytes (DECIMAL BINARY/FIXED). */
export function decimalBytes(v: bigint, size: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = BigInt.asUintN(size * 8, v);
  for (let i = size - 1; i >= 0; i--) { b[i] = Number(x & 0xffn); x >>= 8n; }
  return b;
}
