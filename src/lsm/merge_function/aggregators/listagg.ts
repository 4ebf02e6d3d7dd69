/**
 * `listagg`: concatenates non-blank strings with `fields.<f>.list-agg-delimiter` (default ","),
 * optionally dropping tokens already present (`fields.<f>.distinct`).
 *
 * Mirrors `org.apache.paimon.mergetree.compact.aggregate.FieldListaggAgg` with
 * `StringUtils.isBlank` and `BinaryStringUtils.splitByWholeSeparatorPreserveAllTokens`:
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/mergetree/compact/aggregate/FieldListaggAgg.java
 *
 * Invariants (from Java):
 *  - A blank input (every UTF-16 unit is Java `Character.isWhitespace`) leaves the accumulator
 *    unchanged; a blank accumulator is replaced by the input (no leading delimiter).
 *  - Distinct: both sides are split on the whole delimiter (an empty delimiter splits on " "),
 *    keeping empty tokens; input tokens that are blank or already seen are dropped; order is
 *    kept. Concatenation always uses the configured delimiter.
 *  - No retraction.
 *
 * Imports: spec/data_types.ts, spec/values.ts, aggregators/field_aggregator.ts.
 */
import type { DataType } from "../../../spec/data_types.ts";
import type { Value } from "../../../spec/values.ts";
import { FieldAggregator } from "./field_aggregator.ts";

/** Java `Character.isWhitespace` for one UTF-16 unit (Unicode 10+ tables). */
export function isJavaWhitespace(unit: number): boolean {
  return (unit >= 0x09 && unit <= 0x0d) || (unit >= 0x1c && unit <= 0x20) || unit === 0x1680 ||
    (unit >= 0x2000 && unit <= 0x2006) || (unit >= 0x2008 && unit <= 0x200a) || unit === 0x2028 ||
    unit === 0x2029 || unit === 0x205f || unit === 0x3000;
}

/** Java `StringUtils.isBlank`: empty, or only whitespace units. */
export function isJavaBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isJavaWhitespace(text.charCodeAt(i))) return false;
  return true;
}

/** `splitByWholeSeparatorPreserveAllTokens`: empty text gives no tokens. */
function splitPreserveAll(text: string, delimiter: string): string[] {
  if (text.length === 0) return [];
  return text.split(delimiter === "" ? " " : delimiter);
}

/** `listagg` over STRING columns. */
export class ListaggAggregator extends FieldAggregator {
  private readonly delimiter: string;
  private readonly distinct: boolean;

  constructor(fieldName: string, fieldType: DataType, delimiter: string, distinct: boolean) {
    super("listagg", fieldName, fieldType);
    this.delimiter = delimiter;
    this.distinct = distinct;
  }

  override agg(accumulator: Value, input: Value): Value {
    if (input === null || isJavaBlank(input as string)) return accumulator;
    if (accumulator === null || isJavaBlank(accumulator as string)) return input;
    const acc = accumulator as string, inp = input as string;
    if (!this.distinct) return acc + this.delimiter + inp;
    const seen = new Set(splitPreserveAll(acc, this.delimiter));
    let out = acc;
    for (const token of splitPreserveAll(inp, this.delimiter)) {
      if (isJavaBlank(token) || seen.has(token)) continue;
      seen.add(token);
      out += this.delimiter + token;
    }
    return out;
  }
}
