/**
 * Small DOM helpers of the demo page (no framework): element lookup that fails loudly, element
 * creation, text tables. Imports: nothing.
 */

/** The element with id `id`; throws when the page lacks it (a broken page must not half-work). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`demo page: no element #${id}`);
  return element as T;
}

/** A new element with optional class and text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text = ""): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== "") node.className = className;
  if (text !== "") node.textContent = text;
  return node;
}

/** Replaces `table`'s content with a header row and text rows. */
export function fillTable(table: HTMLTableElement, header: readonly string[], rows: readonly (readonly (string | number)[])[], numeric: readonly number[] = []): void {
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const h of header) head.appendChild(el("th", "", h));
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => tr.appendChild(el("td", numeric.includes(i) ? "num" : "", String(cell))));
  }
}

/** Figures as a definition list; each value also lands in `data-<key>` of the list (for tests). */
export function fillFigures(list: HTMLElement, figures: readonly (readonly [key: string, label: string, value: string | number])[]): void {
  list.replaceChildren();
  for (const [key, label, value] of figures) {
    const box = el("div");
    box.append(el("dt", "", label), el("dd", "", typeof value === "number" ? value.toLocaleString("en-US") : value));
    box.dataset.key = key;
    list.appendChild(box);
    list.dataset[key] = String(value);
  }
}

/** A UTC date-time as "yyyy-MM-dd HH:mm". */
export function utcText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}
