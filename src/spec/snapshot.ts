/**
 * Snapshot (`snapshot/snapshot-N`) and tag (`tag/tag-<name>`) files: model and JSON codec.
 *
 * Mirrors `org.apache.paimon.Snapshot` (every field from Paimon 0.4 to 2.0 and master) and
 * `org.apache.paimon.tag.Tag`:
 * https://github.com/apache/paimon/blob/release-2.0/paimon-api/src/main/java/org/apache/paimon/Snapshot.java
 *
 * Wire layout: Jackson pretty printer, keys in Java's creator order (`SNAPSHOT_KEYS`); current
 * Java omits every null field. Older writers differ only by writing some nulls explicitly
 * (≤1.3: `"changelogManifestList" : null`) and by `logOffsets` (≤1.3, always `{ }` in practice,
 * between `timeMillis` and `totalRecordCount`). A decoded snapshot records both in
 * `explicitNullKeys` and `logOffsets`, so re-encoding reproduces the file byte for byte;
 * snapshots made by `createSnapshot` have neither and encode in the current layout.
 *
 * Invariants: every 64-bit value is a bigint within the int64 range (commitIdentifier of batch
 * commits is Long.MAX_VALUE, old watermarks Long.MIN_VALUE); unknown JSON keys are ignored as
 * Java ignores them; decode and encode run the same checks.
 *
 * Imports: errors.ts, util/assert.ts, util/json.ts, util/json_fields.ts.
 */
import { LakeError } from "../errors.ts";
import { assert } from "../util/assert.ts";
import { isJsonObject, JsonRawNumber, parseJson, stringifyJson, type JsonObject } from "../util/json.ts";
import {
  INT64_MAX, INT64_MIN, jsonInt32, jsonInt64, jsonInt64OrNull, jsonString, jsonStringMapOrNull, jsonStringOrNull,
  toInt64,
} from "../util/json_fields.ts";

/** Snapshot layout version Java writes today. Persisted: never renumber. */
export const SNAPSHOT_VERSION_CURRENT = 3;
/** First snapshot id of a table. */
export const SNAPSHOT_ID_FIRST = 1n;
/** `commitIdentifier` of batch commits (Java Long.MAX_VALUE). */
export const COMMIT_IDENTIFIER_BATCH = INT64_MAX;

/** Kind of changes in a snapshot. Persisted: never rename. */
export const CommitKind = { APPEND: "APPEND", COMPACT: "COMPACT", OVERWRITE: "OVERWRITE", ANALYZE: "ANALYZE" } as const;
/** One of `CommitKind`. */
export type CommitKind = (typeof CommitKind)[keyof typeof CommitKind];

/** Logical operation that produced a snapshot (2.0+). Persisted: never rename. */
export const SnapshotOperation = {
  WRITE: "WRITE", OVERWRITE: "OVERWRITE", DELETE: "DELETE", TRUNCATE: "TRUNCATE", UPDATE: "UPDATE",
  MERGE: "MERGE", CREATE_TABLE_AS_SELECT: "CREATE_TABLE_AS_SELECT", REPLACE_TABLE_AS_SELECT: "REPLACE_TABLE_AS_SELECT",
  CREATE_OR_REPLACE_TABLE_AS_SELECT: "CREATE_OR_REPLACE_TABLE_AS_SELECT",
} as const;
/** One of `SnapshotOperation`. */
export type SnapshotOperation = (typeof SnapshotOperation)[keyof typeof SnapshotOperation];

/** JSON keys of a snapshot in Java's output order. Persisted: never rename. */
export const SNAPSHOT_KEYS = [
  "version", "uuid", "id", "schemaId", "baseManifestList", "baseManifestListSize", "deltaManifestList",
  "deltaManifestListSize", "changelogManifestList", "changelogManifestListSize", "indexManifest", "commitUser",
  "writerVersion", "commitIdentifier", "commitKind", "timeMillis", "logOffsets", "totalRecordCount",
  "deltaRecordCount", "changelogRecordCount", "watermark", "statistics", "properties", "nextRowId", "operation",
] as const;
/** A key of `SNAPSHOT_KEYS`. */
export type SnapshotKey = (typeof SNAPSHOT_KEYS)[number];

