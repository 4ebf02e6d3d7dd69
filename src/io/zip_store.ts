/**
 * Tables as ZIP archives: `ZipStore` is a read-only ObjectStore over an archive's bytes (open an
 * exported table without unpacking it), `exportStoreZip` packs every file of a table directory,
 * and `importZipToStore` unpacks an archive holding one Paimon table into an empty prefix.
 *
 * Invariants:
 *  - ZipStore answers get/getRange/list/stat exactly as the ObjectStore contract (io/store.ts)
 *    says, over the archive's file entries (optionally under `root`); every write is
 *    LakeError("unsupported", "zip store: read-only ..."). It holds the inflated entries in
 *    memory and never copies them out except into results the caller owns.
 *  - An export holds the table directory's files with paths relative to it, so the archive root
 *    is the table root (what Java Paimon or `openTable` reads after unzipping).
 *  - An import writes nothing over existing files: it refuses a prefix that holds any object,
 *    writes with putIfAbsent, writes data and manifests first and snapshot files then the
 *    EARLIEST/LATEST hints last (a reader never sees a snapshot whose files are missing), and on
 *    failure deletes what it wrote.
 * Imports: errors.ts, util/zip.ts, io/store.ts. Mirrors no Java class (Java reads table
 * directories; a zip is this project's portable form of one).
 */
import { LakeError } from "../errors.ts";
import { unzipEntries, zipEntries, type ZipEntry } from "../util/zip.ts";
import {
  checkRangeInObject, comparePaths, isReservedName, quotePath, validatePath, validatePrefix, validateRange,
  type ByteRange, type ObjectEntry, type ObjectStat, type ObjectStore,
} from "./store.ts";

/** Matches a table's schema file and captures the table root before it ("" or "dir/"). */
const SCHEMA_FILE = /^(.*?)schema\/schema-\d+$/;
/** Snapshot hints, written last (after every snapshot file). */
const HINT_NAMES = ["EARLIEST", "LATEST"] as const;

function readOnly(method: string, path: string): Promise<never> {
  return Promise.reject(new LakeError("unsupported", `zip store: read-only archive, cannot ${method} ${quotePath(path)}`));
}

/** Archive clutter that is never part of a table: macOS resource forks, Finder files, temp files. */
function isClutter(path: string): boolean {
  const segments = path.split("/");
  const last = segments[segments.length - 1]!;
  return segments.includes("__MACOSX") || last === ".DS_Store" || last === "Thumbs.db" || isReservedName(last);
}

/** A read-only ObjectStore over the file entries of a ZIP archive. */
export class ZipStore implements ObjectStore {
  readonly #objects: Map<string, Uint8Array>;
  readonly #sorted: readonly string[];
  readonly #modifiedMs: number;

  private constructor(objects: Map<string, Uint8Array>, modifiedMs: number) {
    this.#objects = objects;
    this.#sorted = [...objects.keys()].sort(comparePaths);
    this.#modifiedMs = modifiedMs;
  }

  /**
   * Reads the archive `zip` (util/zip.ts `unzipEntries`: stored or deflated entries) into a
   * store. With `opts.root` ("orders" or "a/orders") only the entries under that directory are
   * visible, with paths relative to it. Clutter (`__MACOSX/`, `.DS_Store`, temp names) is left out.
   * `modifiedMs` of every object is the time of this call.
   * Rejects: a damaged archive as unzipEntries does; an entry path that is not a valid store
   * path, or a file that is also a directory of another entry, with LakeError("corruption").
   */
  static async open(zip: Uint8Array, opts: { root?: string } = {}): Promise<ZipStore> {
    const root = (opts.root ?? "").replace(/\/+$/, "");
    if (root !== "") validatePath(root);
    const prefix = root === "" ? "" : `${root}/`;
    const objects = new Map<string, Uint8Array>();
    for (const entry of await unzipEntries(zip)) {
      if (!entry.path.startsWith(prefix) || isClutter(entry.path)) continue;
      const path = entry.path.slice(prefix.length);
      try {
        validatePath(path);
      } catch (error) {
        throw new LakeError("corruption", `zip store: entry ${quotePath(entry.path)} is not a valid object path`, { cause: error });
      }
      objects.set(path, entry.bytes);
    }
    for (const path of objects.keys()) {
      for (let slash = path.indexOf("/"); slash > 0; slash = path.indexOf("/", slash + 1)) {
        if (objects.has(path.slice(0, slash))) throw new LakeError("corruption", `zip store: entry ${quotePath(path.slice(0, slash))} is both a file and a directory`);
      }
    }
    return new ZipStore(objects, Date.now());
  }

