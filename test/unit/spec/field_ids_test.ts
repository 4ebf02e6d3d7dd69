// Goal: new columns get the field ids Java's Schema.Builder#column / SchemaManager ADD COLUMN give
// them through ReassignFieldId: the column first, then its nested ROW fields depth first, a nested
// field's children before the field itself.
// Method: hand-worked expectations from reading Java's code (RowType.Builder#field takes its id
// after evaluating the field's type argument), a nested example written out in full, and the
// continuation after an existing highestFieldId.
import { assert, describe, test } from "../../harness.ts";
import { atomic, type DataField, type DataType } from "../../../src/spec/data_types.ts";
import { numberColumns, reassignFieldIds } from "../../../src/spec/field_ids.ts";

const INT = atomic("INT");
const row = (...fields: [string, DataType][]): DataType => ({ root: "ROW", nullable: true, fields: fields.map(([name, type]) => ({ id: 99, name, type })) });

function rowFields(t: DataType): readonly DataField[] {
  assert.equal(t.root, "ROW");
  return t.root === "ROW" ? t.fields : [];
}

/** Every (name, id) in visiting order, nested included. */
function ids(fields: readonly DataField[]): [string, number][] {
  const out: [string, number][] = [];
  const visit = (t: DataType): void => {
    if (t.root === "ROW") for (const f of t.fields) { out.push([f.name, f.id]); visit(f.type); }
    else if (t.root === "ARRAY" || t.root === "MULTISET" || t.root === "VECTOR") visit(t.element);
    else if (t.root === "MAP") { visit(t.key); visit(t.value); }
  };
  for (const f of fields) { out.push([f.name, f.id]); visit(f.type); }
  return out;
}

describe("numberColumns", () => {
  test("flat columns take 0, 1, 2 … and comments become descriptions", () => {
    const { fields, highestFieldId } = numberColumns([{ name: "a", type: INT }, { name: "b", type: INT, comment: "hi" }, { name: "c", type: INT, comment: null }], -1);
    assert.deepEqual(fields, [
      { id: 0, name: "a", type: INT }, { id: 1, name: "b", type: INT, description: "hi" }, { id: 2, name: "c", type: INT },
    ]);
    assert.equal(highestFieldId, 2);
  });

  test("nested ROW fields: column id first, then nested depth first with children before their field", () => {
    const columns = [
      { name: "a", type: INT },
      { name: "b", type: row(["x", INT], ["y", row(["p", INT], ["q", INT])]) },
      { name: "c", type: { root: "ARRAY", nullable: true, element: row(["z", INT]) } as DataType },
      { name: "m", type: { root: "MAP", nullable: true, key: INT, value: row(["v", INT]) } as DataType },
      { name: "d", type: INT },
    ];
    const { fields, highestFieldId } = numberColumns(columns, -1);
    assert.deepEqual(ids(fields), [["a", 0], ["b", 1], ["x", 2], ["y", 5], ["p", 3], ["q", 4], ["c", 6], ["z", 7], ["m", 8], ["v", 9], ["d", 10]]);
    assert.equal(highestFieldId, 10);
  });

  test("ALTER TABLE ADD continues after the table's highestFieldId", () => {
    const { fields, highestFieldId } = numberColumns([{ name: "e", type: row(["f", INT]) }], 8);
    assert.deepEqual(ids(fields), [["e", 9], ["f", 10]]);
    assert.equal(highestFieldId, 10);
  });

  test("reassignFieldIds leaves atomic types alone and does not mutate its input", () => {
    const counter = { value: 4 };
    assert.equal(reassignFieldIds(INT, counter), INT);
    assert.equal(counter.value, 4);
    const input = row(["x", INT]);
    const out = reassignFieldIds(input, counter);
    assert.equal(counter.value, 5);
    assert.equal(rowFields(out)[0]!.id, 5);
    assert.equal(rowFields(input)[0]!.id, 99);
  });
});
