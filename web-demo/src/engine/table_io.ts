/**
 * Export and import of whole tables in the demo's warehouse, through the catalog's
 * `exportTable` (a ZIP of the table directory's files, paths relative to it, which Node's
 * `openTable(await ZipStore.open(bytes))` and Java Paimon read) and `importTable` (a ZIP or a
 * picked directory's files; the table root, the directory holding `schema/schema-N`, is found
 * and a top folder stripped). Imported tables go to database IMPORT_DATABASE under a name the
 * visitor gives (or the file or folder name).
 *
 * Invariants: a name is sanitised or refused before anything is written; an existing table is
 * never overwritten (the catalog's LakeError "conflict"); a corrupt archive is the ZIP reader's
 * LakeError("corruption"); a table that does not read is removed again (catalog.importTable).
 * Imports: lakestate (universal API). Mirrors no Java class.
 */
import { LakeError, type Catalog } from "../../../src/mod.ts";
import type { ZipEntry } from "../../../src/util/zip.ts";

/** Database of imported tables. */
export const IMPORT_DATABASE = "imported";
/** What an imported table may be named. */
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Turns a table name typed or derived from a file or folder name into a valid one (or throws). */
export function importNameOf(raw: string): string {
  const name = raw.replace(/\.zip$/i, "").replace(/[^A-Za-z0-9_]/g, "_").replace(/^([0-9])/, "_$1").slice(0, 64);
  if (!NAME_PATTERN.test(name)) throw new LakeError("invalid_argument", `demo import: ${JSON.stringify(raw)} gives no usable table name (letters, digits, _)`);
  return name;
}

/** Every file of table `identifier` as one ZIP archive. */
export function exportTableZip(catalog: Catalog, identifier: string): Promise<Uint8Array<ArrayBuffer>> {
  return catalog.exportTable(identifier);
}

/** Imports a ZIP archive or a picked directory's files as `imported.<name>`; returns its identifier. */
export async function importTable(catalog: Catalog, name: string, input: Uint8Array | readonly ZipEntry[]): Promise<string> {
  const identifier = `${IMPORT_DATABASE}.${importNameOf(name)}`;
  if (!(input instanceof Uint8Array) && input.length === 0) throw new LakeError("invalid_argument", "demo import: the picked directory holds no files");
  await catalog.importTable(identifier, input);
  return identifier;
}
