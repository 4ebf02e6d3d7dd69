// Browser stand-in for the READ-ONLY part of `node:fs` and `node:fs/promises` (aliased by
// tools/browser_tests.mjs when bundling test files for Chromium). Files are read over HTTP from
// the test server, which serves the repository root read-only: a path "/test/fixtures/x" (what
// the `node:url` shim's fileURLToPath gives for a served URL), a relative path (from the
// repository root, the cwd of the Node runs) or an http URL all name the same file. Directory
// listings and stats come from the server's `/__fs/list` and `/__fs/stat` endpoints.
// Every function that would write (writeFile, mkdir, mkdtemp, rm, ...) throws: tests that need
// a writable filesystem are excluded from the Chromium run by name, with their reason.

function serverPath(target) {
  const text = target instanceof URL ? target.href : String(target);
  if (/^[a-z]+:\/\//i.test(text)) return decodeURIComponent(new URL(text).pathname);
  if (text.startsWith("file:")) throw fsError("EINVAL", `file: URLs are not served in the browser: ${text}`);
  return text.startsWith("/") ? text : `/${text.replace(/^\.\//, "")}`;
}

function fsError(code, message) {
  const error = new Error(`${code}: ${message}`);
  error.code = code;
  return error;
}

function encodePath(p) {
  return p.split("/").map(encodeURIComponent).join("/");
}

function decodeAs(bytes, options) {
  const encoding = typeof options === "string" ? options : options?.encoding;
  return encoding ? new TextDecoder().decode(bytes) : bytes;
}

async function fetchBytes(p) {
  const response = await fetch(encodePath(p));
  if (response.status === 404) throw fsError("ENOENT", `no such file, open '${p}'`);
  if (!response.ok) throw fsError("EIO", `HTTP ${response.status} reading '${p}'`);
  return new Uint8Array(await response.arrayBuffer());
}

function syncRequest(url) {
  const xhr = new XMLHttpRequest();
  xhr.open("GET", url, false);
  xhr.overrideMimeType("text/plain; charset=x-user-defined");
  xhr.send();
  return xhr;
}

function fetchBytesSync(p) {
  const xhr = syncRequest(encodePath(p));
  if (xhr.status === 404) throw fsError("ENOENT", `no such file, open '${p}'`);
  if (xhr.status !== 200) throw fsError("EIO", `HTTP ${xhr.status} reading '${p}'`);
  const text = xhr.responseText;
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function dirent(entry, parentPath) {
  return { name: entry.name, parentPath, path: parentPath, isDirectory: () => entry.kind === "dir", isFile: () => entry.kind === "file", isSymbolicLink: () => false };
}

function statObject(info) {
  return { size: info.size, mtimeMs: info.mtimeMs, mtime: new Date(info.mtimeMs), isDirectory: () => info.kind === "dir", isFile: () => info.kind === "file", isSymbolicLink: () => false };
}

function listing(p, text, status, options) {
  if (status === 404) throw fsError("ENOENT", `no such file or directory, scandir '${p}'`);
  if (status === 400) throw fsError("ENOTDIR", `not a directory, scandir '${p}'`);
  if (status !== 200) throw fsError("EIO", `HTTP ${status} listing '${p}'`);
  const entries = JSON.parse(text);
  return options?.withFileTypes ? entries.map((e) => dirent(e, p.replace(/\/+$/, ""))) : entries.map((e) => e.name);
}

function statResult(p, text, status) {
  if (status === 404) throw fsError("ENOENT", `no such file or directory, stat '${p}'`);
  if (status !== 200) throw fsError("EIO", `HTTP ${status} stat '${p}'`);
  return statObject(JSON.parse(text));
}

export async function readFile(target, options) {
  return decodeAs(await fetchBytes(serverPath(target)), options);
}
export async function readdir(target, options) {
  const p = serverPath(target);
  const response = await fetch(`/__fs/list?path=${encodeURIComponent(p)}`);
  const top = listing(p, await response.text(), response.status, { withFileTypes: true });
  if (!options?.recursive) return options?.withFileTypes ? top : top.map((d) => d.name);
  // Recursive, as Node 20: entries of subdirectories follow, names relative to `target`
  // (Dirents carry their own parentPath).
  const out = [];
  const walk = async (dirents, relative) => {
    for (const d of dirents) {
      out.push(options.withFileTypes ? d : relative === "" ? d.name : `${relative}/${d.name}`);
      if (d.isDirectory()) {
        const sub = `${d.parentPath}/${d.name}`;
        const r = await fetch(`/__fs/list?path=${encodeURIComponent(sub)}`);
        await walk(listing(sub, await r.text(), r.status, { withFileTypes: true }), relative === "" ? d.name : `${relative}/${d.name}`);
      }
    }
  };
  await walk(top, "");
  return out;
}
export async function stat(target) {
  const p = serverPath(target);
  const response = await fetch(`/__fs/stat?path=${encodeURIComponent(p)}`);
  return statResult(p, await response.text(), response.status);
}
export const lstat = stat;
export async function access(target) { await stat(target); }

export function readFileSync(target, options) {
  return decodeAs(fetchBytesSync(serverPath(target)), options);
}
export function readdirSync(target, options) {
  const p = serverPath(target);
  const xhr = syncRequest(`/__fs/list?path=${encodeURIComponent(p)}`);
  return listing(p, xhr.responseText, xhr.status, options);
}
export function statSync(target) {
  const p = serverPath(target);
  const xhr = syncRequest(`/__fs/stat?path=${encodeURIComponent(p)}`);
  return statResult(p, xhr.responseText, xhr.status);
}
export const lstatSync = statSync;
export function existsSync(target) {
  try { statSync(target); return true; } catch { return false; }
}

function readOnly(name) {
  return () => { throw fsError("EROFS", `browser fs shim: ${name} is not available (the test server is read-only; such tests are excluded from the Chromium run)`); };
}
export const writeFile = readOnly("writeFile"), mkdir = readOnly("mkdir"), mkdtemp = readOnly("mkdtemp"), rm = readOnly("rm"),
  rename = readOnly("rename"), unlink = readOnly("unlink"), link = readOnly("link"), open = readOnly("open"), copyFile = readOnly("copyFile"),
  writeFileSync = readOnly("writeFileSync"), mkdirSync = readOnly("mkdirSync"), mkdtempSync = readOnly("mkdtempSync"), rmSync = readOnly("rmSync"),
  cp = readOnly("cp"), appendFile = readOnly("appendFile");

export const promises = { readFile, readdir, stat, lstat, access, writeFile, mkdir, mkdtemp, rm, rename, unlink, link, open, copyFile, cp, appendFile };
export default { ...promises, promises, readFileSync, readdirSync, statSync, lstatSync, existsSync, writeFileSync, mkdirSync, mkdtempSync, rmSync };
