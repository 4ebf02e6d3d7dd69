/**
 * NodeFsStore: the ObjectStore contract on a local filesystem through `node:fs/promises` (Node,
 * and Deno's node compatibility). An object "a/b/c" is the file `<rootDir>/a/b/c`.
 *
 * How each write stays atomic:
 * - put: write the bytes to a temp file `.<name>.<random>.tmp` in the target's own directory
 *   (fsync it), then rename() it over the target. rename within one directory is atomic on
 *   POSIX filesystems, so readers open either the old inode or the new, complete one.
 * - putIfAbsent: write and fsync the temp file the same way, then link(tmp, target). link fails
 *   with EEXIST when the target exists, atomically, so exactly one of N racing callers wins; the
 *   target appears with its final bytes already in place. The temp name is then unlinked.
 *   Not `open(target, "wx")` + write: that creates the target empty and fills it afterwards, so a
 *   concurrent reader could see a partial file, and a crash mid-write would leave a truncated
 *   snapshot file that blocks that snapshot id forever while failing to parse.
 * - After a rename or link the directory is fsynced too (best-effort where the platform cannot),
 *   so a committed name survives a power loss. `syncWrites: false` skips every fsync (tests and
 *   benchmarks on throwaway data): atomic visibility stays, crash durability does not.
 *
 * Directories are real directories: makeDirectory is mkdir -p (parent fsynced), listDirectories
 * reads one directory, deleteDirectory is rm -r (what Java's `FileIO.delete(path, true)` does).
 *
 * Invariants: temp files are reserved names (store.ts), so list() never shows them and no user
 * object can collide with one. A crash can leave stale temp files behind; they are invisible and
 * only cost disk space (no cleanup is attempted here). Empty directories left by delete() are
 * never removed (removing them would race with a concurrent put into the same directory).
 * Limitations: needs hard links for putIfAbsent (LakeError("unsupported") otherwise); on
 * case-insensitive or normalizing filesystems (macOS defaults) names differing only in case or
 * normalization collide.
 *
 * Imports: node:fs/promises, L0 and io/store.ts. Mirrors Java Paimon `LocalFileIO` + `FileIO
 * .tryToWriteAtomic`, https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/fs/local/LocalFileIO.java
 */
import { link, lstat, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { LakeError } from "../errors.ts";
import { utf8Encode } from "../util/bytes.ts";
import {
  checkRangeInObject,
  comparePaths,
  isReservedName,
  isValidSegment,
  makeTempName,
  PATH_BYTES_MAX,
  quotePath,
  validateBytes,
  validatePath,
  validatePrefix,
  validateRange,
  type ByteRange,
  type ObjectEntry,
  type ObjectStat,
  type ObjectStore,
} from "./store.ts";

/** Options of a NodeFsStore. */
export type NodeFsStoreOptions = {
  /** fsync temp files before publishing and directories after (default true). */
  readonly syncWrites?: boolean;
};

/** Error codes meaning "the filesystem cannot make hard links". */
const LINK_UNSUPPORTED_CODES = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "ENOSYS", "EMLINK"]);

/** Error codes a directory fsync may give on platforms that do not support it. */
const DIRECTORY_SYNC_UNSUPPORTED_CODES = new Set(["EISDIR", "EINVAL", "EPERM", "EBADF", "ENOTSUP", "EACCES"]);

/** An ObjectStore over the directory `rootDir` (created on first write). */
export class NodeFsStore implements ObjectStore {
  /** The root directory, without a trailing separator. */
  readonly rootDir: string;
  readonly #syncWrites: boolean;

  /** Requires: `rootDir` is a non-empty directory path (absolute, or relative to the cwd). */
  constructor(rootDir: string, options: NodeFsStoreOptions = {}) {
    if (typeof rootDir !== "string" || rootDir === "") {
      throw new LakeError("invalid_argument", `fs store: rootDir must be a non-empty string, got ${JSON.stringify(rootDir)}`);
    }
    this.rootDir = rootDir.length > 1 ? rootDir.replace(/[\\/]+$/, "") : rootDir;
    this.#syncWrites = options.syncWrites ?? true;
  }

