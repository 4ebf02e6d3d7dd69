/**
 * The delete step shared by snapshot and changelog expiration: deletes a list of files with a
 * bounded number of deletes in flight and reports failures after every delete settled.
 *
 * Mirrors the `executeAll(..., fileIO::deleteQuietly)` of Java `FileDeletionBase`, except that a
 * failed delete is not quiet: the step throws LakeError("io") once all its deletes settled, so
 * the caller stops before deleting the metadata file (snapshot or changelog) that names the
 * files, and a retry re-plans the same range (nothing leaks).
 * https://github.com/apache/paimon/blob/master/paimon-core/src/main/java/org/apache/paimon/operation/FileDeletionBase.java
 *
 * Invariants: deleting an absent file succeeds (ObjectStore.delete is idempotent).
 * Imports: errors.ts, io/store.ts types.
 */
import { LakeError } from "../errors.ts";
import type { ObjectStore } from "../io/store.ts";

/**
 * Deletes `paths` with at most `concurrency` deletes in flight; returns how many succeeded.
 * `noun` starts the error message, `what` names the kind of file. Requires: concurrency >= 1.
 * Throws LakeError("io") after every delete of the step settled when any failed.
 */
export async function deleteStep(store: ObjectStore, noun: string, what: string, paths: readonly string[], concurrency: number): Promise<number> {
  let next = 0, ok = 0;
  const failures: { path: string; error: unknown }[] = [];
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++]!;
      try {
        await store.delete(path);
        ok++;
      } catch (error) {
        failures.push({ path, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  if (failures.length > 0) {
    const first = failures[0]!;
    if (!(first.error instanceof LakeError)) throw first.error;
    throw new LakeError("io", `${noun}: ${failures.length} of ${paths.length} ${what} deletes failed (first: ${first.path}: ${first.error.message}); stopped before deleting snapshot or changelog files, the next expire call finishes the job`, { cause: first.error });
  }
  return ok;
}
