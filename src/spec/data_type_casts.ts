/**
 * Which column type changes Paimon allows: Java's `DataTypeCasts.supportsCast` (the implicit and
 * explicit casting rules of the SQL standard, as Paimon tabulates them) and whether
 * `CastExecutors.resolve` finds a cast rule for the pair. `ALTER TABLE … MODIFY` needs both.
 *
 * Mirrors (release-2.0):
 * https://github.com/apache/paimon/blob/release-2.0/paimon-api/src/main/java/org/apache/paimon/types/DataTypeCasts.java
 * https://github.com/apache/paimon/blob/release-2.0/paimon-common/src/main/java/org/apache/paimon/casting/CastExecutors.java
 * with the type families of `DataTypeRoot`. Java names (INTEGER, TIMESTAMP_WITHOUT_TIME_ZONE…)
 * are mapped from this project's roots (INT, TIMESTAMP, TIMESTAMP_LTZ, TIME…).
 *
 * Invariants: pure tables, no state. Type equality "ignoring nullability" compares the whole
 * type (nested field ids, names and descriptions included) as Java's `equals` does.
 * Imports: spec/data_types.ts.
 */
import { TYPE_LENGTH_MAX, type DataType } from "./data_types.ts";

type Root = DataType["root"];
type Family =
  | "PREDEFINED" | "CONSTRUCTED" | "CHARACTER_STRING" | "BINARY_STRING" | "NUMERIC" | "INTEGER_NUMERIC"
  | "EXACT_NUMERIC" | "APPROXIMATE_NUMERIC" | "DATETIME" | "TIME" | "TIMESTAMP" | "COLLECTION" | "EXTENSION";

/** Java `DataTypeRoot` families, in Java's declaration order (the order rule lookup tries). */
const FAMILIES: Readonly<Record<Root, readonly Family[]>> = {
  CHAR: ["PREDEFINED", "CHARACTER_STRING"],
  VARCHAR: ["PREDEFINED", "CHARACTER_STRING"],
  BOOLEAN: ["PREDEFINED"],
  BINARY: ["PREDEFINED", "BINARY_STRING"],
  VARBINARY: ["PREDEFINED", "BINARY_STRING"],
  DECIMAL: ["PREDEFINED", "NUMERIC", "EXACT_NUMERIC"],
  TINYINT: ["PREDEFINED", "NUMERIC", "INTEGER_NUMERIC", "EXACT_NUMERIC"],
  SMALLINT: ["PREDEFINED", "NUMERIC", "INTEGER_NUMERIC", "EXACT_NUMERIC"],
  INT: ["PREDEFINED", "NUMERIC", "INTEGER_NUMERIC", "EXACT_NUMERIC"],
  BIGINT: ["PREDEFINED", "NUMERIC", "INTEGER_NUMERIC", "EXACT_NUMERIC"],
  FLOAT: ["PREDEFINED", "NUMERIC", "APPROXIMATE_NUMERIC"],
  DOUBLE: ["PREDEFINED", "NUMERIC", "APPROXIMATE_NUMERIC"],
  DATE: ["PREDEFINED", "DATETIME"],
  TIME: ["PREDEFINED", "DATETIME", "TIME"],
  TIMESTAMP: ["PREDEFINED", "DATETIME", "TIMESTAMP"],
  TIMESTAMP_LTZ: ["PREDEFINED", "DATETIME", "TIMESTAMP", "EXTENSION"],
  VARIANT: ["PREDEFINED"],
  BLOB: ["PREDEFINED"],
  ARRAY: ["CONSTRUCTED", "COLLECTION"],
  VECTOR: ["CONSTRUCTED", "COLLECTION"],
  MULTISET: ["CONSTRUCTED", "COLLECTION"],
  MAP: ["CONSTRUCTED", "EXTENSION"],
  ROW: ["CONSTRUCTED"],
};

const ALL_ROOTS = Object.keys(FAMILIES) as Root[];

/** Roots belonging to any of `families`, plus the roots listed. */
function rootsOf(families: readonly Family[], roots: readonly Root[] = []): ReadonlySet<Root> {
  return new Set([...ALL_ROOTS.filter((r) => FAMILIES[r].some((f) => families.includes(f))), ...roots]);
}