  /** See ObjectStore.get. */
  async get(path: string): Promise<Uint8Array<ArrayBuffer>> {
    validatePath(path);
    try {
      return ownedCopy(await readFile(this.#full(path)));
    } catch (error) {
      if (codeOf(error) === "ERR_FS_FILE_TOO_LARGE") {
        throw new LakeError("unsupported", `fs store: object ${quotePath(path)} is larger than Node can read at once (2 GiB)`, { cause: error });
      }
      throw wrapError("get", path, error);
    }
  }

  /** See ObjectStore.getRange. */
  async getRange(path: string, range: ByteRange): Promise<Uint8Array<ArrayBuffer>> {
    validatePath(path);
    validateRange(path, range);
    let handle;
    try {
      handle = await open(this.#full(path), "r");
    } catch (error) {
      throw wrapError("getRange", path, error);
    }
    try {
      // The size and the reads come from one open handle: a concurrent put replaces the
      // directory entry, not this inode, so they describe the same version.
      const info = await handle.stat();
      if (!info.isFile()) throw notFound(path);
      checkRangeInObject(path, range, info.size);
      const out = new Uint8Array(range.lengthBytes);
      let doneBytes = 0;
      while (doneBytes < out.length) {
        const { bytesRead } = await handle.read(out, doneBytes, out.length - doneBytes, range.offset + doneBytes);
        if (bytesRead === 0) throw new LakeError("io", `fs store: ${quotePath(path)} shrank while reading range at ${range.offset + doneBytes}`);
        doneBytes += bytesRead;
      }
      return out;
    } catch (error) {
      throw error instanceof LakeError ? error : wrapError("getRange", path, error);
    } finally {
      await handle.close();
    }
  }

  /** See ObjectStore.put. */
  async put(path: string, bytes: Uint8Array): Promise<void> {
    validatePath(path);
    validateBytes(path, bytes);
    const directory = await this.#makeParent(path);
    const temp = await this.#writeTemp(path, directory, bytes);
    try {
      await rename(temp, this.#full(path));
    } catch (error) {
      await unlinkBestEffort(temp);
      if (["EISDIR", "ENOTEMPTY", "EEXIST"].includes(codeOf(error) ?? "")) throw directoryCollision(path, error);
      throw wrapError("put", path, error);
    }
    await this.#syncDirectory(directory);
  }

  /** See ObjectStore.putIfAbsent. */
  async putIfAbsent(path: string, bytes: Uint8Array): Promise<boolean> {
    validatePath(path);
    validateBytes(path, bytes);
    const target = this.#full(path);
    const directory = await this.#makeParent(path);
    const temp = await this.#writeTemp(path, directory, bytes);
    let created = false;
    try {
      await link(temp, target);
      created = true;
    } catch (error) {
      const code = codeOf(error);
      if (code !== "EEXIST") {
        if (code !== undefined && LINK_UNSUPPORTED_CODES.has(code)) {
          throw new LakeError("unsupported", `fs store: putIfAbsent ${quotePath(path)} needs hard links, which this filesystem refused (${code})`, { cause: error });
        }
        throw wrapError("putIfAbsent", path, error);
      }
      if ((await lstat(target).catch(() => null))?.isDirectory()) throw directoryCollision(path, error);
    } finally {
      // Best-effort: the outcome is decided by link() above. A failed unlink only leaves a
      // hidden temp file behind; throwing here would report a commit that did happen as failed.
      await unlinkBestEffort(temp);
    }
    if (created) await this.#syncDirectory(directory);
    return created;
  }

  /** See ObjectStore.list. Symlinks and other non-regular entries are not objects and are skipped. */
  async list(prefix: string): Promise<ObjectEntry[]> {
    validatePrefix(prefix);
    const slash = prefix.lastIndexOf("/");
    const entries: ObjectEntry[] = [];
    await this.#walk(slash < 0 ? "" : prefix.slice(0, slash), prefix.slice(slash + 1), entries);
    return entries.sort((a, b) => comparePaths(a.path, b.path));
  }

  /** See ObjectStore.delete. */
  async delete(path: string): Promise<void> {
    validatePath(path);
    const full = this.#full(path);
    // Look first and only ever unlink files: unlink() of a directory fails differently per
    // platform (EISDIR, EPERM, ENOTEMPTY), and Deno's node:fs even removes an empty directory,
    // which could race with a concurrent put into it.
    let info;
    try {
      info = await lstat(full);
    } catch (error) {
      const code = codeOf(error);
      if (code === "ENOENT" || code === "ENOTDIR") return;
      throw wrapError("delete", path, error);
    }
    if (info.isDirectory()) return;
    try {
      await unlink(full);
    } catch (error) {
      if (codeOf(error) === "ENOENT") return; // Deleted concurrently: same outcome.
      throw wrapError("delete", path, error);
    }
  }

  /** See ObjectStore.stat. modifiedMs is the file's mtime, floored to integer ms. */
  async stat(path: string): Promise<ObjectStat | null> {
    validatePath(path);
    try {
      const info = await stat(this.#full(path));
      return info.isFile() ? { sizeBytes: info.size, modifiedMs: Math.floor(info.mtimeMs) } : null;
    } catch (error) {
      const code = codeOf(error);
      if (code === "ENOENT" || code === "ENOTDIR") return null;
      throw wrapError("stat", path, error);
    }
  }

  /** See ObjectStore.makeDirectory. */
  async makeDirectory(path: string): Promise<void> {
    validatePath(path);
    const full = this.#full(path);
    try {
      await mkdir(full, { recursive: true });
    } catch (error) {
      const code = codeOf(error);
      if (code === "ENOTDIR" || code === "EEXIST") {
        throw new LakeError("invalid_argument", `fs store: cannot create directory ${quotePath(path)}: it or one of its parents is an object`, { cause: error });
      }
      throw wrapError("makeDirectory", path, error);
    }
    const slash = path.lastIndexOf("/");
    await this.#syncDirectory(this.#full(slash < 0 ? "" : path.slice(0, slash)));
  }

  /** See ObjectStore.listDirectories. */
  async listDirectories(path: string): Promise<string[]> {
    if (path !== "") validatePath(path);
    let dirents;
    try {
      dirents = await readdir(this.#full(path), { withFileTypes: true });
    } catch (error) {
      const code = codeOf(error);
      if (code === "ENOENT" || code === "ENOTDIR") return [];
      throw wrapError("listDirectories", path, error);
    }
    return dirents.filter((d) => d.isDirectory() && isValidSegment(d.name)).map((d) => d.name).sort(comparePaths);
  }

  /** See ObjectStore.deleteDirectory. */
  async deleteDirectory(path: string): Promise<void> {
    validatePath(path);
    const full = this.#full(path);
    const info = await lstat(full).catch((error: unknown) => {
      const code = codeOf(error);
      if (code === "ENOENT" || code === "ENOTDIR") return null;
      throw wrapError("deleteDirectory", path, error);
    });
    if (info === null || !info.isDirectory()) return;
    try {
      await rm(full, { recursive: true, force: true });
    } catch (error) {
      throw wrapError("deleteDirectory", path, error);
    }
  }

  #full(relative: string): string {
    return relative === "" ? this.rootDir : `${this.rootDir}/${relative}`;
  }

  /** Creates the parent directory of `path`; returns its filesystem path. */
  async #makeParent(path: string): Promise<string> {
    const slash = path.lastIndexOf("/");
    const directory = this.#full(slash < 0 ? "" : path.slice(0, slash));
    try {
      await mkdir(directory, { recursive: true });
    } catch (error) {
      const code = codeOf(error);
      if (code === "ENOTDIR" || code === "EEXIST") {
        throw new LakeError("invalid_argument", `fs store: cannot write ${quotePath(path)}: one of its parents is an object (or the root is not a directory)`, { cause: error });
      }
      throw wrapError("put", path, error);
    }
    return directory;
  }

  /** Writes `bytes` to a fresh temp file in `directory` (fsynced if syncWrites); returns its path. */
  async #writeTemp(path: string, directory: string, bytes: Uint8Array): Promise<string> {
    const temp = `${directory}/${makeTempName(path.slice(path.lastIndexOf("/") + 1))}`;
    let handle;
    try {
      handle = await open(temp, "wx");
    } catch (error) {
      throw wrapError("put", path, error);
    }
    try {
      await handle.writeFile(bytes);
      if (this.#syncWrites) await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlinkBestEffort(temp);
      throw wrapError("put", path, error);
    }
    await handle.close();
    return temp;
  }

  /** fsyncs `directory` so a new name in it survives a crash; skipped when syncWrites is off. */
  async #syncDirectory(directory: string): Promise<void> {
    if (!this.#syncWrites) return;
    try {
      const handle = await open(directory, "r");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      // Best-effort on platforms without directory fsync (Windows, some network filesystems):
      // the write is already visible; only its durability across a power loss is weaker there.
      const code = codeOf(error);
      if (code === undefined || !DIRECTORY_SYNC_UNSUPPORTED_CODES.has(code)) throw wrapError("put", directory, error);
    }
  }

  /** Appends the objects under `directory` whose first-level name starts with `namePrefix`. */
  async #walk(directory: string, namePrefix: string, out: ObjectEntry[]): Promise<void> {
    let dirents;
    try {
      dirents = await readdir(this.#full(directory), { withFileTypes: true });
    } catch (error) {
      const code = codeOf(error);
      if (code === "ENOENT" || code === "ENOTDIR") return;
      throw wrapError("list", directory, error);
    }
    const pending: Promise<void>[] = [];
    for (const dirent of dirents) {
      const name = dirent.name;
      // Reserved temp names and names no valid path can hold (foreign files) are not objects.
      if (!name.startsWith(namePrefix) || !isValidSegment(name)) continue;
      const path = directory === "" ? name : `${directory}/${name}`;
      if (utf8Encode(path).length > PATH_BYTES_MAX) continue; // Too long to be an object; bounds recursion.
      if (dirent.isDirectory()) pending.push(this.#walk(path, "", out));
      else if (dirent.isFile()) pending.push(this.#statInto(path, out));
    }
    await Promise.all(pending);
  }

  async #statInto(path: string, out: ObjectEntry[]): Promise<void> {
    const info = await this.stat(path);
    if (info !== null) out.push({ path, sizeBytes: info.sizeBytes }); // null: deleted meanwhile.
  }
}

/** The error's Node `code` ("ENOENT", …), if any. */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function notFound(path: string, cause?: unknown): LakeError {
  return new LakeError("not_found", `fs store: no object at ${quotePath(path)}`, { cause });
}

function directoryCollision(path: string, cause: unknown): LakeError {
  return new LakeError("invalid_argument", `fs store: cannot write ${quotePath(path)}: it is a directory of other objects`, { cause });
}

/** Operations whose "no such file" answer means "no such object". */
const READ_OPERATIONS = new Set(["get", "getRange"]);

/**
 * Maps a filesystem error: for reads, a missing file (or a directory where an object was asked)
 * is not_found; everything else, and every write failure, is io with the error as cause.
 */
function wrapError(operation: string, path: string, error: unknown): LakeError {
  if (error instanceof LakeError) return error;
  const code = codeOf(error);
  if (READ_OPERATIONS.has(operation) && (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR")) return notFound(path, error);
  return new LakeError("io", `fs store: ${operation} ${quotePath(path)} failed: ${String((error as Error)?.message ?? error)}`, { cause: error });
}

async function unlinkBestEffort(file: string): Promise<void> {
  await unlink(file).catch(() => undefined);
}

/** A Uint8Array over its own exact ArrayBuffer (Node may return a Buffer over a shared pool). */
function ownedCopy(buffer: Uint8Array): Uint8Array<ArrayBuffer> {
  const backing = buffer.buffer;
  if (backing instanceof ArrayBuffer && buffer.byteOffset === 0 && buffer.byteLength === backing.byteLength) {
    return new Uint8Array(backing);
  }
  return new Uint8Array(buffer);
}
