/**
 * The table inspector panel: a table picker, the sorted-runs picture (runs_svg.ts), schema,
 * options, snapshots and manifests. Refreshes itself every INSPECT_EVERY_MS while "live" is
 * checked. Imports: comlink (Remote type), dom.ts, runs_svg.ts, the worker's type, protocol types.
 */
import type { Remote } from "comlink";
import type { DemoHost } from "../demo_worker.ts";
import type { InspectorData } from "../demo_protocol.ts";
import { byId, fillTable, utcText } from "./dom.ts";
import { runsSvg } from "./runs_svg.ts";

const INSPECT_EVERY_MS = 2_000;

/** Wires the inspector; `onError` shows failures. Returns a function that refreshes the table list (and selects `select`). */
export function setupInspector(demo: Remote<DemoHost>, onError: (error: unknown) => void): (select?: string) => Promise<void> {
  const picker = byId<HTMLSelectElement>("inspect-table");
  let busy = false;
  const render = (data: InspectorData): void => {
    const box = byId("inspector-runs");
    box.replaceChildren(runsSvg(data.files, Math.max(300, box.clientWidth || 600)));
    box.dataset.table = data.table;
    fillTable(byId<HTMLTableElement>("inspect-schema"), ["column", "type", "key"],
      data.fields.map((f) => [f.name, f.type, [data.primaryKeys.includes(f.name) ? "PK" : "", data.partitionKeys.includes(f.name) ? "partition" : ""].filter(Boolean).join(", ")]));
    fillTable(byId<HTMLTableElement>("inspect-options"), ["option", "value"], Object.entries(data.options).sort());
    byId("inspect-snapshot-count").textContent = `(${data.snapshotCount} kept, newest ${data.snapshots.length} shown)`;
    fillTable(byId<HTMLTableElement>("inspect-snapshots"), ["id", "kind", "user / identifier", "time (UTC)", "rows", "Δ", "changelog"],
      [...data.snapshots].reverse().map((s) => [s.id, s.kind, `${s.commitUser} / ${s.identifier}`, utcText(s.timeMs), s.totalRecords ?? "", s.deltaRecords ?? "", s.changelogRecords ?? ""]), [0, 4, 5, 6]);
    fillTable(byId<HTMLTableElement>("inspect-manifests"), ["manifest", "+files", "-files", "bytes", "partitions"],
      data.manifests.map((m) => [m.fileName.slice(0, 17) + "…", m.addedFiles, m.deletedFiles, m.bytes, m.partitions]), [1, 2, 3]);
  };
  const refresh = async (): Promise<void> => {
    if (busy || picker.value === "") return;
    busy = true;
    try {
      render(await demo.demoInspect(picker.value));
    } catch (error) {
      onError(error);
    } finally {
      busy = false;
    }
  };
  picker.addEventListener("change", () => void refresh());
  byId("inspect-refresh").addEventListener("click", () => void refresh());
  setInterval(() => {
    if (byId<HTMLInputElement>("inspect-auto").checked && document.visibilityState === "visible") void refresh();
  }, INSPECT_EVERY_MS);
  return async (select?: string): Promise<void> => {
    const tables = await demo.demoTables();
    const current = select ?? picker.value;
    for (const target of [picker, byId<HTMLSelectElement>("export-table")]) {
      const keep = target === picker ? current : target.value;
      target.replaceChildren(...tables.map((t) => new Option(t, t)));
      if (tables.includes(keep)) target.value = keep;
    }
    await refresh();
  };
}
