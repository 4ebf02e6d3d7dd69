// Goal: RowKind byte values and short strings are Java's (persisted), with strict parsing.
// Method: fixed table plus error cases.
import { assert, test } from "../../harness.ts";
import {
  isAdd, isRetract, isRowKind, rowKindFromByte, rowKindFromShortString, rowKindToShortString, RowKind,
} from "../../../src/spec/row_kind.ts";
import { isLakeError } from "../../../src/errors.ts";

test("byte values and short strings match Java's RowKind", () => {
  assert.deepEqual([RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE], [0, 1, 2, 3]);
  assert.deepEqual([0, 1, 2, 3].map((b) => rowKindToShortString(rowKindFromByte(b))), ["+I", "-U", "+U", "-D"]);
  assert.equal(rowKindFromShortString("-d"), RowKind.DELETE);
  assert.deepEqual([0, 1, 2, 3].map((k) => [isAdd(k as RowKind), isRetract(k as RowKind)]), [[true, false], [false, true], [true, false], [false, true]]);
});

test("unknown values are rejected", () => {
  assert.ok(!isRowKind(4) && !isRowKind("0") && !isRowKind(1.5));
  assert.throws(() => rowKindFromByte(4), (e) => isLakeError(e, "corruption"));
  assert.throws(() => rowKindFromByte(-1), /unknown byte value -1/);
  assert.throws(() => rowKindFromShortString("+X"), (e) => isLakeError(e, "invalid_argument"));
});
