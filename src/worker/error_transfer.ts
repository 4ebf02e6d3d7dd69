/**
 * Makes LakeErrors survive the worker boundary: comlink's built-in "throw" handler sends only
 * `message`, `name` and `stack`, so the page would get a plain Error without `code`. This wraps
 * that handler to carry `code` as well and to rebuild a LakeError (or CommitConflictError) on
 * the receiving side, so callers branch on `error.code` exactly as without a worker.
 *
 * Invariants: installed once per realm on both sides (engine_host.ts and client.ts call it);
 * non-LakeError values are handled by comlink's original handler unchanged.
 * Imports: comlink, errors.ts. Mirrors no Java class.
 */
import { transferHandlers, type TransferHandler } from "comlink";
import { CommitConflictError, ERROR_CODES, LakeError, type ErrorCode } from "../errors.ts";

let installed = false;

type Serialized = { isError: boolean; value: { message?: string; name?: string; stack?: string; code?: unknown } | unknown };

/** Installs the LakeError-aware "throw" transfer handler (idempotent). */
export function installErrorTransfer(): void {
  if (installed) return;
  const original = transferHandlers.get("throw") as TransferHandler<unknown, Serialized> | undefined;
  if (original === undefined) throw new Error("comlink: no built-in \"throw\" transfer handler to extend");
  installed = true;
  transferHandlers.set("throw", {
    canHandle: (value: unknown): value is unknown => original.canHandle(value),
    serialize(thrown: unknown): [Serialized, Transferable[]] {
      const [serialized, transferables] = original.serialize(thrown);
      const error = (thrown as { value?: unknown }).value;
      if (serialized.isError && error instanceof LakeError) (serialized.value as { code?: unknown }).code = error.code;
      return [serialized, transferables];
    },
    deserialize(serialized: Serialized): unknown {
      const value = serialized.value as { message?: string; name?: string; stack?: string; code?: unknown } | null;
      if (serialized.isError && value !== null && (ERROR_CODES as readonly unknown[]).includes(value.code)) {
        const message = value.message ?? "";
        const error = value.name === "CommitConflictError" ? new CommitConflictError(message) : new LakeError(value.code as ErrorCode, message);
        if (value.stack !== undefined) error.stack = `${value.stack}\n    (rethrown from the engine worker)`;
        throw error;
      }
      return original.deserialize(serialized);
    },
  });
}