const TIMESTAMPS: readonly Root[] = ["TIMESTAMP", "TIMESTAMP_LTZ"];
const FROM_BOOL_TS: readonly Root[] = ["BOOLEAN", ...TIMESTAMPS];

/** Java's `castTo(target)` rules: sources cast implicitly and (additionally) explicitly. */
const CAST_RULES: Partial<Record<Root, { readonly implicit: ReadonlySet<Root>; readonly explicit: ReadonlySet<Root> }>> = {
  CHAR: { implicit: rootsOf([], ["CHAR"]), explicit: rootsOf(["PREDEFINED", "CONSTRUCTED"]) },
  VARCHAR: { implicit: rootsOf(["CHARACTER_STRING"]), explicit: rootsOf(["PREDEFINED", "CONSTRUCTED"]) },
  BOOLEAN: { implicit: rootsOf([], ["BOOLEAN"]), explicit: rootsOf(["CHARACTER_STRING", "INTEGER_NUMERIC"]) },
  BINARY: { implicit: rootsOf([], ["BINARY"]), explicit: rootsOf(["CHARACTER_STRING"], ["VARBINARY"]) },
  VARBINARY: { implicit: rootsOf(["BINARY_STRING"]), explicit: rootsOf(["CHARACTER_STRING"], ["BINARY"]) },
  DECIMAL: { implicit: rootsOf(["NUMERIC"]), explicit: rootsOf(["CHARACTER_STRING"], FROM_BOOL_TS) },
  TINYINT: { implicit: rootsOf([], ["TINYINT"]), explicit: rootsOf(["NUMERIC", "CHARACTER_STRING"], FROM_BOOL_TS) },
  SMALLINT: { implicit: rootsOf([], ["TINYINT", "SMALLINT"]), explicit: rootsOf(["NUMERIC", "CHARACTER_STRING"], FROM_BOOL_TS) },
  INT: { implicit: rootsOf([], ["TINYINT", "SMALLINT", "INT"]), explicit: rootsOf(["NUMERIC", "CHARACTER_STRING"], FROM_BOOL_TS) },
  BIGINT: { implicit: rootsOf([], ["TINYINT", "SMALLINT", "INT", "BIGINT"]), explicit: rootsOf(["NUMERIC", "CHARACTER_STRING"], FROM_BOOL_TS) },
  FLOAT: {
    implicit: rootsOf([], ["TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DECIMAL"]),
    explicit: rootsOf(["NUMERIC", "CHARACTER_STRING"], FROM_BOOL_TS),
  },
  DOUBLE: { implicit: rootsOf(["NUMERIC"]), explicit: rootsOf(["CHARACTER_STRING"], FROM_BOOL_TS) },
  DATE: { implicit: rootsOf([], ["DATE", "TIMESTAMP"]), explicit: rootsOf(["TIMESTAMP", "CHARACTER_STRING"]) },
  TIME: { implicit: rootsOf([], ["TIME", "TIMESTAMP"]), explicit: rootsOf(["TIME", "TIMESTAMP", "CHARACTER_STRING"]) },
  TIMESTAMP: { implicit: rootsOf([], TIMESTAMPS), explicit: rootsOf(["DATETIME", "CHARACTER_STRING", "NUMERIC"]) },
  TIMESTAMP_LTZ: { implicit: rootsOf([], TIMESTAMPS), explicit: rootsOf(["DATETIME", "CHARACTER_STRING", "NUMERIC"]) },
};

/** A structural key of a type; `ignoreNullable` drops the top-level nullability only. */
function typeKey(t: DataType, ignoreNullable: boolean): string {
  const nn = ignoreNullable || t.nullable ? "" : "!";
  switch (t.root) {
    case "ARRAY": case "MULTISET": return `${t.root}<${typeKey(t.element, false)}>${nn}`;
    case "VECTOR": return `VECTOR<${typeKey(t.element, false)},${t.length}>${nn}`;
    case "MAP": return `MAP<${typeKey(t.key, false)},${typeKey(t.value, false)}>${nn}`;
    case "ROW":
      return `ROW<${t.fields.map((f) => JSON.stringify([f.id, f.name, typeKey(f.type, false), f.description ?? null, f.defaultValue ?? null])).join(",")}>${nn}`;
    default: return `${t.root}(${t.length ?? ""},${t.precision ?? ""},${t.scale ?? ""})${nn}`;
  }
}