/** One snapshot. Field meanings: docs/paimon-format.md §3.1. */
export interface Snapshot {
  readonly version: number;
  readonly uuid: string | null;
  readonly id: bigint;
  readonly schemaId: bigint;
  readonly baseManifestList: string;
  readonly baseManifestListSize: bigint | null;
  readonly deltaManifestList: string;
  readonly deltaManifestListSize: bigint | null;
  readonly changelogManifestList: string | null;
  readonly changelogManifestListSize: bigint | null;
  readonly indexManifest: string | null;
  readonly commitUser: string;
  readonly writerVersion: string | null;
  readonly commitIdentifier: bigint;
  readonly commitKind: CommitKind;
  readonly timeMillis: bigint;
  /** ≤1.3 only (bucket -> log offset); null when the file has none. */
  readonly logOffsets: ReadonlyMap<number, bigint> | null;
  /** Null only in files older than 0.4. */
  readonly totalRecordCount: bigint | null;
  /** Null only in files older than 0.4. */
  readonly deltaRecordCount: bigint | null;
  readonly changelogRecordCount: bigint | null;
  readonly watermark: bigint | null;
  readonly statistics: string | null;
  readonly properties: Readonly<Record<string, string>> | null;
  readonly nextRowId: bigint | null;
  readonly operation: SnapshotOperation | null;
  /** Keys the file held as JSON null; encode writes these nulls instead of omitting them. */
  readonly explicitNullKeys: readonly SnapshotKey[];
}

const NOUN = "snapshot";

const REQUIRED_INT64: readonly SnapshotKey[] = ["id", "schemaId", "commitIdentifier", "timeMillis"];
const OPTIONAL_INT64: readonly SnapshotKey[] = [
  "baseManifestListSize", "deltaManifestListSize", "changelogManifestListSize", "totalRecordCount",
  "deltaRecordCount", "changelogRecordCount", "watermark", "nextRowId",
];
const OPTIONAL_STRING: readonly SnapshotKey[] = [
  "uuid", "changelogManifestList", "indexManifest", "writerVersion", "statistics",
];

function enumValue<T extends string>(obj: JsonObject, key: string, values: Record<string, T>, where: string): T | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string" || !Object.hasOwn(values, v)) {
    throw new LakeError("corruption", `${where}: field "${key}" must be one of ${Object.keys(values).join(", ")}, got ${stringifyJson(v)}`);
  }
  return values[v]!;
}

function decodeLogOffsets(obj: JsonObject, where: string): Map<number, bigint> | null {
  const raw = obj.logOffsets;
  if (raw === undefined || raw === null) return null;
  if (!isJsonObject(raw)) throw new LakeError("corruption", `${where}: field "logOffsets" must be an object, got ${stringifyJson(raw)}`);
  const out = new Map<number, bigint>();
  for (const [k, v] of Object.entries(raw)) {
    const bucket = Number(k);
    const offset = toInt64(v);
    if (!/^-?\d+$/.test(k) || !Number.isSafeInteger(bucket) || offset === null) {
      throw new LakeError("corruption", `${where}: logOffsets entry ${JSON.stringify(k)}: ${stringifyJson(v)} is not int -> long`);
    }
    out.set(bucket, offset);
  }
  return out;
}

/** Decodes the snapshot fields of a parsed object (shared by snapshot and tag files). */
function snapshotFromJson(root: JsonObject, where: string): Snapshot {
  const explicitNullKeys = SNAPSHOT_KEYS.filter((k) => root[k] === null);
  for (const k of REQUIRED_INT64) jsonInt64(root, k, where);
  const commitKind = enumValue(root, "commitKind", CommitKind, where);
  if (commitKind === null) throw new LakeError("corruption", `${where}: field "commitKind" is missing`);
  const int64 = (k: SnapshotKey) => jsonInt64OrNull(root, k, where);
  const str = (k: SnapshotKey) => jsonStringOrNull(root, k, where);
  return {
    // Files of Paimon ≤0.2 have no version; Java reads them as version 1.
    version: root.version === undefined || root.version === null ? 1 : jsonInt32(root, "version", where),
    uuid: str("uuid"),
    id: jsonInt64(root, "id", where),
    schemaId: jsonInt64(root, "schemaId", where),
    baseManifestList: jsonString(root, "baseManifestList", where),
    baseManifestListSize: int64("baseManifestListSize"),
    deltaManifestList: jsonString(root, "deltaManifestList", where),
    deltaManifestListSize: int64("deltaManifestListSize"),
    changelogManifestList: str("changelogManifestList"),
    changelogManifestListSize: int64("changelogManifestListSize"),
    indexManifest: str("indexManifest"),
    commitUser: jsonString(root, "commitUser", where),
    writerVersion: str("writerVersion"),
    commitIdentifier: jsonInt64(root, "commitIdentifier", where),
    commitKind,
    timeMillis: jsonInt64(root, "timeMillis", where),
    logOffsets: decodeLogOffsets(root, where),
    totalRecordCount: int64("totalRecordCount"),
    deltaRecordCount: int64("deltaRecordCount"),
    changelogRecordCount: int64("changelogRecordCount"),
    watermark: int64("watermark"),
    statistics: str("statistics"),
    properties: jsonStringMapOrNull(root, "properties", where),
    nextRowId: int64("nextRowId"),
    operation: enumValue(root, "operation", SnapshotOperation, where),
    explicitNullKeys,
  };
}

