// Goal: byte helpers order and round-trip as documented. Method: fixed examples.
import { assert, test } from "../../harness.ts";
import { compareBytes, concatBytes, equalBytes, fromHex, toHex, utf8Decode, utf8Encode } from "../../../src/util/bytes.ts";

test("compareBytes is unsigned memcmp order with shorter-prefix first", () => {
  assert.ok(compareBytes(fromHex("01"), fromHex("ff")) < 0);
  assert.ok(compareBytes(fromHex("80"), fromHex("7f")) > 0);
  assert.ok(compareBytes(fromHex("0102"), fromHex("01")) > 0);
  assert.equal(compareBytes(fromHex(""), fromHex("")), 0);
});

test("hex, concat, utf8 round-trip", () => {
  assert.equal(toHex(concatBytes([fromHex("00ab"), fromHex("CD")])), "00abcd");
  assert.ok(equalBytes(utf8Encode("héllo"), fromHex("68c3a96c6c6f")));
  assert.equal(utf8Decode(utf8Encode("日本")), "日本");
  assert.throws(() => fromHex("abc"), /not a hex string/);
});
