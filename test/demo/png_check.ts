/**
 * A minimal PNG decoder for checking screenshots (Node only: node:zlib): 8-bit RGB/RGBA,
 * non-interlaced, as Chromium writes them. Gives the size and a content measure: distinct colours
 * among sampled pixels and the share of pixels that differ from the most common colour.
 * Imports: node:zlib.
 */
import { inflateSync } from "node:zlib";

/** What a screenshot holds. */
export interface PngContent {
  readonly width: number;
  readonly height: number;
  /** Distinct colours among the pixels (sampled on a grid of at most ~250k pixels). */
  readonly distinctColours: number;
  /** Share (0..1) of sampled pixels not of the most common colour. */
  readonly nonBackgroundShare: number;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes `png` and measures its content. Throws on anything but 8-bit RGB(A) non-interlaced PNG. */
export function pngContent(png: Uint8Array): PngContent {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!signature.every((b, i) => png[i] === b)) throw new Error("png: bad signature");
  let offset = 8, width = 0, height = 0, channels = 0;
  const idat: Uint8Array[] = [];
  while (offset < png.length) {
    const length = view.getUint32(offset), type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      const depth = data[8], colour = data[9], interlace = data[12];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error(`png: unsupported depth ${depth} colour ${colour} interlace ${interlace}`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? row[x - channels]! : 0, b = up[x]!, c = x >= channels ? up[x - channels]! : 0;
      const v = src[x]!;
      row[x] = (filter === 0 ? v : filter === 1 ? v + a : filter === 2 ? v + b : filter === 3 ? v + ((a + b) >> 1) : v + paeth(a, b, c)) & 255;
    }
  }
  const step = Math.max(1, Math.floor(Math.sqrt((width * height) / 250_000)));
  const counts = new Map<number, number>();
  let sampled = 0;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      const i = y * stride + x * channels;
      const key = (pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      sampled++;
    }
  }
  const top = Math.max(...counts.values());
  return { width, height, distinctColours: counts.size, nonBackgroundShare: 1 - top / sampled };
}