function parseRoot(text: string, where: string): JsonObject {
  let root: unknown;
  try {
    root = parseJson(text);
  } catch (error) {
    throw new LakeError("corruption", `${where}: ${(error as Error).message}`, { cause: error });
  }
  if (!isJsonObject(root)) throw new LakeError("corruption", `${where}: expected a JSON object`);
  return root;
}

/**
 * Decodes snapshot JSON (any layout 0.4 … 2.0). When `fileName` (`snapshot-N`) is given, the id
 * in the file must equal N. Throws LakeError("corruption") naming the bad field and value.
 */
export function decodeSnapshot(text: string, options: { fileName?: string } = {}): Snapshot {
  const snapshot = snapshotFromJson(parseRoot(text, NOUN), NOUN);
  if (options.fileName !== undefined) {
    const m = /^snapshot-(-?\d+)$/.exec(options.fileName);
    if (!m) throw new LakeError("invalid_argument", `${NOUN}: ${JSON.stringify(options.fileName)} is not a snapshot file name`);
    if (BigInt(m[1]!) !== snapshot.id) {
      throw new LakeError("corruption", `${NOUN}: id in file ${snapshot.id} does not match file name ${options.fileName}`);
    }
  }
  return snapshot;
}

function checkSnapshot(s: Snapshot): void {
  for (const k of [...REQUIRED_INT64, ...OPTIONAL_INT64]) {
    const v = s[k as keyof Snapshot];
    assert(v === null || (typeof v === "bigint" && v >= INT64_MIN && v <= INT64_MAX), `snapshot: ${k} = ${String(v)} is not an int64`);
  }
  for (const k of OPTIONAL_STRING) assert(s[k as keyof Snapshot] === null || typeof s[k as keyof Snapshot] === "string", `snapshot: ${k} is not a string`);
  assert(Object.hasOwn(CommitKind, s.commitKind), `snapshot: commitKind ${s.commitKind} is unknown`);
  assert(s.operation === null || Object.hasOwn(SnapshotOperation, s.operation), `snapshot: operation ${String(s.operation)} is unknown`);
  assert(Number.isInteger(s.version), `snapshot: version ${s.version} is not an integer`);
}

/** The snapshot fields as an ordered JSON object (nulls omitted unless explicit). */
function snapshotToJson(s: Snapshot): Map<string, unknown> {
  checkSnapshot(s);
  const out = new Map<string, unknown>();
  for (const k of SNAPSHOT_KEYS) {
    let v: unknown = s[k];
    if (k === "logOffsets" && s.logOffsets !== null) v = new Map([...s.logOffsets].map(([b, off]) => [String(b), off]));
    if (v !== null) out.set(k, v);
    else if (s.explicitNullKeys.includes(k)) out.set(k, null);
  }
  return out;
}

/** Encodes a snapshot as Java writes it (pretty printer); see the file header for layouts. */
export function encodeSnapshot(snapshot: Snapshot): string {
  return stringifyJson(snapshotToJson(snapshot), "pretty");
}

/** Fields a writer must give to `createSnapshot`; the rest default to null. */
export type SnapshotInput = Pick<
  Snapshot,
  "id" | "schemaId" | "baseManifestList" | "deltaManifestList" | "commitUser" | "commitIdentifier" | "commitKind" | "timeMillis"
> & Partial<Omit<Snapshot, "version" | "explicitNullKeys" | "logOffsets">>;

