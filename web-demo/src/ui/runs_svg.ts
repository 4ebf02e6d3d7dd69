/**
 * The inspector's picture of an LSM table: per partition a band, per bucket a column, and in it
 * one bar per sorted run (every level-0 file is its own run, newest on top, orange; each higher
 * level is one run, blue, darker when deeper), bar width growing with the run's rows. New
 * commits pile up orange bars; a compaction replaces them by a longer blue one.
 * Invariants: pure function of the file list; the SVG carries data-files, data-runs and
 * data-level0 (for tests). Imports: demo_protocol.ts (types).
 */
import type { InspectorFile } from "../demo_protocol.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const BAR_HEIGHT = 6, BAR_GAP = 2, LABEL_WIDTH = 84, BAND_GAP = 8;

interface Run {
  readonly level: number;
  readonly files: readonly InspectorFile[];
  readonly records: number;
}

function runsOf(files: readonly InspectorFile[]): Run[] {
  const l0 = files.filter((f) => f.level === 0).sort((a, b) => b.maxSeq - a.maxSeq).map((f) => ({ level: 0, files: [f], records: f.records }));
  const levels = [...new Set(files.filter((f) => f.level > 0).map((f) => f.level))].sort((a, b) => a - b);
  return [...l0, ...levels.map((level) => {
    const fs = files.filter((f) => f.level === level);
    return { level, files: fs, records: fs.reduce((s, f) => s + f.records, 0) };
  })];
}

function node<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text = ""): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== "") e.textContent = text;
  return e;
}

function color(level: number): string {
  if (level === 0) return "#f0883e";
  const shade = Math.max(25, 70 - level * 8);
  return `hsl(214 80% ${shade}%)`;
}

/** The SVG picture of `files` (see the file header); `width` in CSS pixels. */
export function runsSvg(files: readonly InspectorFile[], width: number): SVGSVGElement {
  const partitions = [...new Set(files.map((f) => f.partition))].sort();
  const buckets = [...new Set(files.map((f) => f.bucket))].sort((a, b) => a - b);
  const cells = new Map<string, Run[]>();
  for (const p of partitions) for (const b of buckets) cells.set(`${p}\u0000${b}`, runsOf(files.filter((f) => f.partition === p && f.bucket === b)));
  const maxRuns = Math.max(1, ...[...cells.values()].map((r) => r.length));
  const maxRecords = Math.max(1, ...[...cells.values()].flat().map((r) => r.records));
  const colWidth = (width - LABEL_WIDTH) / Math.max(1, buckets.length);
  const bandHeight = maxRuns * (BAR_HEIGHT + BAR_GAP) + BAND_GAP;
  const height = 16 + Math.max(1, partitions.length) * bandHeight;
  const runCount = [...cells.values()].reduce((s, r) => s + r.length, 0);
  const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img" });
  svg.dataset.files = String(files.length);
  svg.dataset.runs = String(runCount);
  svg.dataset.level0 = String(files.filter((f) => f.level === 0).length);
  svg.appendChild(node("title", {}, `${files.length} data files in ${runCount} sorted runs`));
  buckets.forEach((b, i) => svg.appendChild(node("text", { x: LABEL_WIDTH + i * colWidth + 2, y: 11, "font-size": 9, fill: "#687086" }, `b${b}`)));
  if (files.length === 0) svg.appendChild(node("text", { x: 8, y: 28, "font-size": 12, fill: "#687086" }, "no data files yet"));
  partitions.forEach((p, pi) => {
    const y0 = 16 + pi * bandHeight;
    svg.appendChild(node("text", { x: 4, y: y0 + 9, "font-size": 10, fill: "#1d2330" }, p === "" ? "(unpartitioned)" : p));
    buckets.forEach((b, bi) => {
      const runs = cells.get(`${p}\u0000${b}`)!;
      runs.forEach((run, ri) => {
        const fraction = Math.log1p(run.records) / Math.log1p(maxRecords);
        const w = Math.max(3, fraction * (colWidth - 6));
        const rect = node("rect", { x: LABEL_WIDTH + bi * colWidth + 2, y: y0 + ri * (BAR_HEIGHT + BAR_GAP), width: w, height: BAR_HEIGHT, rx: 1.5, fill: color(run.level) });
        rect.appendChild(node("title", {}, `${p} bucket ${b} level ${run.level}: ${run.files.length} file(s), ${run.records} rows, ${run.files.reduce((s, f) => s + f.bytes, 0)} bytes, seq ${Math.min(...run.files.map((f) => f.minSeq))}..${Math.max(...run.files.map((f) => f.maxSeq))}`));
        svg.appendChild(rect);
      });
    });
  });
  return svg;
}