/** Java `a.copy(true).equals(b.copy(true))`. */
export function equalsIgnoringNullability(a: DataType, b: DataType): boolean {
  return typeKey(a, true) === typeKey(b, true);
}

/**
 * Java `DataTypeCasts.supportsCast(source, target, allowExplicit)`: nullable to NOT NULL only
 * explicitly; equal types (ignoring nullability) always; else the implicit rules, and with
 * `allowExplicit` the explicit ones.
 */
export function supportsCast(source: DataType, target: DataType, allowExplicit: boolean): boolean {
  if (source.nullable && !target.nullable && !allowExplicit) return false;
  if (equalsIgnoringNullability(source, target)) return true;
  const rules = CAST_RULES[target.root];
  const implicit = rules?.implicit ?? new Set<Root>([target.root]);
  if (implicit.has(source.root)) return true;
  return allowExplicit && (rules?.explicit.has(source.root) ?? false);
}

type Key = Root | Family;

/** Java's cast rules as (inputs, targets); "STRING" targets the exact nullable STRING type only. */
const EXECUTOR_RULES: readonly { readonly inputs: readonly Key[]; readonly targets: readonly (Key | "STRING")[] }[] = [
  { inputs: ["DECIMAL"], targets: ["DECIMAL"] },
  { inputs: ["INTEGER_NUMERIC", "APPROXIMATE_NUMERIC"], targets: ["DECIMAL"] },
  { inputs: ["DECIMAL"], targets: ["INTEGER_NUMERIC", "APPROXIMATE_NUMERIC"] },
  { inputs: ["INTEGER_NUMERIC", "APPROXIMATE_NUMERIC"], targets: ["INTEGER_NUMERIC", "APPROXIMATE_NUMERIC"] },
  { inputs: ["NUMERIC"], targets: TIMESTAMPS },
  { inputs: ["BOOLEAN"], targets: ["NUMERIC"] },
  { inputs: ["INTEGER_NUMERIC"], targets: ["BOOLEAN"] },
  { inputs: ["NUMERIC", "BOOLEAN", "CHARACTER_STRING", "ARRAY", "MAP", "ROW", "BINARY_STRING"], targets: ["CHARACTER_STRING"] },
  { inputs: ["TIMESTAMP", "TIME", "DATE"], targets: ["STRING"] },
  { inputs: ["CHARACTER_STRING"], targets: ["BOOLEAN", "DECIMAL", "INTEGER_NUMERIC", "APPROXIMATE_NUMERIC", "DATE", "TIME"] },
  { inputs: ["CHARACTER_STRING"], targets: ["TIMESTAMP", "BINARY_STRING", "ARRAY", "MAP", "ROW"] },
  { inputs: TIMESTAMPS, targets: [...TIMESTAMPS, "DATE", "TIME", "BIGINT", "INT"] },
  { inputs: ["DATE", "TIME"], targets: TIMESTAMPS },
  { inputs: ["BINARY_STRING"], targets: ["BINARY_STRING"] },
];

/** True when `type` is Java's `VarCharType.STRING_TYPE` (nullable VARCHAR of maximal length). */
function isStringType(type: DataType): boolean {
  return type.root === "VARCHAR" && type.nullable && type.length === TYPE_LENGTH_MAX;
}

/**
 * True when Java's `CastExecutors.resolve(source, target)` finds a rule: a rule whose inputs
 * name the source root or one of its families and whose targets name the target root or one of
 * its families (DATE/TIME/TIMESTAMP to string: only to the exact nullable STRING type).
 */
export function castRuleExists(source: DataType, target: DataType): boolean {
  const inputKeys: readonly Key[] = [source.root, ...FAMILIES[source.root]];
  const targetKeys: readonly (Key | "STRING")[] = [...(isStringType(target) ? ["STRING" as const] : []), target.root, ...FAMILIES[target.root]];
  return EXECUTOR_RULES.some((rule) => rule.inputs.some((k) => inputKeys.includes(k)) && rule.targets.some((k) => targetKeys.includes(k)));
}
