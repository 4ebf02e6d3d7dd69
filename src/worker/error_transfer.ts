/**
 * Makes LakeErrors survive the worker boundary: comlink's built-in "throw" handler sends only
 * `message`, `name` and `stack`, so the page would get a plain Error without `code`. This wraps
 * that handler to carry `code` as well and to rebuild a LakeError (or CommitConflictError) on
 * the receiving side, so callers branch on `error.code` exactly as without a worker.
 *
 * SQL errors (SqlError, SqlStatementError) also keep their position fields (`line`, `column`,
 * `offset`, `statementNumber`, `statementCount`, `statementLine`) and their `name`; they arrive
 * as LakeErrors carrying those properties.
 *
 * Invariants: installed once per realm on both sides (engine_host.ts and client.ts call it);
 * non-LakeError values are handled by comlink's original handler unchanged.
 * Imports: comlink, errors.ts. Mirrors no Java class.
 */
import { transferHandlers, type TransferHandler } from "comlink";
import { CommitConflictError, ERROR_CODES, LakeError, type ErrorCode } from "../errors.ts";

let installed = false;

type Serialized = { isError: boolean; value: { message?: string; name?: string; stack?: string; code?: unknown; details?: unknown } | unknown };

/** Numeric position fields of SQL errors carried across. */
const DETAIL_KEYS = ["line", "column", "offset", "statementNumber", "statementCount", "statementLine"] as const;

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
      if (serialized.isError && error instanceof LakeError) {
        const value = serialized.value as { code?: unknown; details?: Record<string, number> };
        value.code = error.code;
        const details: Record<string, number> = {};
        for (const key of DETAIL_KEYS) {
          const v = (error as unknown as Record<string, unknown>)[key];
          if (typeof v === "number") details[key] = v;
        }
        if (Object.keys(details).length > 0) value.details = details;
      }
      return [serialized, transferables];
    },
    deserialize(serialized: Serialized): unknown {
      const value = serialized.value as { message?: string; name?: string; stack?: string; code?: unknown; details?: Record<string, number> } | null;
      if (serialized.isError && value !== null && (ERROR_CODES as readonly unknown[]).includes(value.code)) {
        const message = value.message ?? "";
        const error = value.name === "CommitConflictError" ? new CommitConflictError(message) : new LakeError(value.code as ErrorCode, message);
        if (value.details !== undefined) {
          for (const key of DETAIL_KEYS) if (typeof value.details[key] === "number") (error as unknown as Record<string, number>)[key] = value.details[key];
          if (value.name === "SqlError" || value.name === "SqlStatementError") error.name = value.name;
        }
        if (value.stack !== undefined) error.stack = `${value.stack}\n    (rethrown from the engine worker)`;
        throw error;
      }
      return original.deserialize(serialized);
    },
  });
}
