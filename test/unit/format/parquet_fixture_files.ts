// Goal: find the Java-written Parquet data files of the fixture tables together with the
// manifest entry Java wrote for each and the schema it was written with.
// Method: list test/fixtures/paimon/java-tables recursively; read every snapshot's delta
// manifests through the table layer and keep the ADD entries, one per file name.
// Test helper only (not a test file); nothing in src/ depends on it.
import { fileURLToPath } from "node:url";
import { listFixtureDir } from "../../harness.ts";
import { NodeFsStore } from "../../../src/io/fs_node_store.ts";
import { FILE_KIND, type ManifestEntry } from "../../../src/spec/manifest_entry.ts";
import type { TableSchema } from "../../../src/spec/schema.ts";
import { snapshotEntries } from "../../../src/table/manifest_reader.ts";
import { readSchema } from "../../../src/table/schema_manager.ts";
import { readAllSnapshots } from "../../../src/table/snapshot_manager.ts";

/** Fixture-relative directory of the Java-written tables. */
export const JAVA_TABLES = "paimon/java-tables";

/** Every `.parquet` file under test/fixtures/<dir>, as fixture-relative paths. */
export async function fixtureParquetFiles(dir = JAVA_TABLES): Promise<string[]> {
  const out: string[] = [];
  for (const name of await listFixtureDir(dir)) {
    const path = `${dir}/${name}`;
    if (name.endsWith(".parquet")) out.push(path);
    else if (!/\.[a-z]+$/.test(name) || name.endsWith(".db")) {
      out.push(...await fixtureParquetFiles(path).catch((e: { code?: string }) => {
        if (e.code === "ENOTDIR") return [];
        throw e;
      }));
    }
  }
  return out;
}

/** One Java-written data file of a fixture table. */
export interface FixtureDataFile {
  /** Fixture-relative path of the Parquet file. */
  readonly path: string;
  readonly entry: ManifestEntry;
  /** The schema with the file's `_SCHEMA_ID`. */
  readonly schema: TableSchema;
  readonly primaryKey: boolean;
}

/** The data files of fixture table `table` (`<db>.db/<name>`) that some snapshot added. */
export async function fixtureDataFiles(table: string): Promise<FixtureDataFile[]> {
  const root = `${JAVA_TABLES}/${table}`;
  const store = new NodeFsStore(fileURLToPath(new URL(`../../fixtures/${root}`, import.meta.url)));
  const paths = new Map((await fixtureParquetFiles(root)).map((p) => [p.slice(p.lastIndexOf("/") + 1), p] as const));
  const byName = new Map<string, FixtureDataFile>();
  for (const snapshot of await readAllSnapshots(store)) {
    for (const entry of await snapshotEntries(store, snapshot, "delta")) {
      const path = paths.get(entry.file.fileName);
      if (entry.kind !== FILE_KIND.ADD || byName.has(entry.file.fileName) || path === undefined) continue;
      const schema = await readSchema(store, entry.file.schemaId);
      byName.set(entry.file.fileName, { path, entry, schema, primaryKey: schema.primaryKeys.length > 0 });
    }
  }
  return [...byName.values()];
}