  /**
   * The entries under directory `root` ("orders" or "a/orders") as a store of their own, paths
   * relative to it: what `open(zip, { root })` gives, from entries already inflated.
   */
  subtree(root: string): ZipStore {
    const dir = root.replace(/\/+$/, "");
    validatePath(dir);
    const prefix = `${dir}/`;
    const objects = new Map<string, Uint8Array>();
    for (const [path, bytes] of this.#objects) if (path.startsWith(prefix)) objects.set(path.slice(prefix.length), bytes);
    return new ZipStore(objects, this.#modifiedMs);
  }

  #bytesAt(path: string): Uint8Array {
    validatePath(path);
    const bytes = this.#objects.get(path);
    if (bytes === undefined) throw new LakeError("not_found", `zip store: no object at ${quotePath(path)}`);
    return bytes;
  }

  /** See ObjectStore.get. */
  async get(path: string): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(this.#bytesAt(path));
  }

  /** See ObjectStore.getRange. */
  async getRange(path: string, range: ByteRange): Promise<Uint8Array<ArrayBuffer>> {
    validatePath(path);
    validateRange(path, range);
    const bytes = this.#bytesAt(path);
    checkRangeInObject(path, range, bytes.length);
    return bytes.slice(range.offset, range.offset + range.lengthBytes);
  }

  /** See ObjectStore.list. */
  async list(prefix: string): Promise<ObjectEntry[]> {
    validatePrefix(prefix);
    return this.#sorted.filter((p) => p.startsWith(prefix)).map((path) => ({ path, sizeBytes: this.#objects.get(path)!.length }));
  }

  /** See ObjectStore.stat. */
  async stat(path: string): Promise<ObjectStat | null> {
    validatePath(path);
    const bytes = this.#objects.get(path);
    return bytes === undefined ? null : { sizeBytes: bytes.length, modifiedMs: this.#modifiedMs };
  }

  /** Read-only: LakeError("unsupported"). */
  put(path: string, _bytes: Uint8Array): Promise<void> { return readOnly("put", path); }
  /** Read-only: LakeError("unsupported"). */
  putIfAbsent(path: string, _bytes: Uint8Array): Promise<boolean> { return readOnly("putIfAbsent", path); }
  /** Read-only: LakeError("unsupported"). */
  delete(path: string): Promise<void> { return readOnly("delete", path); }
  /** Read-only: LakeError("unsupported"). */
  makeDirectory(path: string): Promise<void> { return readOnly("makeDirectory", path); }
  /** Read-only: LakeError("unsupported"). */
  deleteDirectory(path: string): Promise<void> { return readOnly("deleteDirectory", path); }
}

function normalizePrefix(prefix: string): string {
  const p = prefix.replace(/\/+$/, "");
  if (p !== "") validatePath(p);
  return p === "" ? "" : `${p}/`;
}

/**
 * A ZIP archive (stored entries) of every object under the directory `prefix` of `store` (""
 * for the whole store), paths relative to `prefix`, in listing order. For a table directory the
 * archive root is the table root. An empty directory gives an empty archive.
 */
export async function exportStoreZip(store: ObjectStore, prefix: string): Promise<Uint8Array<ArrayBuffer>> {
  const dir = normalizePrefix(prefix);
  const entries: ZipEntry[] = [];
  for (const { path } of await store.list(dir)) entries.push({ path: path.slice(dir.length), bytes: await store.get(path) });
  return zipEntries(entries);
}

/** Sort rank of a table file for writing: everything, then snapshot files by id, then hints. */
function writeRank(path: string): [number, bigint] {
  const segments = path.split("/");
  if (segments.length >= 2 && segments[segments.length - 2] === "snapshot") {
    const name = segments[segments.length - 1]!;
    const hint = (HINT_NAMES as readonly string[]).indexOf(name);
    if (hint >= 0) return [2 + hint, 0n];
    const id = /^snapshot-(\d+)$/.exec(name);
    if (id !== null) return [1, BigInt(id[1]!)];
  }
  return [0, 0n];
}

/**
 * The table root inside `paths` ("" or "dir/"): the directory holding `schema/schema-N`. Nested
 * tables (branches) belong to the outermost root. LakeError("invalid_argument") for none or several.
 */
export function findTableRoot(paths: readonly string[]): string {
  const roots = new Set<string>();
  for (const path of paths) {
    const m = SCHEMA_FILE.exec(path);
    if (m !== null && (m[1] === "" || m[1]!.endsWith("/"))) roots.add(m[1]!);
  }
  const outer = [...roots].filter((r) => ![...roots].some((o) => o !== r && r.startsWith(o)));
  if (outer.length === 0) {
    throw new LakeError("invalid_argument", `zip import: the archive holds no Paimon table (no schema/schema-N file among its ${paths.length} files)`);
  }
  if (outer.length > 1) {
    throw new LakeError("invalid_argument", `zip import: the archive holds several tables (${outer.map((r) => JSON.stringify(r.slice(0, -1))).join(", ")}); expected exactly one`);
  }
  return outer[0]!;
}

/**
 * Writes the Paimon table held by `zip` (archive bytes, or entries already unpacked) into the
 * directory `prefix` of `store`. The table root is the directory holding `schema/schema-N`
 * (so a single top folder such as `orders/` is stripped; files outside the root and archive
 * clutter are left out). Returns the number of files and bytes written.
 * Rejects with LakeError("invalid_argument") when the archive holds no table or several, when
 * `prefix` already holds an object (nothing is ever overwritten), or when a file path is not a
 * valid store path; with ("conflict") when a concurrent writer creates a file first. On any
 * failure after writing began, the files written by this call are deleted again.
 */
export async function importZipToStore(
  store: ObjectStore,
  prefix: string,
  zip: Uint8Array | readonly ZipEntry[],
): Promise<{ files: number; bytes: number }> {
  const dir = normalizePrefix(prefix);
  const entries = (zip instanceof Uint8Array ? await unzipEntries(zip) : zip).filter((e) => !e.path.endsWith("/") && !isClutter(e.path));
  const root = findTableRoot(entries.map((e) => e.path));
  const files = entries
    .filter((e) => e.path.startsWith(root))
    .map((e) => ({ path: `${dir}${e.path.slice(root.length)}`, bytes: e.bytes, rank: writeRank(e.path) }));
  for (const f of files) {
    try {
      validatePath(f.path);
    } catch (error) {
      throw new LakeError("invalid_argument", `zip import: archive file ${quotePath(f.path.slice(dir.length))} cannot be stored (${(error as Error).message})`, { cause: error });
    }
  }
  const existing = await store.list(dir);
  if (existing.length > 0) {
    throw new LakeError("invalid_argument", `zip import: ${quotePath(dir === "" ? "(store root)" : dir.slice(0, -1))} already holds ${existing.length} file(s) (for example ${quotePath(existing[0]!.path)}); import only into an empty location`);
  }
  files.sort((a, b) => a.rank[0] - b.rank[0] || (a.rank[1] < b.rank[1] ? -1 : a.rank[1] > b.rank[1] ? 1 : comparePaths(a.path, b.path)));
  const written: string[] = [];
  let bytes = 0;
  try {
    for (const f of files) {
      if (!(await store.putIfAbsent(f.path, f.bytes))) {
        throw new LakeError("conflict", `zip import: ${quotePath(f.path)} appeared while importing (a concurrent writer?); nothing was overwritten`);
      }
      written.push(f.path);
      bytes += f.bytes.length;
    }
  } catch (error) {
    for (const path of written.reverse()) await store.delete(path).catch(() => {});
    throw error;
  }
  return { files: files.length, bytes };
}

/**
 * A read-only store rooted at the Paimon table inside `zip` (the directory holding
 * `schema/schema-N`, so `zip -r orders.zip orders` and exports both open). LakeError("not_found")
 * when the archive holds no table, ("invalid_argument") when it holds several.
 */
export async function openZipTableStore(zip: Uint8Array): Promise<ZipStore> {
  const whole = await ZipStore.open(zip);
  let root: string;
  try {
    root = findTableRoot((await whole.list("")).map((e) => e.path));
  } catch (error) {
    if (error instanceof LakeError && /no Paimon table/.test(error.message)) {
      throw new LakeError("not_found", `zip store: the archive holds no Paimon table (no schema/schema-N file)`, { cause: error });
    }
    throw error;
  }
  return root === "" ? whole : whole.subtree(root);
}

/** True when a local path names a `.zip` archive (by its extension, any case). */
export function isZipPath(path: string): boolean {
  return /\.zip$/i.test(path);
}

/** A missing-file error of a store (LakeError "not_found") or of a runtime's file API (Node ENOENT, Deno NotFound). */
function isMissingFile(error: unknown): boolean {
  if (error instanceof LakeError) return error.code === "not_found";
  return (error as { code?: unknown } | null)?.code === "ENOENT" || (error instanceof Error && error.name === "NotFound");
}

/**
 * `openZipTableStore` over the archive at local `path`, read whole with `readFile` (the runtime
 * entries' and the CLI's file reader). Errors name the path: LakeError("not_found") for a missing
 * file or an archive without a table; other LakeErrors keep their code.
 */
export async function openZipTableFile(path: string, readFile: (path: string) => Promise<Uint8Array>): Promise<ZipStore> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (isMissingFile(error)) throw new LakeError("not_found", `${path}: no such file`, { cause: error });
    throw error;
  }
  try {
    return await openZipTableStore(bytes);
  } catch (error) {
    if (!(error instanceof LakeError)) throw error;
    if (error.code === "not_found") {
      throw new LakeError("not_found", `${path} is not a zip archive of a Paimon table (no Paimon table inside: no schema/schema-N file)`, { cause: error });
    }
    throw new LakeError(error.code, `${path}: ${error.message}`, { cause: error });
  }
}
