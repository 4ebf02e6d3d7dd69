// Browser stand-in for `node:url` (aliased by tools/browser_tests.mjs): the bundler rewrites each
// test file's `import.meta.url` to its http URL on the test server, so fileURLToPath maps such a
// URL to its server path ("/test/fixtures/..."), which the `node:fs` shim reads over HTTP.
export function fileURLToPath(url) {
  const u = url instanceof URL ? url : new URL(String(url));
  return decodeURIComponent(u.pathname);
}
export function pathToFileURL(path) {
  return new URL(String(path).split("/").map(encodeURIComponent).join("/"), globalThis.location.origin);
}
const URLClass = globalThis.URL, URLSearchParamsClass = globalThis.URLSearchParams;
export { URLClass as URL, URLSearchParamsClass as URLSearchParams };
export default { fileURLToPath, pathToFileURL, URL: URLClass, URLSearchParams: URLSearchParamsClass };
