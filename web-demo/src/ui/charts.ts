/**
 * The demo's small charts, drawn on canvases by hand: a sparkline of a live series and the
 * per-day bars (orders) with a line (GMV) of the metrics panel.
 * Invariants: drawing never throws on empty or constant series; scales start at 0.
 * Imports: demo_protocol.ts (types).
 */
import type { BuyerDay } from "../demo_protocol.ts";

/** A canvas's 2D context sized to its CSS box at the device pixel ratio. */
function context(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } {
  const ratio = globalThis.devicePixelRatio || 1;
  const w = canvas.clientWidth || canvas.width, h = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
  }
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

/** Draws `values` (oldest first) as a filled sparkline with the last value written top-left. */
export function drawSparkline(canvas: HTMLCanvasElement, values: readonly number[], color: string, unit = ""): void {
  const { ctx, w, h } = context(canvas);
  const max = Math.max(1e-9, ...values);
  const n = Math.max(2, values.length);
  const x = (i: number) => (i / (n - 1)) * (w - 4) + 2;
  const y = (v: number) => h - 4 - (v / max) * (h - 18);
  if (values.length > 0) {
    ctx.beginPath();
    ctx.moveTo(x(0), h - 4);
    values.forEach((v, i) => ctx.lineTo(x(i), y(v)));
    ctx.lineTo(x(values.length - 1), h - 4);
    ctx.closePath();
    ctx.fillStyle = `${color}33`;
    ctx.fill();
    ctx.beginPath();
    values.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i), y(v)) : ctx.lineTo(x(i), y(v))));
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  const last = values.at(-1) ?? 0;
  ctx.fillStyle = "#1d2330";
  ctx.font = "600 12px system-ui, sans-serif";
  ctx.fillText(`${last >= 100 ? Math.round(last).toLocaleString("en-US") : last.toFixed(1)}${unit}  (max ${max >= 100 ? Math.round(max) : max.toFixed(1)})`, 6, 13);
}

/** Draws per-day orders (bars) and GMV (line with dots), days oldest first. */
export function drawDays(canvas: HTMLCanvasElement, days: readonly BuyerDay[]): void {
  const { ctx, w, h } = context(canvas);
  if (days.length === 0) {
    ctx.fillStyle = "#687086";
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillText("no orders yet for this buyer", 10, h / 2);
    return;
  }
  const top = 16, bottom = h - 18;
  const maxOrders = Math.max(1, ...days.map((d) => d.orders));
  const maxGmv = Math.max(1, ...days.map((d) => d.gmv));
  const slot = (w - 20) / days.length;
  ctx.font = "10px system-ui, sans-serif";
  days.forEach((d, i) => {
    const bh = (d.orders / maxOrders) * (bottom - top);
    ctx.fillStyle = "#1f6feb99";
    ctx.fillRect(10 + i * slot + slot * 0.15, bottom - bh, slot * 0.7, bh);
    ctx.fillStyle = "#1d2330";
    ctx.fillText(String(d.orders), 10 + i * slot + slot * 0.2, bottom - bh - 2);
    ctx.fillStyle = "#687086";
    ctx.fillText(d.ds.slice(4), 10 + i * slot + slot * 0.2, h - 5);
  });
  ctx.beginPath();
  days.forEach((d, i) => {
    const px = 10 + (i + 0.5) * slot, py = bottom - (d.gmv / maxGmv) * (bottom - top);
    if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
  });
  ctx.strokeStyle = "#18794e";
  ctx.lineWidth = 2;
  ctx.stroke();
  days.forEach((d, i) => {
    const px = 10 + (i + 0.5) * slot, py = bottom - (d.gmv / maxGmv) * (bottom - top);
    ctx.fillStyle = "#18794e";
    ctx.beginPath();
    ctx.arc(px, py, 3, 0, Math.PI * 2);
    ctx.fill();
  });
  ctx.fillStyle = "#18794e";
  ctx.font = "600 11px system-ui, sans-serif";
  ctx.fillText(`GMV max ${maxGmv.toLocaleString("en-US", { maximumFractionDigits: 2 })}`, w - 140, 12);
}
