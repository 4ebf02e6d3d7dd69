// Browser stand-in for `node:test` (aliased by tools/browser_tests.mjs when bundling test files
// for Chromium): `test` and `describe` (with `it`/`suite` aliases, `{ skip, todo, only }`
// options and `.skip`/`.todo` forms) register a tree while the test file is imported; the runner
// page then calls `globalThis.__lakestateTestShim.run()`, which runs every test in order, one
// at a time like node --test does inside one file, and returns one result per leaf test.
// Honesty: a test fails when its function throws or rejects (any assertion error included), when
// it does not settle within TEST_TIMEOUT_MS, or when the describe callback that declares it
// throws. Skipped and todo tests are reported as skipped, never as passed.

const TEST_TIMEOUT_MS = 300_000;

/** A suite node: { kind: "suite", name, children, skip, error } ; a test node: { kind: "test", name, fn, skip, todo }. */
const root = { kind: "suite", name: "", children: [], skip: null, error: null };
let current = root;

function parseArgs(args) {
  let name = "<anonymous>", options = {}, fn;
  for (const a of args) {
    if (typeof a === "string") name = a;
    else if (typeof a === "function") fn = a;
    else if (a !== null && typeof a === "object") options = a;
  }
  if (name === "<anonymous>" && fn?.name) name = fn.name;
  return { name, options, fn };
}

function skipReason(options) {
  if (options.skip === true) return "skipped";
  if (typeof options.skip === "string" && options.skip !== "") return options.skip;
  return null;
}

function addTest(extra, args) {
  const { name, options, fn } = parseArgs(args);
  const node = { kind: "test", name, fn, skip: extra.skip ?? skipReason(options), todo: extra.todo ?? (options.todo ? String(options.todo) : null), timeoutMs: options.timeout ?? TEST_TIMEOUT_MS };
  if (fn === undefined && node.skip === null) node.todo ??= "no test function";
  current.children.push(node);
  return Promise.resolve();
}

function addSuite(extra, args) {
  const { name, options, fn } = parseArgs(args);
  const node = { kind: "suite", name, children: [], skip: extra.skip ?? skipReason(options), error: null };
  current.children.push(node);
  const parent = current;
  current = node;
  try {
    const out = fn?.();
    if (out && typeof out.then === "function") {
      // Async describe bodies: node collects what they register before running; so do we,
      // as long as they register synchronously (the common case) or settle before run().
      node.pending = out.then(() => undefined, (error) => { node.error = error; });
    }
  } catch (error) {
    node.error = error;
  } finally {
    current = parent;
  }
  return Promise.resolve();
}

export function test(...args) { return addTest({}, args); }
test.skip = (...args) => addTest({ skip: "skipped" }, args);
test.todo = (...args) => addTest({ todo: "todo" }, args);
test.only = (...args) => addTest({}, args);
export function describe(...args) { return addSuite({}, args); }
describe.skip = (...args) => addSuite({ skip: "skipped" }, args);
describe.todo = (...args) => addSuite({ skip: "todo" }, args);
describe.only = (...args) => addSuite({}, args);
export const it = test;
export const suite = describe;
export function before() { throw new Error("browser node:test shim: before() hooks are not supported"); }
export function after() { throw new Error("browser node:test shim: after() hooks are not supported"); }
export function beforeEach() { throw new Error("browser node:test shim: beforeEach() hooks are not supported"); }
export function afterEach() { throw new Error("browser node:test shim: afterEach() hooks are not supported"); }
export default test;

function errorText(error) {
  if (error instanceof Error) return error.stack && error.stack.includes(error.message) ? error.stack : `${error.name}: ${error.message}\n${error.stack ?? ""}`;
  return `non-Error thrown: ${String(error)}`;
}

function withTimeout(promise, ms, name) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`test "${name}" did not finish within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runNode(node, path, inheritedSkip, results) {
  if (node.kind === "suite") {
    if (node.pending) await node.pending;
    const here = node === root ? path : [...path, node.name];
    if (node.error !== null) {
      results.push({ name: [...here, "<describe callback>"].join(" > "), status: "fail", error: errorText(node.error), durationMs: 0 });
    }
    for (const child of node.children) await runNode(child, here, inheritedSkip ?? node.skip, results);
    return;
  }
  const name = [...path, node.name].join(" > ");
  const skip = inheritedSkip ?? node.skip;
  if (skip !== null || node.todo !== null) {
    results.push({ name, status: "skip", reason: skip ?? node.todo, durationMs: 0 });
    return;
  }
  const diagnostics = [];
  const context = {
    name: node.name,
    signal: new AbortController().signal,
    diagnostic: (message) => diagnostics.push(String(message)),
    skip: () => { throw new Error("browser node:test shim: t.skip() is not supported"); },
    test: () => { throw new Error("browser node:test shim: subtests (t.test) are not supported"); },
  };
  const start = performance.now();
  try {
    await withTimeout(Promise.resolve().then(() => node.fn(context)), node.timeoutMs, node.name);
    results.push({ name, status: "pass", durationMs: performance.now() - start, diagnostics });
  } catch (error) {
    results.push({ name, status: "fail", error: errorText(error), durationMs: performance.now() - start, diagnostics });
  }
}

/** Runs every registered test once; resolves with [{ name, status: "pass"|"fail"|"skip", error?, reason?, durationMs }]. */
async function run() {
  const results = [];
  await runNode(root, [], null, results);
  return results;
}

globalThis.__lakestateTestShim = { run };
