/**
 * lakestate for Node: the universal API plus the Node filesystem store.
 *
 * `import { NodeFsStore } from "lakestate/node"`. The only entry Node users need.
 * Imports: mod.ts, io/fs_node_store.ts.
 */
export * from "./mod.ts";
export { NodeFsStore, type NodeFsStoreOptions } from "./io/fs_node_store.ts";
