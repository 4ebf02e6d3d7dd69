// Goal: `changelog/changelog-N` files are what Java's `Changelog` writes: the snapshot's fields
// under Java's field names (Snapshot.FIELD_* constants, in the order of Changelog's
// @JsonCreator), Jackson's pretty printer, nulls omitted and no `logOffsets` (Changelog has no
// such field), even when the snapshot came from an older writer; decoding checks the id
// against the file name.
// Method: every Java-written snapshot fixture (Paimon 0.5 .. 1.x, which write explicit nulls and
// `logOffsets`) is turned into a changelog; the expected text is derived from the fixture's own
// bytes by deleting its null and `logOffsets` lines (an independent text transform, not our
// encoder), and the keys are checked against the Java field list copied from Snapshot.java.
import { assert, describe, listFixtureDir, readFixtureText, test } from "../../harness.ts";
import { LakeError } from "../../../src/errors.ts";
import { changelogFromSnapshot, decodeChangelog, encodeChangelog } from "../../../src/spec/changelog.ts";
import { decodeSnapshot, encodeSnapshot } from "../../../src/spec/snapshot.ts";

/** Snapshot.java FIELD_* values in declaration order (= Changelog's @JsonCreator order). */
const JAVA_FIELDS = [
  "version", "uuid", "id", "schemaId", "baseManifestList", "baseManifestListSize", "deltaManifestList",
  "deltaManifestListSize", "changelogManifestList", "changelogManifestListSize", "indexManifest", "commitUser",
  "writerVersion", "commitIdentifier", "commitKind", "timeMillis", "totalRecordCount", "deltaRecordCount",
  "changelogRecordCount", "watermark", "statistics", "properties", "nextRowId", "operation",
];

/** Every Java-written snapshot fixture: [path, text]. */
async function javaSnapshots(): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const db of await listFixtureDir("paimon/java-tables")) {
    if (!db.endsWith(".db")) continue;
    for (const table of await listFixtureDir(`paimon/java-tables/${db}`)) {
      let names: string[];
      try {
        names = await listFixtureDir(`paimon/java-tables/${db}/${table}/snapshot`);
      } catch {
        continue;
      }
      for (const name of names) {
        if (!/^snapshot-\d+$/.test(name)) continue;
        const path = `paimon/java-tables/${db}/${table}/snapshot/${name}`;
        out.push([path, await readFixtureText(path)]);
      }
    }
  }
  return out;
}

/** The fixture text without its null fields and `logOffsets`, commas fixed: what Java ≥1.4 writes. */
function withoutNullsAndLogOffsets(text: string): string {
  const lines = text.split("\n").filter((l) => !/^ {2}"\w+" : null,?$/.test(l) && !/^ {2}"logOffsets" : \{[^}]*\},?$/.test(l));
  const last = lines.length - 2; // the line before "}"
  lines[last] = lines[last]!.replace(/,$/, "");
  return lines.join("\n");
}

describe("changelog files", () => {
  test("Java fixtures: a changelog is the snapshot in Java's current layout, byte for byte", async () => {
    const fixtures = await javaSnapshots();
    assert.ok(fixtures.length >= 20, `${fixtures.length} fixtures`);
    let older = 0;
    for (const [path, text] of fixtures) {
      const snapshot = decodeSnapshot(text);
      const changelog = encodeChangelog(snapshot);
      assert.equal(changelog, withoutNullsAndLogOffsets(text), path);
      if (changelog !== text) older++;
      const keys = [...changelog.matchAll(/^ {2}"(\w+)" :/gm)].map((m) => m[1]!);
      const positions = keys.map((k) => JAVA_FIELDS.indexOf(k));
      assert.ok(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)), `${path}: keys ${keys.join(",")} in Java's order`);
      const back = decodeChangelog(changelog, { fileName: `changelog-${snapshot.id}` });
      assert.deepEqual(back, changelogFromSnapshot(snapshot), `${path}: round trip`);
      assert.equal(encodeChangelog(back), changelog);
    }
    assert.ok(older > 0, "some fixtures are older layouts, so the transform was exercised");
  });

  test("a current-layout snapshot is written unchanged", async () => {
    const [path, text] = (await javaSnapshots())[0]!;
    const current = encodeSnapshot(changelogFromSnapshot(decodeSnapshot(text)));
    assert.equal(encodeChangelog(decodeSnapshot(current)), current, path);
  });

  test("the file name must carry the id in the file", async () => {
    const [, text] = (await javaSnapshots())[0]!;
    const id = decodeSnapshot(text).id;
    assert.throws(() => decodeChangelog(text, { fileName: `changelog-${id + 1n}` }), (e: unknown) => e instanceof LakeError && e.code === "corruption");
    assert.throws(() => decodeChangelog(text, { fileName: `snapshot-${id}` }), (e: unknown) => e instanceof LakeError && e.code === "invalid_argument");
    assert.throws(() => decodeChangelog("{}", { fileName: "changelog-1" }), (e: unknown) => e instanceof LakeError && e.code === "corruption" && /changelog-1/.test(e.message));
  });
});
