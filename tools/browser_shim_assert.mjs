// Browser stand-in for `node:assert/strict` (aliased by tools/browser_tests.mjs for Chromium
// bundles of the test files). Same semantics as Node's strict mode for what the suite uses:
// equal/strictEqual use Object.is; deepEqual/deepStrictEqual compare prototypes, own enumerable
// keys (strings and symbols), Maps, Sets, Dates, RegExps, boxed primitives, Errors (name and
// message too), ArrayBuffers and typed arrays (same constructor, same bytes), with cycle
// tracking; throws/rejects accept a RegExp (tested against String(error)), a class, a validation
// function (must return true), an object of expected properties, or an Error. Every failure
// throws AssertionError, so a failing assertion fails its test.

export class AssertionError extends Error {
  constructor(options) {
    super(options.message);
    this.name = "AssertionError";
    this.code = "ERR_ASSERTION";
    this.actual = options.actual;
    this.expected = options.expected;
    this.operator = options.operator;
    this.generatedMessage = options.generated ?? false;
  }
}

function inspect(value, depth = 0) {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "symbol" || typeof value === "function") return String(value);
  if (value === null || typeof value !== "object") return Object.is(value, -0) ? "-0" : String(value);
  if (depth > 3) return "[…]";
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return `${value.constructor.name}(${value.length}) [${Array.from(value.slice(0, 32), (x) => inspect(x)).join(", ")}${value.length > 32 ? ", …" : ""}]`;
  if (value instanceof Map) return `Map(${value.size}) {${[...value].slice(0, 20).map(([k, v]) => `${inspect(k, depth + 1)} => ${inspect(v, depth + 1)}`).join(", ")}}`;
  if (value instanceof Set) return `Set(${value.size}) {${[...value].slice(0, 20).map((v) => inspect(v, depth + 1)).join(", ")}}`;
  if (value instanceof Date) return `Date(${value.toISOString?.() ?? value.getTime()})`;
  if (Array.isArray(value)) return `[${value.slice(0, 50).map((v) => inspect(v, depth + 1)).join(", ")}${value.length > 50 ? ", …" : ""}]`;
  const keys = Object.keys(value);
  return `{${keys.slice(0, 30).map((k) => `${k}: ${inspect(value[k], depth + 1)}`).join(", ")}${keys.length > 30 ? ", …" : ""}}`;
}

function raise(message, actual, expected, operator, generated) {
  if (message instanceof Error) throw message;
  throw new AssertionError({ message: message ?? generated, actual, expected, operator, generated: message === undefined });
}

function ownKeys(o) {
  return [...Object.keys(o), ...Object.getOwnPropertySymbols(o).filter((s) => Object.prototype.propertyIsEnumerable.call(o, s))];
}

function bytesOf(view) {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Node's isDeepStrictEqual, for the value kinds listed in the header. */
export function isDeepStrictEqual(a, b, memo = new Map()) {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tag = Object.prototype.toString.call(a);
  if (tag !== Object.prototype.toString.call(b)) return false;
  let seen = memo.get(a);
  if (seen?.has(b)) return true;
  if (seen === undefined) memo.set(a, seen = new Set());
  seen.add(b);
  if (a instanceof Date) { if (!Object.is(a.getTime(), b.getTime())) return false; }
  else if (a instanceof RegExp) { if (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false; }
  else if (a instanceof Error) { if (a.name !== b.name || a.message !== b.message) return false; }
  else if (a instanceof Number || a instanceof String || a instanceof Boolean || a instanceof BigInt || a instanceof Symbol) { if (!Object.is(a.valueOf(), b.valueOf())) return false; }
  if (ArrayBuffer.isView(a)) {
    if (!sameBytes(bytesOf(a), bytesOf(b))) return false;
    const keysA = ownKeys(a).filter((k) => typeof k === "symbol" || !/^\d+$/.test(k)), keysB = ownKeys(b).filter((k) => typeof k === "symbol" || !/^\d+$/.test(k));
    return keysA.length === keysB.length && keysA.every((k) => Object.prototype.hasOwnProperty.call(b, k) && isDeepStrictEqual(a[k], b[k], memo));
  }
  if (a instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && a instanceof SharedArrayBuffer)) {
    return sameBytes(new Uint8Array(a), new Uint8Array(b));
  }
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    const unmatched = [];
    for (const [k, v] of a) {
      if (k !== null && typeof k === "object") { unmatched.push([k, v]); continue; }
      if (!b.has(k) || !isDeepStrictEqual(v, b.get(k), memo)) return false;
    }
    if (unmatched.length > 0) {
      const candidates = [...b].filter(([k]) => k !== null && typeof k === "object");
      for (const [k, v] of unmatched) {
        const i = candidates.findIndex(([k2, v2]) => isDeepStrictEqual(k, k2, memo) && isDeepStrictEqual(v, v2, memo));
        if (i < 0) return false;
        candidates.splice(i, 1);
      }
    }
  } else if (a instanceof Set) {
    if (a.size !== b.size) return false;
    const unmatched = [];
    for (const v of a) {
      if (v !== null && typeof v === "object") unmatched.push(v);
      else if (!b.has(v)) return false;
    }
    if (unmatched.length > 0) {
      const candidates = [...b].filter((v) => v !== null && typeof v === "object");
      for (const v of unmatched) {
        const i = candidates.findIndex((v2) => isDeepStrictEqual(v, v2, memo));
        if (i < 0) return false;
        candidates.splice(i, 1);
      }
    }
  }
  if (Array.isArray(a) && a.length !== b.length) return false;
  const keysA = ownKeys(a), keysB = ownKeys(b);
  if (keysA.length !== keysB.length) return false;
  for (const k of keysA) {
    if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false;
    if (!isDeepStrictEqual(a[k], b[k], memo)) return false;
  }
  return true;
}

