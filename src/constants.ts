/**
 * Hard limits of the engine, each with its unit in the name and a sentence on why.
 *
 * Contract: engine-wide limits only (per-module limits live beside their module as
 * UPPER_SNAKE constants). Persisted format numbers live in `spec/`, never here.
 * Imports: nothing.
 */

/** Largest metadata file (schema, snapshot, manifest, manifest list) we read whole into memory:
 * Java rolls manifests at 8 MB (`manifest.target-file-size`), so 256 MiB leaves wide headroom while
 * bounding what a corrupt size field can make us allocate. */
export const METADATA_FILE_BYTES_MAX = 256 * 1024 * 1024;

/** Most snapshots the CLI lists in one `inspect` output before summarising the rest. */
export const INSPECT_SNAPSHOT_ROWS_MAX = 50;

/** Most data files the CLI prints per snapshot before summarising the rest. */
export const INSPECT_FILE_ROWS_MAX = 200;
