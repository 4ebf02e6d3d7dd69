/**
 * lakestate for Deno: the universal API plus the Deno filesystem store.
 *
 * `import { DenoFsStore } from "lakestate/deno"` (or this file by path).
 * Imports: mod.ts, io/fs_deno_store.ts.
 */
export * from "./mod.ts";
export { DenoFsStore, type DenoFsStoreOptions } from "./io/fs_deno_store.ts";