function assert(value, message) { ok(value, message); }

export function ok(value, message) {
  if (!value) raise(message, value, true, "==", `The expression evaluated to a falsy value: ${inspect(value)}`);
}
export function equal(actual, expected, message) {
  if (!Object.is(actual, expected)) raise(message, actual, expected, "strictEqual", `Expected values to be strictly equal:\n  actual:   ${inspect(actual)}\n  expected: ${inspect(expected)}`);
}
export function notEqual(actual, expected, message) {
  if (Object.is(actual, expected)) raise(message, actual, expected, "notStrictEqual", `Expected "actual" to be strictly unequal to: ${inspect(expected)}`);
}
export function deepEqual(actual, expected, message) {
  if (!isDeepStrictEqual(actual, expected)) raise(message, actual, expected, "deepStrictEqual", `Expected values to be strictly deep-equal:\n  actual:   ${inspect(actual)}\n  expected: ${inspect(expected)}`);
}
export function notDeepEqual(actual, expected, message) {
  if (isDeepStrictEqual(actual, expected)) raise(message, actual, expected, "notDeepStrictEqual", `Expected "actual" not to be strictly deep-equal to: ${inspect(expected)}`);
}
export function fail(message = "Failed") {
  raise(message, undefined, undefined, "fail", "Failed");
}
export function match(string, regexp, message) {
  if (typeof string !== "string" || !regexp.test(string)) raise(message, string, regexp, "match", `The input did not match the regular expression ${regexp}. Input: ${inspect(string)}`);
}
export function doesNotMatch(string, regexp, message) {
  if (typeof string !== "string" || regexp.test(string)) raise(message, string, regexp, "doesNotMatch", `The input was expected to not match the regular expression ${regexp}. Input: ${inspect(string)}`);
}

/** Checks a thrown `error` against `expected` as Node's assert.throws does. */
function checkError(error, expected, message, operator) {
  if (expected === undefined) return;
  if (expected instanceof RegExp) {
    if (!expected.test(String(error))) raise(message, error, expected, operator, `The error did not match ${expected}: ${inspect(error)}`);
    return;
  }
  if (typeof expected === "function") {
    if (expected.prototype !== undefined && error instanceof expected) return;
    if (Error.isPrototypeOf(expected) || expected === Error) raise(message, error, expected, operator, `The error is expected to be an instance of "${expected.name}". Received ${inspect(error)}`);
    const verdict = expected.call({}, error);
    if (verdict !== true) raise(message, error, expected, operator, `The validation function is expected to return "true". Received ${inspect(verdict)}; error: ${inspect(error)}`);
    return;
  }
  if (typeof expected === "object" && expected !== null) {
    const keys = expected instanceof Error ? ["name", "message", ...Object.keys(expected)] : Object.keys(expected);
    for (const key of keys) {
      const want = expected[key], got = error?.[key];
      if (want instanceof RegExp && typeof got === "string") {
        if (!want.test(got)) raise(message, error, expected, operator, `The error's ${key} ${inspect(got)} does not match ${want}`);
      } else if (!isDeepStrictEqual(got, want)) {
        raise(message, error, expected, operator, `The error's ${key} differs:\n  actual:   ${inspect(got)}\n  expected: ${inspect(want)}`);
      }
    }
    return;
  }
  throw new TypeError(`assert: bad "expected" argument ${inspect(expected)}`);
}

const NOTHING = Symbol("nothing thrown");

export function throws(fn, expected, message) {
  if (typeof expected === "string") { message = expected; expected = undefined; }
  let error = NOTHING;
  try { fn(); } catch (e) { error = e; }
  if (error === NOTHING) raise(message, undefined, expected, "throws", "Missing expected exception.");
  checkError(error, expected, message, "throws");
}
export function doesNotThrow(fn, message) {
  try { fn(); } catch (e) { raise(typeof message === "string" ? message : undefined, e, undefined, "doesNotThrow", `Got unwanted exception: ${inspect(e)}`); }
}
export async function rejects(promiseOrFn, expected, message) {
  if (typeof expected === "string") { message = expected; expected = undefined; }
  let error = NOTHING;
  try { await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn); } catch (e) { error = e; }
  if (error === NOTHING) raise(message, undefined, expected, "rejects", "Missing expected rejection.");
  checkError(error, expected, message, "rejects");
}
export async function doesNotReject(promiseOrFn, message) {
  try { await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn); } catch (e) { raise(typeof message === "string" ? message : undefined, e, undefined, "doesNotReject", `Got unwanted rejection: ${inspect(e)}`); }
}

Object.assign(assert, {
  AssertionError, ok, equal, strictEqual: equal, notEqual, notStrictEqual: notEqual, deepEqual, deepStrictEqual: deepEqual,
  notDeepEqual, notDeepStrictEqual: notDeepEqual, fail, match, doesNotMatch, throws, doesNotThrow, rejects, doesNotReject,
});
assert.strict = assert;
export { equal as strictEqual, notEqual as notStrictEqual, deepEqual as deepStrictEqual, notDeepEqual as notDeepStrictEqual };
export default assert;
