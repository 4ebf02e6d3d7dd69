/**
 * DenoFsStore: the ObjectStore contract on a local filesystem through Deno's own file APIs
 * (`Deno.open`, `Deno.link`, `Deno.rename`, `Deno.readDir`, …). An object "a/b/c" is the file
 * `<rootDir>/a/b/c`; the on-disk layout is identical to NodeFsStore's, so both can share a
 * directory.
 *
 * Atomicity is built exactly as in fs_node_store.ts (read its header for the why):
 * put = temp file `.<name>.<random>.tmp` in the same directory, fsync, rename over the target;
 * putIfAbsent = temp file, fsync, link(temp, target) (AlreadyExists => false), remove temp.
 * A `wx`-style create-then-write would expose, and after a crash leave, a partial file.
 * Directories are fsynced after a rename/link (best-effort where unsupported). `syncWrites:
 * false` skips every fsync: still atomic, no longer crash-durable.
 *
 * Directories as in fs_node_store.ts: makeDirectory = mkdir -p, listDirectories reads one
 * directory, deleteDirectory = recursive remove.
 *
 * Invariants: temp files are reserved names, never listed; stale ones after a crash only cost
 * space. Empty directories are never removed (except by deleteDirectory). Needs hard links for
 * putIfAbsent.
 *
 * Type-checking: the project's tsc has Node typings only, so Deno is reached through
 * `globalThis` and the small structural `DenoFs` below, which lists exactly what this file
 * calls. Nothing touches Deno at import time: importing this file under Node is safe, and the
 * constructor throws LakeError("unsupported") there.
 *
 * Imports: L0 and io/store.ts. Mirrors Java Paimon `LocalFileIO`,
 * https://github.com/apache/paimon/blob/master/paimon-common/src/main/java/org/apache/paimon/fs/local/LocalFileIO.java
 */
