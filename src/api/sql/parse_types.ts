/**
 * Parses Flink SQL data types into Paimon `DataType`s: every atomic type Paimon has (with
 * Flink's aliases), `ARRAY<t>`, `t ARRAY`, `MULTISET<t>`, `t MULTISET`, `MAP<k, v>`,
 * `ROW<name t ['desc'], …>` and `ROW(name t, …)`, each with `NOT NULL` / `NULL`.
 *
 * Flink's SQL defaults apply, which differ from Paimon's type-string defaults: `VARCHAR` and
 * `VARBINARY` without a length are `STRING` and `BYTES` (Flink's `FlinkTypeSystem` default
 * precision is Integer.MAX_VALUE), `CHAR`/`BINARY` default to length 1, `DECIMAL` to (10, 0),
 * `TIME` to precision 0, `TIMESTAMP` and `TIMESTAMP_LTZ` to 6. `REAL` is FLOAT, `INTEGER` INT,
 * `DOUBLE PRECISION` DOUBLE, `CHAR VARYING`/`CHARACTER VARYING` VARCHAR, `BINARY VARYING`
 * VARBINARY, `TIMESTAMP(p) WITH LOCAL TIME ZONE` TIMESTAMP_LTZ. Bounds are checked by
 * `spec/data_types.ts` and reported at the type's position.
 *
 * Types Paimon lacks (INTERVAL, RAW, `WITH TIME ZONE`, NULL) are SqlError("unsupported").
 * Field ids of ROW fields are provisional (taken from a per-script counter); `ddl.ts` renumbers.
 *
 * Imports: errors.ts, spec/data_types.ts, api/sql/cursor.ts, api/sql/lexer.ts, api/sql/source.ts.
 * Mirrors: Flink's type grammar (`ExtendedSqlRowTypeNameSpec`, `SqlDataTypeSpec`) and Paimon's
 * `LogicalTypeToDataType`:
 * https://github.com/apache/paimon/blob/master/paimon-flink/paimon-flink-common/src/main/java/org/apache/paimon/flink/LogicalTypeToDataType.java
 */
import { LakeError } from "../../errors.ts";
import {
  atomic, TYPE_LENGTH_MAX, type AtomicRoot, type AtomicType, type DataField, type DataType,
} from "../../spec/data_types.ts";
import type { SqlCursor } from "./cursor.ts";
import { TokenKind, type Token } from "./lexer.ts";

/** The counter of provisional ROW field ids, shared by one parse. */
export interface ProvisionalFieldIds {
  next: number;
}

/** Parses one data type with its nullability and any postfix ARRAY / MULTISET. */
export function parseSqlType(c: SqlCursor, ids: ProvisionalFieldIds): DataType {
  return c.nested(() => parseSqlTypeAtDepth(c, ids));
}

function parseSqlTypeAtDepth(c: SqlCursor, ids: ProvisionalFieldIds): DataType {
  let type = parseNullability(c, parseBaseType(c, ids));
  while (c.isWord("ARRAY") || c.isWord("MULTISET")) {
    const root = c.next().value.toUpperCase() as "ARRAY" | "MULTISET";
    type = parseNullability(c, { root, nullable: true, element: type });
  }
  return type;
}

function parseNullability<T extends DataType>(c: SqlCursor, type: T): T {
  if (c.acceptWords("NOT", "NULL")) return { ...type, nullable: false };
  c.acceptWords("NULL");
  return type;
}

function parseBaseType(c: SqlCursor, ids: ProvisionalFieldIds): DataType {
  const t = c.peek();
  if (t.kind !== TokenKind.WORD) c.fail("expected a data type");
  const word = t.value.toUpperCase();
  switch (word) {
    case "ARRAY": case "MULTISET": {
      c.next();
      c.expectPunct("<", `after ${word}`);
      const element = parseSqlType(c, ids);
      c.expectPunct(">", `to close ${word}<…>`);
      return { root: word, nullable: true, element };
    }
    case "MAP": {
      c.next();
      c.expectPunct("<", "after MAP");
      const key = parseSqlType(c, ids);
      c.expectPunct(",", "between the key and value types of MAP<…>");
      const value = parseSqlType(c, ids);
      c.expectPunct(">", "to close MAP<…>");
      return { root: "MAP", nullable: true, key, value };
    }
    case "ROW":
      c.next();
      return { root: "ROW", nullable: true, fields: parseRowFields(c, ids) };
    default:
      return parseAtomicType(c);
  }
}

function parseRowFields(c: SqlCursor, ids: ProvisionalFieldIds): DataField[] {
  const angle = c.isPunct("<");
  if (!angle && !c.isPunct("(")) c.fail("expected '<' or '(' after ROW");
  c.next();
  const close = angle ? ">" : ")";
  const fields: DataField[] = [];
  do {
    const name = c.expectIdentifier("a field name of ROW").name;
    const type = parseSqlType(c, ids);
    const description = c.acceptWords("COMMENT") ? c.expectString(`the comment of ROW field ${name}`) : c.acceptString();
    const field: { -readonly [K in keyof DataField]: DataField[K] } = { id: ids.next++, name, type };
    if (description !== null) field.description = description;
    fields.push(field);
  } while (c.acceptPunct(","));
  c.expectPunct(close, `or ',' in ROW${angle ? "<…>" : "(…)"}`);
  return fields;
}

interface AtomicSpelling {
  readonly root: AtomicRoot;
  /** Which parameters the type takes: none, a length, a precision, or precision and scale. */
  readonly params: "none" | "length" | "precision" | "decimal";
  /** Flink's default for the first parameter. */
  readonly defaultParam?: number;
}