/** A current-layout (version 3, nulls omitted, no logOffsets) snapshot. */
export function createSnapshot(input: SnapshotInput): Snapshot {
  const s: Snapshot = {
    version: SNAPSHOT_VERSION_CURRENT, uuid: null, baseManifestListSize: null, deltaManifestListSize: null,
    changelogManifestList: null, changelogManifestListSize: null, indexManifest: null, writerVersion: null,
    totalRecordCount: null, deltaRecordCount: null, changelogRecordCount: null, watermark: null, statistics: null,
    properties: null, nextRowId: null, operation: null, ...input, logOffsets: null, explicitNullKeys: [],
  };
  checkSnapshot(s);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Tag files: snapshot JSON + tagCreateTime (LocalDateTime) + tagTimeRetained (Duration)

/** A java.time.Duration: whole seconds plus nanoseconds in [0, 1e9). */
export interface JavaDuration {
  readonly seconds: bigint;
  readonly nanos: number;
}

/** A tag: the tagged snapshot plus its creation time and retention. */
export interface Tag extends Snapshot {
  /** Java `LocalDateTime.toString()` text, e.g. `2024-05-06T07:08:09.123`; null when absent. */
  readonly tagCreateTime: string | null;
  readonly tagTimeRetained: JavaDuration | null;
}

const TAG_NOUN = "tag";
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/** Formats LocalDateTime parts as Java's `LocalDateTime.toString()`. */
function formatLocalDateTime(parts: readonly number[]): string {
  const [y, mo, d, h, mi, s = 0, nano = 0] = parts as [number, number, number, number, number, number?, number?];
  let out = `${String(y).padStart(4, "0")}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}`;
  if (s > 0 || nano > 0) {
    out += `:${two(s)}`;
    if (nano > 0) {
      const digits = String(nano).padStart(9, "0");
      out += "." + (nano % 1_000_000 === 0 ? digits.slice(0, 3) : nano % 1000 === 0 ? digits.slice(0, 6) : digits);
    }
  }
  return out;
}

function decodeTagCreateTime(root: JsonObject): string | null {
  const v = root.tagCreateTime;
  if (v === undefined || v === null) return null;
  const bad = () => new LakeError("corruption", `${TAG_NOUN}: field "tagCreateTime" must be a LocalDateTime, got ${stringifyJson(v)}`);
  if (typeof v === "string") {
    const m = LOCAL_DATE_TIME.exec(v);
    if (!m) throw bad();
    return formatLocalDateTime([1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)).concat(Number((m[7] ?? "").padEnd(9, "0"))));
  }
  // Jackson's JavaTimeModule default: [year, month, day, hour, minute(, second(, nano))].
  if (!Array.isArray(v) || v.length < 5 || v.length > 7 || !v.every((x) => typeof x === "number" && Number.isInteger(x) && x >= 0)) throw bad();
  return formatLocalDateTime(v as number[]);
}

function decodeDuration(root: JsonObject): JavaDuration | null {
  const v = root.tagTimeRetained;
  if (v === undefined || v === null) return null;
  // Jackson writes seconds as a decimal (`3600.000000000`); an integer also means seconds.
  if (typeof v === "bigint") return { seconds: v, nanos: 0 };
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new LakeError("corruption", `${TAG_NOUN}: field "tagTimeRetained" must be a number of seconds, got ${stringifyJson(v)}`);
  }
  const seconds = Math.floor(v);
  const nanos = Math.round((v - seconds) * 1e9);
  return nanos === 1e9 ? { seconds: BigInt(seconds + 1), nanos: 0 } : { seconds: BigInt(seconds), nanos };
}

/** Jackson's BigDecimal text of a Duration (`DecimalUtils.toBigDecimal(seconds, nanos)`). */
function durationToken(d: JavaDuration): JsonRawNumber {
  assert(Number.isInteger(d.nanos) && d.nanos >= 0 && d.nanos < 1e9, `tag: duration nanos ${d.nanos} out of range`);
  if (d.nanos === 0) return new JsonRawNumber(d.seconds === 0n ? "0.0" : `${d.seconds}.000000000`);
  if (d.seconds === 0n && d.nanos < 1000) {
    // BigDecimal.toString switches to scientific notation below 1e-6.
    const digits = String(d.nanos);
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return new JsonRawNumber(`${mantissa}E-${9 - (digits.length - 1)}`);
  }
  return new JsonRawNumber(`${d.seconds}.${String(d.nanos).padStart(9, "0")}`);
}

/** Decodes a tag file (`tag-<name>`). Throws LakeError("corruption"). */
export function decodeTag(text: string): Tag {
  const root = parseRoot(text, TAG_NOUN);
  return { ...snapshotFromJson(root, TAG_NOUN), tagCreateTime: decodeTagCreateTime(root), tagTimeRetained: decodeDuration(root) };
}

/** Encodes a tag file as Java writes it: the snapshot fields, then the two tag fields. */
export function encodeTag(tag: Tag): string {
  const out = snapshotToJson(tag);
  if (tag.tagCreateTime !== null) {
    const m = LOCAL_DATE_TIME.exec(tag.tagCreateTime);
    assert(m !== null, `tag: tagCreateTime ${tag.tagCreateTime} is not a LocalDateTime`);
    const parts = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
    const second = Number(m[6] ?? 0);
    const nano = Number((m[7] ?? "").padEnd(9, "0"));
    if (second > 0 || nano > 0) parts.push(second);
    if (nano > 0) parts.push(nano);
    out.set("tagCreateTime", parts);
  }
  if (tag.tagTimeRetained !== null) out.set("tagTimeRetained", durationToken(tag.tagTimeRetained));
  return stringifyJson(out, "pretty");
}
