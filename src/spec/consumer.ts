/**
 * Consumer files (`consumer/consumer-<id>`): the progress of a named streaming consumer, which
 * protects snapshots from expiration. Model and JSON codec.
 *
 * Mirrors `org.apache.paimon.consumer.Consumer` (one field `nextSnapshot`, written with
 * Jackson's default pretty printer by `JsonSerdeUtil.toJson`, unknown keys ignored):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/consumer/Consumer.java
 *
 * Wire layout: `{\n  "nextSnapshot" : N\n}` (no trailing newline). `nextSnapshot` is the id of
 * the next snapshot the consumer will read: snapshots with smaller ids may expire, that one and
 * later ones may not.
 *
 * Invariants: `nextSnapshot` is an int64 bigint; decode and encode run the same check.
 *
 * Imports: errors.ts, util/json.ts, util/json_fields.ts.
 */
import { LakeError } from "../errors.ts";
import { isJsonObject, parseJson, stringifyJson } from "../util/json.ts";
import { INT64_MAX, INT64_MIN, jsonInt64 } from "../util/json_fields.ts";

/** JSON key of the only field. Persisted: never rename. */
export const CONSUMER_NEXT_SNAPSHOT_KEY = "nextSnapshot";

/** A consumer's stored progress. */
export interface Consumer {
  /** Id of the next snapshot the consumer reads (int64). */
  readonly nextSnapshot: bigint;
}

const NOUN = "consumer";

/**
 * Decodes a consumer file. Unknown keys are ignored (as Java's `@JsonIgnoreProperties`).
 * Throws LakeError("corruption") for text that is not a JSON object with an int64 `nextSnapshot`.
 */
export function decodeConsumer(text: string): Consumer {
  let root: unknown;
  try {
    root = parseJson(text);
  } catch (error) {
    throw new LakeError("corruption", `${NOUN}: ${(error as Error).message}`, { cause: error });
  }
  if (!isJsonObject(root)) throw new LakeError("corruption", `${NOUN}: expected a JSON object, got ${JSON.stringify(text.slice(0, 40))}`);
  return { nextSnapshot: jsonInt64(root, CONSUMER_NEXT_SNAPSHOT_KEY, NOUN) };
}

/**
 * Encodes a consumer as Java writes it (Jackson pretty printer).
 * Throws LakeError("invalid_argument") when `nextSnapshot` is not an int64 bigint.
 */
export function encodeConsumer(consumer: Consumer): string {
  const n = consumer.nextSnapshot;
  if (typeof n !== "bigint" || n < INT64_MIN || n > INT64_MAX) {
    throw new LakeError("invalid_argument", `${NOUN}: nextSnapshot ${String(n)} is not an int64 bigint`);
  }
  return stringifyJson(new Map([[CONSUMER_NEXT_SNAPSHOT_KEY, n]]), "pretty");
}
