/**
 * Reads and maintains a table's consumers (`consumer/consumer-<id>`): list them with their
 * modification times, read, reset and delete one, the smallest `nextSnapshot` (what snapshot
 * expiration must keep), and the expiry of consumers idle longer than `consumer.expiration-time`.
 *
 * Mirrors Java `ConsumerManager` (main branch only):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/consumer/ConsumerManager.java
 * A consumer is every object directly in `consumer/` whose name starts with `consumer-`
 * (`listVersionedFileStatus`); the id is the rest of the name. A file that vanishes between the
 * listing and the read is skipped, as Java's `Consumer.fromPath` returns empty.
 *
 * Invariants: `consumer.ignore-progress` does not change what is stored or what expiration
 * keeps (Java reads it only when a streaming scan starts); consumer files are replaced whole
 * (`store.put`, Java `overwriteFileUtf8`).
 *
 * Imports: errors.ts, io/store.ts types, spec (consumer, paths), util/bytes.ts.
 */
import { LakeError } from "../errors.ts";
import { getIfExists, type ObjectStore } from "../io/store.ts";
import { decodeConsumer, encodeConsumer, type Consumer } from "../spec/consumer.ts";
import { CONSUMER_DIR, consumerFileName, parseConsumerFileName } from "../spec/paths.ts";
import { utf8Decode, utf8Encode } from "../util/bytes.ts";

/** One consumer as listed. */
export interface ConsumerInfo {
  readonly id: string;
  readonly nextSnapshot: bigint;
  /** Last modification of the consumer file, epoch ms (the store's clock). */
  readonly modifiedMs: number;
}

/** Path of `consumer-<id>` relative to the table root. */
export function consumerPath(consumerId: string): string {
  return `${CONSUMER_DIR}/${consumerFileName(consumerId)}`;
}

/** Ids of every consumer file, sorted by path. */
export async function listConsumerIds(store: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for (const e of await store.list(`${CONSUMER_DIR}/`)) {
    const name = e.path.slice(CONSUMER_DIR.length + 1);
    if (name.includes("/")) continue;
    const id = parseConsumerFileName(name);
    if (id !== null) out.push(id);
  }
  return out;
}

/**
 * Reads one consumer, or null when its file does not exist.
 * Throws LakeError("corruption") naming the file when it does not decode.
 */
export async function readConsumer(store: ObjectStore, consumerId: string): Promise<Consumer | null> {
  const path = consumerPath(consumerId);
  const bytes = await getIfExists(store, path);
  if (bytes === null) return null;
  try {
    return decodeConsumer(utf8Decode(bytes));
  } catch (error) {
    throw new LakeError("corruption", `consumer: ${path} is unreadable: ${(error as Error).message}`, { cause: error });
  }
}

/** Every consumer with its progress and modification time, sorted by id. */
export async function listConsumers(store: ObjectStore): Promise<ConsumerInfo[]> {
  const out: ConsumerInfo[] = [];
  for (const id of await listConsumerIds(store)) {
    const [consumer, stat] = await Promise.all([readConsumer(store, id), store.stat(consumerPath(id))]);
    if (consumer === null || stat === null) continue; // deleted meanwhile
    out.push({ id, nextSnapshot: consumer.nextSnapshot, modifiedMs: stat.modifiedMs });
  }
  return out;
}

/** Creates or replaces a consumer's progress (Java `resetConsumer`). */
export async function writeConsumer(store: ObjectStore, consumerId: string, consumer: Consumer): Promise<void> {
  await store.put(consumerPath(consumerId), utf8Encode(encodeConsumer(consumer)));
}

/** Deletes a consumer; deleting an absent one does nothing. */
export async function deleteConsumer(store: ObjectStore, consumerId: string): Promise<void> {
  await store.delete(consumerPath(consumerId));
}

/** The smallest `nextSnapshot` over all consumers, or null when there is none (Java `minNextSnapshot`). */
export async function minNextSnapshot(store: ObjectStore): Promise<bigint | null> {
  let min: bigint | null = null;
  for (const c of await listConsumers(store)) if (min === null || c.nextSnapshot < min) min = c.nextSnapshot;
  return min;
}

/**
 * Deletes every consumer whose file was last modified strictly before `expireBeforeMs`
 * (Java `ConsumerManager.expire(now - consumer.expiration-time)`). Deletes are best effort as in
 * Java (`deleteQuietly`): a failed delete leaves the consumer in place (it keeps protecting its
 * snapshots). Returns the ids deleted.
 */
export async function expireConsumers(store: ObjectStore, expireBeforeMs: number): Promise<string[]> {
  const deleted: string[] = [];
  for (const id of await listConsumerIds(store)) {
    const stat = await store.stat(consumerPath(id));
    if (stat === null || !(stat.modifiedMs < expireBeforeMs)) continue;
    try {
      await deleteConsumer(store, id);
      deleted.push(id);
    } catch (error) {
      if (!(error instanceof LakeError)) throw error;
    }
  }
  return deleted;
}
