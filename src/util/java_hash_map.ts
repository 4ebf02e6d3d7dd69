/**
 * The iteration order of a Java `HashMap<String, V>`, reproduced: Paimon writes a table's options
 * by iterating such a map (`SchemaSerializer`), so writing schema files byte for byte as Java does
 * means knowing where each key lands in Java's hash table.
 *
 * Mirrors `java.util.HashMap` of JDK 8 to 17 (the JDKs Paimon runs on) and `String.hashCode`:
 * https://github.com/openjdk/jdk17u/blob/master/src/java.base/share/classes/java/util/HashMap.java
 *  - hash(key) = h ^ (h >>> 16) with h = String.hashCode (31-polynomial over UTF-16 units, int32);
 *    a key lives in bin `hash & (capacity - 1)`; iteration walks bins 0, 1, … and each bin in
 *    order (new keys are appended to their bin; replacing a value keeps the key's place).
 *  - `new HashMap<>()` allocates 16 bins on the first put; `new HashMap<>(m)` (and `putAll` into
 *    a never-used map) sizes the table to tableSizeFor((int)(m.size() / 0.75f + 1)) first, then
 *    puts m's entries in m's iteration order. (JDK 19 changed that formula to
 *    ceil(size / 0.75); not modelled.)
 *  - The table doubles when size exceeds capacity * 0.75; doubling splits each bin into a low and
 *    a high bin keeping relative order. A bin reaching 9 keys in a table of fewer than 64 bins
 *    also doubles the table (Java's `treeifyBin`).
 * Limitation: a bin of 9 or more keys in a table of 64 or more bins becomes a red-black tree in
 * Java, whose iteration order moves the tree root first; here such a bin keeps list order. It
 * needs nine keys whose spread hashes agree in their low six bits or more: not a realistic
 * option map.
 *
 * Imports: util/assert.ts.
 */
import { assert } from "./assert.ts";

/** Java `HashMap.DEFAULT_INITIAL_CAPACITY`. */
const CAPACITY_DEFAULT = 16;
/** Java `HashMap.MAXIMUM_CAPACITY`. */
const CAPACITY_MAX = 1 << 30;
/** Java `HashMap.TREEIFY_THRESHOLD`: a bin this long (before the new key) converts to a tree. */
const TREEIFY_THRESHOLD = 8;
/** Java `HashMap.MIN_TREEIFY_CAPACITY`: below it a long bin doubles the table instead. */
const TREEIFY_CAPACITY_MIN = 64;
/** Java's default load factor 0.75, as the float Java computes with. */
const LOAD_FACTOR = Math.fround(0.75);
const INT_MAX = 2147483647;

/** Java `String.hashCode()`: s[0]*31^(n-1) + … + s[n-1] over UTF-16 code units, as an int32. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Java `HashMap.hash(key)`: the hash code with its high half folded into the low half. */
export function javaHashMapSpread(s: string): number {
  const h = javaStringHashCode(s);
  return h ^ (h >>> 16);
}

/** Java `HashMap.tableSizeFor(cap)`: the smallest power of two ≥ cap (1 for cap ≤ 1). */
function tableSizeFor(cap: number): number {
  if (cap <= 1) return 1;
  const n = 2 ** Math.ceil(Math.log2(cap));
  return n >= CAPACITY_MAX ? CAPACITY_MAX : n;
}

interface Node<V> {
  readonly hash: number;
  readonly key: string;
  value: V;
}

/**
 * A `HashMap<String, V>` that iterates exactly as Java's does. Construct it as the Java code in
 * question constructs its map (`new JavaHashMap()` for `new HashMap<>()`, `JavaHashMap.copyOf`
 * for `new HashMap<>(m)`), apply the same puts and removes in the same order, then read
 * `entries()`.
 */
export class JavaHashMap<V> {
  #table: Node<V>[][] | null = null;
  /** Java's `threshold`: the next resize size, or the initial capacity before allocation. */
  #threshold = 0;
  #size = 0;

  /** `new HashMap<>()` with `entries` put in order (the usual way Java code fills a map). */
  static fromEntries<V>(entries: Iterable<readonly [string, V]>): JavaHashMap<V> {
    const map = new JavaHashMap<V>();
    for (const [k, v] of entries) map.put(k, v);
    return map;
  }

