// Browser stand-in for `node:path` (POSIX semantics; aliased by tools/browser_tests.mjs). The
// browser "cwd" is "/", the repository root as the test server serves it.
export const sep = "/";
export const delimiter = ":";

export function normalize(p) {
  const absolute = p.startsWith("/");
  const out = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") { if (out.length > 0 && out[out.length - 1] !== "..") out.pop(); else if (!absolute) out.push(".."); continue; }
    out.push(part);
  }
  const text = (absolute ? "/" : "") + out.join("/");
  return text === "" ? "." : (p.endsWith("/") && text !== "/" ? `${text}/` : text);
}
export function join(...parts) {
  const joined = parts.filter((x) => x !== "").join("/");
  return joined === "" ? "." : normalize(joined);
}
export function resolve(...parts) {
  let path = "";
  for (let i = parts.length - 1; i >= 0 && !path.startsWith("/"); i--) path = parts[i] + (path ? `/${path}` : "");
  if (!path.startsWith("/")) path = `/${path}`;
  const n = normalize(path);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}
export function dirname(p) {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, "") : p;
  const i = trimmed.lastIndexOf("/");
  if (i < 0) return ".";
  return i === 0 ? "/" : trimmed.slice(0, i);
}
export function basename(p, ext) {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, "") : p;
  const base = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  return ext && base.endsWith(ext) && base !== ext ? base.slice(0, -ext.length) : base;
}
export function extname(p) {
  const base = basename(p);
  const i = base.lastIndexOf(".");
  return i <= 0 ? "" : base.slice(i);
}
export function relative(from, to) {
  const a = resolve(from).split("/").filter(Boolean), b = resolve(to).split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}
export function isAbsolute(p) { return p.startsWith("/"); }
export const posix = { sep, delimiter, normalize, join, resolve, dirname, basename, extname, relative, isAbsolute };
export default posix;
