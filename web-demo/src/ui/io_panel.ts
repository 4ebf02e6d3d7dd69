/**
 * The export / import / SQL panel: download a table as a ZIP (built in the worker), import a
 * ZIP file or a picked directory (`webkitdirectory`) as `imported.<name>`, run SQL over the
 * demo catalog and show the results. Every failure goes to `onError` (the page's error box).
 * Records the last export/import/SQL outcome in `window.__demo` (for tests).
 * Imports: comlink (Remote type), dom.ts, the worker's type, protocol types.
 */
import type { Remote } from "comlink";
import type { DemoHost } from "../demo_worker.ts";
import type { ImportEntry, SqlView } from "../demo_protocol.ts";
import { byId, el, fillTable } from "./dom.ts";

/** What the panel records for tests. */
export interface IoRecord {
  lastExport: { table: string; bytes: number } | null;
  lastImport: { table: string } | null;
  lastSql: SqlView[] | null;
}

function download(bytes: Uint8Array<ArrayBuffer>, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/zip" }));
  const a = el("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function fileBytes(file: File): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await file.arrayBuffer());
}

/** Wires the panel; `tablesChanged(select)` refreshes table pickers after an import. */
export function setupIo(demo: Remote<DemoHost>, record: IoRecord, onError: (error: unknown) => void, tablesChanged: (select: string) => Promise<void>): void {
  const exportPicker = byId<HTMLSelectElement>("export-table");
  byId("export-button").addEventListener("click", async () => {
    const table = exportPicker.value;
    try {
      const zip = await demo.demoExport(table);
      download(zip, `${table.replace(/[^A-Za-z0-9_.-]/g, "_")}.zip`);
      record.lastExport = { table, bytes: zip.length };
      byId("export-result").textContent = `${table}: ${zip.length.toLocaleString("en-US")} bytes`;
    } catch (error) {
      onError(error);
    }
  });

  const importResult = byId("import-result");
  const nameFor = (fallback: string): string => byId<HTMLInputElement>("import-name").value.trim() || fallback;
  const finishImport = async (run: () => Promise<string>): Promise<void> => {
    importResult.textContent = "importing…";
    try {
      const table = await run();
      record.lastImport = { table };
      importResult.textContent = `imported ${table}`;
      await tablesChanged(table);
      byId<HTMLTextAreaElement>("sql-text").value = `SELECT * FROM ${table.split(".").map((p) => `\`${p}\``).join(".")}`;
    } catch (error) {
      importResult.textContent = "import failed";
      onError(error);
    }
  };
  const zipInput = byId<HTMLInputElement>("import-zip");
  zipInput.addEventListener("change", () => {
    const file = zipInput.files?.[0];
    if (file === undefined) return;
    void finishImport(async () => demo.demoImport(nameFor(file.name), await fileBytes(file)));
    zipInput.value = "";
  });
  const dirInput = byId<HTMLInputElement>("import-dir");
  dirInput.addEventListener("change", () => {
    const files = [...(dirInput.files ?? [])];
    if (files.length === 0) return;
    const top = (files[0]!.webkitRelativePath || files[0]!.name).split("/")[0]!;
    void finishImport(async () => {
      const entries: ImportEntry[] = [];
      for (const f of files) entries.push({ path: f.webkitRelativePath || f.name, bytes: await fileBytes(f) });
      return demo.demoImport(nameFor(top), entries);
    });
    dirInput.value = "";
  });

  const out = byId("sql-result");
  byId("sql-run").addEventListener("click", async () => {
    out.replaceChildren(el("p", "note", "running…"));
    try {
      const results = await demo.demoSql(byId<HTMLTextAreaElement>("sql-text").value);
      record.lastSql = results;
      out.replaceChildren();
      for (const r of results) {
        out.appendChild(el("p", "note", `${r.message}${r.kind === "rows" && r.rowCount > r.rows.length ? ` (first ${r.rows.length} shown)` : ""}${r.warnings.length ? ` · ${r.warnings.join("; ")}` : ""}`));
        if (r.kind === "rows") {
          const table = el("table", "grid");
          table.dataset.rowCount = String(r.rowCount);
          fillTable(table, r.columns, r.rows);
          out.appendChild(table);
        }
      }
    } catch (error) {
      out.replaceChildren();
      onError(error);
    }
  });
}