  /** `new HashMap<>(source)` (also Guava `Maps.newHashMap(source)`, and `putAll` into a new map). */
  static copyOf<V>(source: JavaHashMap<V>): JavaHashMap<V> {
    const map = new JavaHashMap<V>();
    const s = source.size;
    if (s > 0) {
      const ft = Math.fround(Math.fround(s / LOAD_FACTOR) + 1);
      const t = ft < CAPACITY_MAX ? Math.trunc(ft) : CAPACITY_MAX;
      if (t > map.#threshold) map.#threshold = tableSizeFor(t);
      for (const [k, v] of source.entries()) map.put(k, v);
    }
    return map;
  }

  /** Number of keys. */
  get size(): number {
    return this.#size;
  }

  /** Number of bins (0 before the first put allocates the table). */
  get capacity(): number {
    return this.#table === null ? 0 : this.#table.length;
  }

  /** The value of `key`, or undefined. */
  get(key: string): V | undefined {
    return this.#find(key)?.value;
  }

  /** True when `key` is present. */
  has(key: string): boolean {
    return this.#find(key) !== undefined;
  }

  /** Java `put`: replaces in place, or appends to the key's bin; returns the previous value. */
  put(key: string, value: V): V | undefined {
    const hash = javaHashMapSpread(key);
    const table = this.#table ?? this.#resize();
    const bin = table[hash & (table.length - 1)]!;
    for (const node of bin) {
      if (node.hash === hash && node.key === key) {
        const old = node.value;
        node.value = value;
        return old;
      }
    }
    bin.push({ hash, key, value });
    // Java's putVal: `binCount >= TREEIFY_THRESHOLD - 1` when the bin had 8 nodes before.
    if (bin.length > TREEIFY_THRESHOLD && table.length < TREEIFY_CAPACITY_MIN) this.#resize();
    if (++this.#size > this.#threshold) this.#resize();
    return undefined;
  }

  /** Java `remove`: unlinks the key, others keep their order; returns the removed value. */
  remove(key: string): V | undefined {
    if (this.#table === null) return undefined;
    const hash = javaHashMapSpread(key);
    const bin = this.#table[hash & (this.#table.length - 1)]!;
    const i = bin.findIndex((n) => n.hash === hash && n.key === key);
    if (i < 0) return undefined;
    const [node] = bin.splice(i, 1);
    this.#size--;
    return node!.value;
  }

  /** Entries in Java's iteration order. */
  entries(): [string, V][] {
    const out: [string, V][] = [];
    for (const bin of this.#table ?? []) for (const n of bin) out.push([n.key, n.value]);
    return out;
  }

  /** Keys in Java's iteration order. */
  keys(): string[] {
    return this.entries().map(([k]) => k);
  }

  #find(key: string): Node<V> | undefined {
    if (this.#table === null) return undefined;
    const hash = javaHashMapSpread(key);
    return this.#table[hash & (this.#table.length - 1)]!.find((n) => n.hash === hash && n.key === key);
  }

  /** Java `resize()`: allocates or doubles the table, splitting bins in order. */
  #resize(): Node<V>[][] {
    const old = this.#table;
    const oldCap = old === null ? 0 : old.length;
    const oldThr = this.#threshold;
    let newCap: number;
    let newThr = 0;
    if (oldCap > 0) {
      if (oldCap >= CAPACITY_MAX) {
        this.#threshold = INT_MAX;
        return old!;
      }
      newCap = oldCap * 2;
      if (newCap < CAPACITY_MAX && oldCap >= CAPACITY_DEFAULT) newThr = oldThr * 2;
    } else if (oldThr > 0) {
      newCap = oldThr; // initial capacity was placed in threshold
    } else {
      newCap = CAPACITY_DEFAULT;
      newThr = Math.trunc(LOAD_FACTOR * CAPACITY_DEFAULT);
    }
    if (newThr === 0) {
      const ft = Math.fround(newCap * LOAD_FACTOR);
      newThr = newCap < CAPACITY_MAX && ft < CAPACITY_MAX ? Math.trunc(ft) : INT_MAX;
    }
    this.#threshold = newThr;
    const table: Node<V>[][] = Array.from({ length: newCap }, () => []);
    if (old !== null) {
      for (let j = 0; j < oldCap; j++) {
        for (const node of old[j]!) {
          const target = node.hash & (newCap - 1);
          assert(target === j || target === j + oldCap, "java hash map: a split bin moves by the old capacity");
          table[target]!.push(node);
        }
      }
    }
    this.#table = table;
    return table;
  }
}
