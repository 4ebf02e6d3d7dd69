/**
 * Long-lived changelog files (`changelog/changelog-N`): the metadata of an expired snapshot whose
 * changes outlive it when the changelog lifecycle is decoupled (`changelog.num-retained.*` or
 * `changelog.time-retained` keep more than snapshot retention). Model and JSON codec.
 *
 * Mirrors `org.apache.paimon.Changelog` (a `Snapshot` subclass built by `new Changelog(snapshot)`
 * and written with the snapshot's Jackson layout):
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/Changelog.java
 *
 * Wire layout: exactly the current snapshot layout (spec/snapshot.ts `SNAPSHOT_KEYS` order,
 * pretty printer, every null field omitted): Java's constructor copies every snapshot field
 * (version included) and has no `logOffsets`, so a changelog made from a snapshot read in an
 * older layout (explicit nulls, `logOffsets`) is written in the current layout. Unknown keys
 * are ignored on read, as Java's `@JsonIgnoreProperties(ignoreUnknown = true)` does.
 *
 * Invariants: a decoded changelog named `changelog-N` has id N.
 * Imports: errors.ts, spec/snapshot.ts, spec/paths.ts.
 */
import { LakeError } from "../errors.ts";
import { parseChangelogMetaFileName } from "./paths.ts";
import { decodeSnapshot, encodeSnapshot, type Snapshot } from "./snapshot.ts";

const NOUN = "changelog";

/**
 * Java `new Changelog(snapshot)`: the same fields in the current layout (no explicit nulls,
 * no `logOffsets`). The result is a `Snapshot` value (Java's Changelog is one).
 */
export function changelogFromSnapshot(snapshot: Snapshot): Snapshot {
  return { ...snapshot, logOffsets: null, explicitNullKeys: [] };
}

/** Encodes a changelog file as Java writes it (`Changelog.toJson`). */
export function encodeChangelog(changelog: Snapshot): string {
  return encodeSnapshot(changelogFromSnapshot(changelog));
}

/**
 * Decodes a changelog file. When `fileName` (`changelog-N`) is given, the id in the file must be
 * N. Throws LakeError("corruption") naming the bad field or the mismatch, ("invalid_argument")
 * for a `fileName` that is not a changelog file name.
 */
export function decodeChangelog(text: string, options: { fileName?: string } = {}): Snapshot {
  let changelog: Snapshot;
  try {
    changelog = decodeSnapshot(text);
  } catch (error) {
    if (!(error instanceof LakeError)) throw error;
    const where = options.fileName === undefined ? "" : ` ${options.fileName}`;
    throw new LakeError(error.code, `${NOUN}${where}: ${error.message}`, { cause: error });
  }
  if (options.fileName !== undefined) {
    const id = parseChangelogMetaFileName(options.fileName);
    if (id === null) throw new LakeError("invalid_argument", `${NOUN}: ${JSON.stringify(options.fileName)} is not a changelog file name (changelog-<id>)`);
    if (id !== changelog.id) throw new LakeError("corruption", `${NOUN}: id in file ${changelog.id} does not match file name ${options.fileName}`);
  }
  return changelog;
}