import { LakeError } from "../errors.ts";
import { utf8Encode } from "../util/bytes.ts";
import {
  checkRangeInObject,
  comparePaths,
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

/** The subset of `Deno.FileInfo` this file reads. */
type DenoFileInfo = { readonly size: number; readonly mtime: Date | null; readonly isFile: boolean; readonly isDirectory: boolean };

/** The subset of `Deno.FsFile` this file calls. `seek` whence 0 is `Deno.SeekMode.Start`. */
type DenoFsFile = {
  read(buffer: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
  seek(offset: number, whence: 0): Promise<number>;
  stat(): Promise<DenoFileInfo>;
  sync(): Promise<void>;
  close(): void;
};

type ErrorClass = abstract new (...args: never[]) => Error;

/** Exactly the part of the `Deno` namespace this file uses (checked by tsc without Deno types). */
type DenoFs = {
  readFile(path: string): Promise<Uint8Array>;
  open(path: string, options: { read?: boolean; write?: boolean; createNew?: boolean }): Promise<DenoFsFile>;
  mkdir(path: string, options: { recursive: boolean }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, created: string): Promise<void>;
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  stat(path: string): Promise<DenoFileInfo>;
  lstat(path: string): Promise<DenoFileInfo>;
  readDir(path: string): AsyncIterable<{ readonly name: string; readonly isFile: boolean; readonly isDirectory: boolean }>;
  readonly errors: {
    readonly NotFound: ErrorClass;
    readonly AlreadyExists: ErrorClass;
    readonly IsADirectory: ErrorClass;
    readonly NotADirectory: ErrorClass;
    readonly NotSupported: ErrorClass;
  };
};

/** Options of a DenoFsStore. */
export type DenoFsStoreOptions = {
  /** fsync temp files before publishing and directories after (default true). */
  readonly syncWrites?: boolean;
};

/** Normalized error kinds; "refused" = not permitted or not supported (for link: no hard links). */
type ErrorKind = "not_found" | "exists" | "is_directory" | "not_directory" | "not_empty" | "refused" | "other";

/** An ObjectStore over the directory `rootDir` (created on first write), using Deno APIs. */
export class DenoFsStore implements ObjectStore {
  /** The root directory, without a trailing separator. */
  readonly rootDir: string;
  readonly #deno: DenoFs;
  readonly #syncWrites: boolean;

  /**
   * Requires: running under Deno (else LakeError("unsupported")); `rootDir` is a non-empty
   * directory path. Permissions: --allow-read and --allow-write on rootDir.
   */
  constructor(rootDir: string, options: DenoFsStoreOptions = {}) {
    const deno = (globalThis as unknown as { Deno?: DenoFs }).Deno;
    if (deno === undefined) throw new LakeError("unsupported", "deno fs store: the Deno global is absent; use NodeFsStore outside Deno");
    if (typeof rootDir !== "string" || rootDir === "") {
      throw new LakeError("invalid_argument", `deno fs store: rootDir must be a non-empty string, got ${JSON.stringify(rootDir)}`);
    }
    this.#deno = deno;
    this.rootDir = rootDir.length > 1 ? rootDir.replace(/[\\/]+$/, "") : rootDir;
    this.#syncWrites = options.syncWrites ?? true;
  }

  /** See ObjectStore.get. */
  async get(path: string): Promise<Uint8Array<ArrayBuffer>> {
    validatePath(path);
    try {
      const bytes = await this.#deno.readFile(this.#full(path));
      // Deno returns a fresh array; copy only if it is not backed by a plain exact ArrayBuffer.
      const backing = bytes.buffer;
      return backing instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === backing.byteLength ? new Uint8Array(backing) : new Uint8Array(bytes);
    } catch (error) {
      throw this.#wrap("get", path, error);
    }
  }

  /** See ObjectStore.getRange. */
  async getRange(path: string, range: ByteRange): Promise<Uint8Array<ArrayBuffer>> {
    validatePath(path);
    validateRange(path, range);
    let file: DenoFsFile;
    try {
      file = await this.#deno.open(this.#full(path), { read: true });
    } catch (error) {
      throw this.#wrap("getRange", path, error);
    }
    try {
      // Size and reads come from one open handle, i.e. one version of the object.
      const info = await file.stat();
      if (!info.isFile) throw notFound(path);
      checkRangeInObject(path, range, info.size);
      const out = new Uint8Array(range.lengthBytes);
      if (out.length === 0) return out;
      await file.seek(range.offset, 0);
      let doneBytes = 0;
      while (doneBytes < out.length) {
        const readBytes = await file.read(out.subarray(doneBytes));
        if (readBytes === null || readBytes === 0) throw new LakeError("io", `deno fs store: ${quotePath(path)} shrank while reading range at ${range.offset + doneBytes}`);
        doneBytes += readBytes;
      }
      return out;
    } catch (error) {
      throw this.#wrap("getRange", path, error);
    } finally {
      file.close();
    }
  }

  /** See ObjectStore.put. */
  async put(path: string, bytes: Uint8Array): Promise<void> {
    validatePath(path);
    validateBytes(path, bytes);
    const directory = await this.#makeParent(path);
    const temp = await this.#writeTemp(path, directory, bytes);
    try {
      await this.#deno.rename(temp, this.#full(path));
    } catch (error) {
      await this.#removeBestEffort(temp);
      const kind = this.#kind(error);
      if (kind === "is_directory" || kind === "not_empty" || kind === "exists") throw directoryCollision(path, error);
      throw this.#wrap("put", path, error);
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
      await this.#deno.link(temp, target);
      created = true;
    } catch (error) {
      const kind = this.#kind(error);
      if (kind === "refused") {
        throw new LakeError("unsupported", `deno fs store: putIfAbsent ${quotePath(path)} needs hard links, which this filesystem refused`, { cause: error });
      }
      if (kind !== "exists") throw this.#wrap("putIfAbsent", path, error);
      if ((await this.#deno.lstat(target).catch(() => null))?.isDirectory) throw directoryCollision(path, error);
    } finally {
      // Best-effort: link() above decided the outcome; a failed remove leaves a hidden temp
      // file, and throwing would report a commit that did happen as failed.
      await this.#removeBestEffort(temp);
    }
    if (created) await this.#syncDirectory(directory);
    return created;
  }

  /** See ObjectStore.list. Symlinks and other non-regular entries are skipped. */
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
    // Deno.remove would also delete an empty directory, which could race with a concurrent put
    // into it; so look first and only ever remove files.
    const info = await this.#deno.lstat(full).catch((error: unknown) => {
      const kind = this.#kind(error);
      if (kind === "not_found" || kind === "not_directory") return null;
      throw this.#wrap("delete", path, error);
    });
    if (info === null || info.isDirectory) return;
    try {
      await this.#deno.remove(full);
    } catch (error) {
      if (this.#kind(error) === "not_found") return; // Deleted concurrently: same outcome.
      throw this.#wrap("delete", path, error);
    }
  }

  /** See ObjectStore.stat. modifiedMs is the file's mtime in integer ms (0 if unavailable). */
  async stat(path: string): Promise<ObjectStat | null> {
    validatePath(path);
    try {
      const info = await this.#deno.stat(this.#full(path));
      return info.isFile ? { sizeBytes: info.size, modifiedMs: Math.floor(info.mtime?.getTime() ?? 0) } : null;
    } catch (error) {
      const kind = this.#kind(error);
      if (kind === "not_found" || kind === "not_directory") return null;
      throw this.#wrap("stat", path, error);
    }
  }

  /** See ObjectStore.makeDirectory. */
  async makeDirectory(path: string): Promise<void> {
    validatePath(path);
    try {
      await this.#deno.mkdir(this.#full(path), { recursive: true });
    } catch (error) {
      const kind = this.#kind(error);
      if (kind === "not_directory" || kind === "exists") {
        throw new LakeError("invalid_argument", `deno fs store: cannot create directory ${quotePath(path)}: it or one of its parents is an object`, { cause: error });
      }
      throw this.#wrap("makeDirectory", path, error);
    }
    const slash = path.lastIndexOf("/");
    await this.#syncDirectory(this.#full(slash < 0 ? "" : path.slice(0, slash)));
  }

  /** See ObjectStore.listDirectories. */
  async listDirectories(path: string): Promise<string[]> {
    if (path !== "") validatePath(path);
    const names: string[] = [];
    try {
      for await (const entry of this.#deno.readDir(this.#full(path))) {
        if (entry.isDirectory && isValidSegment(entry.name)) names.push(entry.name);
      }
    } catch (error) {
      const kind = this.#kind(error);
      if (kind === "not_found" || kind === "not_directory") return [];
      throw this.#wrap("listDirectories", path, error);
    }
    return names.sort(comparePaths);
  }

  /** See ObjectStore.deleteDirectory. */
  async deleteDirectory(path: string): Promise<void> {
    validatePath(path);
    const full = this.#full(path);
    const info = await this.#deno.lstat(full).catch((error: unknown) => {
      const kind = this.#kind(error);
      if (kind === "not_found" || kind === "not_directory") return null;
      throw this.#wrap("deleteDirectory", path, error);
    });
    if (info === null || !info.isDirectory) return;
    try {
      await this.#deno.remove(full, { recursive: true });
    } catch (error) {
      if (this.#kind(error) === "not_found") return;
      throw this.#wrap("deleteDirectory", path, error);
    }
  }

  #full(relative: string): string {
    return relative === "" ? this.rootDir : `${this.rootDir}/${relative}`;
  }

  async #makeParent(path: string): Promise<string> {
    const slash = path.lastIndexOf("/");
    const directory = this.#full(slash < 0 ? "" : path.slice(0, slash));
    try {
      await this.#deno.mkdir(directory, { recursive: true });
    } catch (error) {
      const kind = this.#kind(error);
      if (kind === "not_directory" || kind === "exists") {
        throw new LakeError("invalid_argument", `deno fs store: cannot write ${quotePath(path)}: one of its parents is an object (or the root is not a directory)`, { cause: error });
      }
      throw this.#wrap("put", path, error);
    }
    return directory;
  }

  async #writeTemp(path: string, directory: string, bytes: Uint8Array): Promise<string> {
    const temp = `${directory}/${makeTempName(path.slice(path.lastIndexOf("/") + 1))}`;
    let file: DenoFsFile;
    try {
      file = await this.#deno.open(temp, { write: true, createNew: true });
    } catch (error) {
      throw this.#wrap("put", path, error);
    }
    try {
      let doneBytes = 0;
      while (doneBytes < bytes.length) doneBytes += await file.write(bytes.subarray(doneBytes));
      if (this.#syncWrites) await file.sync();
    } catch (error) {
      file.close();
      await this.#removeBestEffort(temp);
      throw this.#wrap("put", path, error);
    }
    file.close();
    return temp;
  }

  async #syncDirectory(directory: string): Promise<void> {
    if (!this.#syncWrites) return;
    try {
      const file = await this.#deno.open(directory, { read: true });
      try {
        await file.sync();
      } finally {
        file.close();
      }
    } catch (error) {
      // Best-effort on platforms without directory fsync (Windows, some network filesystems):
      // the write is visible already; only durability across power loss is weaker there.
      const code = codeOf(error);
      if (!["EISDIR", "EINVAL", "EPERM", "EBADF", "ENOTSUP", "EACCES"].includes(code ?? "") && this.#kind(error) !== "is_directory") {
        throw this.#wrap("put", directory, error);
      }
    }
  }

  async #walk(directory: string, namePrefix: string, out: ObjectEntry[]): Promise<void> {
    const names: { name: string; isFile: boolean; isDirectory: boolean }[] = [];
    try {
      for await (const entry of this.#deno.readDir(this.#full(directory))) names.push(entry);
    } catch (error) {
      const kind = this.#kind(error);
      if (kind === "not_found" || kind === "not_directory") return;
      throw this.#wrap("list", directory, error);
    }
    const pending: Promise<void>[] = [];
    for (const entry of names) {
      // Reserved temp names and names no valid path can hold (foreign files) are not objects.
      if (!entry.name.startsWith(namePrefix) || !isValidSegment(entry.name)) continue;
      const path = directory === "" ? entry.name : `${directory}/${entry.name}`;
      if (utf8Encode(path).length > PATH_BYTES_MAX) continue; // Too long to be an object; bounds recursion.
      if (entry.isDirectory) pending.push(this.#walk(path, "", out));
      else if (entry.isFile) pending.push(this.stat(path).then((info) => void (info !== null && out.push({ path, sizeBytes: info.sizeBytes }))));
    }
    await Promise.all(pending);
  }

  async #removeBestEffort(file: string): Promise<void> {
    await this.#deno.remove(file).catch(() => undefined);
  }

  /** Classifies a Deno error by class, falling back to its `code` string. */
  #kind(error: unknown): ErrorKind {
    const errors = this.#deno.errors;
    const code = codeOf(error);
    if (error instanceof errors.NotFound || code === "ENOENT") return "not_found";
    if (error instanceof errors.AlreadyExists || code === "EEXIST") return "exists";
    if (error instanceof errors.IsADirectory || code === "EISDIR") return "is_directory";
    if (error instanceof errors.NotADirectory || code === "ENOTDIR") return "not_directory";
    if (code === "ENOTEMPTY") return "not_empty";
    if (error instanceof errors.NotSupported || ["EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "ENOSYS", "EMLINK"].includes(code ?? "")) return "refused";
    return "other";
  }

  /** For reads a missing file (or a directory) is not_found; everything else is io. */
  #wrap(operation: string, path: string, error: unknown): LakeError {
    if (error instanceof LakeError) return error;
    const kind = this.#kind(error);
    if ((operation === "get" || operation === "getRange") && (kind === "not_found" || kind === "not_directory" || kind === "is_directory")) {
      return notFound(path, error);
    }
    return new LakeError("io", `deno fs store: ${operation} ${quotePath(path)} failed: ${String((error as Error)?.message ?? error)}`, { cause: error });
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function notFound(path: string, cause?: unknown): LakeError {
  return new LakeError("not_found", `deno fs store: no object at ${quotePath(path)}`, { cause });
}

function directoryCollision(path: string, cause: unknown): LakeError {
  return new LakeError("invalid_argument", `deno fs store: cannot write ${quotePath(path)}: it is a directory of other objects`, { cause });
}