const NONE = (root: AtomicRoot): AtomicSpelling => ({ root, params: "none" });
const ATOMIC_SPELLINGS: Readonly<Record<string, AtomicSpelling>> = {
  BOOLEAN: NONE("BOOLEAN"), TINYINT: NONE("TINYINT"), SMALLINT: NONE("SMALLINT"), INT: NONE("INT"), INTEGER: NONE("INT"),
  BIGINT: NONE("BIGINT"), FLOAT: NONE("FLOAT"), REAL: NONE("FLOAT"), DOUBLE: NONE("DOUBLE"), DATE: NONE("DATE"),
  VARIANT: NONE("VARIANT"),
  STRING: { root: "VARCHAR", params: "none", defaultParam: TYPE_LENGTH_MAX },
  BYTES: { root: "VARBINARY", params: "none", defaultParam: TYPE_LENGTH_MAX },
  CHAR: { root: "CHAR", params: "length", defaultParam: 1 },
  CHARACTER: { root: "CHAR", params: "length", defaultParam: 1 },
  VARCHAR: { root: "VARCHAR", params: "length", defaultParam: TYPE_LENGTH_MAX },
  BINARY: { root: "BINARY", params: "length", defaultParam: 1 },
  VARBINARY: { root: "VARBINARY", params: "length", defaultParam: TYPE_LENGTH_MAX },
  DECIMAL: { root: "DECIMAL", params: "decimal", defaultParam: 10 },
  DEC: { root: "DECIMAL", params: "decimal", defaultParam: 10 },
  NUMERIC: { root: "DECIMAL", params: "decimal", defaultParam: 10 },
  TIME: { root: "TIME", params: "precision", defaultParam: 0 },
  TIMESTAMP: { root: "TIMESTAMP", params: "precision", defaultParam: 6 },
  TIMESTAMP_LTZ: { root: "TIMESTAMP_LTZ", params: "precision", defaultParam: 6 },
};

const VARYING: Readonly<Record<string, AtomicSpelling>> = {
  CHAR: ATOMIC_SPELLINGS.VARCHAR!, CHARACTER: ATOMIC_SPELLINGS.VARCHAR!, BINARY: ATOMIC_SPELLINGS.VARBINARY!,
};

const TYPES_PAIMON_LACKS = new Set(["INTERVAL", "RAW", "NULL", "SYMBOL", "STRUCTURED", "DESCRIPTOR"]);

function parseAtomicType(c: SqlCursor): AtomicType {
  const t = c.next();
  const word = t.value.toUpperCase();
  if (TYPES_PAIMON_LACKS.has(word)) c.unsupported(t.position, `Paimon has no ${word} type`);
  let spelling = ATOMIC_SPELLINGS[word];
  if (spelling === undefined) return c.failAt(t, "expected a data type");
  let spelled = word;
  if (VARYING[word] !== undefined && c.acceptWords("VARYING")) {
    spelling = VARYING[word]!;
    spelled += " VARYING";
  } else if (word === "DOUBLE" && c.acceptWords("PRECISION")) {
    spelled += " PRECISION";
  }
  const params = parseTypeParameters(c, spelled, spelling);
  let root = spelling.root;
  if (root === "TIME" || root === "TIMESTAMP") {
    if (c.acceptWords("WITH", "LOCAL", "TIME", "ZONE")) {
      if (root === "TIME") c.unsupported(t.position, "Paimon has no TIME WITH LOCAL TIME ZONE type");
      root = "TIMESTAMP_LTZ";
    } else if (c.isWords("WITH", "TIME", "ZONE")) {
      c.unsupported(t.position, `Paimon has no ${root} WITH TIME ZONE type (use TIMESTAMP_LTZ)`);
    } else {
      c.acceptWords("WITHOUT", "TIME", "ZONE");
    }
  }
  return buildAtomic(c, t, root, spelling, params);
}

function parseTypeParameters(c: SqlCursor, spelled: string, spelling: AtomicSpelling): number[] {
  if (!c.isPunct("(")) return [];
  const open = c.next();
  if (spelling.params === "none") c.failAt(open, `expected no parameters after ${spelled}`);
  const params = [c.expectInteger(`a ${spelling.params === "length" ? "length" : "precision"} for ${spelled}`, Number.MAX_SAFE_INTEGER)];
  if (spelling.params === "decimal" && c.acceptPunct(",")) params.push(c.expectInteger(`a scale for ${spelled}`, Number.MAX_SAFE_INTEGER));
  c.expectPunct(")", `after the parameters of ${spelled}`);
  return params;
}

function buildAtomic(c: SqlCursor, t: Token, root: AtomicRoot, spelling: AtomicSpelling, params: number[]): AtomicType {
  const first = params[0] ?? spelling.defaultParam;
  try {
    switch (spelling.params) {
      case "none":
        return first === undefined ? atomic(root) : atomic(root, { length: first });
      case "length":
        return atomic(root, { length: first });
      case "precision":
        return atomic(root, { precision: first });
      case "decimal":
        return atomic(root, { precision: first, scale: params[1] ?? 0 });
    }
  } catch (error) {
    if (!(error instanceof LakeError)) throw error;
    const why = error.message.replace(/^data type: cannot parse "[^"]*": /, "");
    return c.failAtPosition(t.position, `invalid type ${t.value.toUpperCase()}(${params.join(", ")}): ${why}`);
  }
}
