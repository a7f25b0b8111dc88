/** Tiny DOM helpers: the playground has no framework, only these. */

export type Child = Node | string | number | null | undefined | false;

/** An HTML element with attributes (`class`, `data-*`, `style`, ...) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el: Element, attrs: Record<string, string | number | boolean | undefined>): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** The element with this id, of this type; throws if the page lacks it (a bug in index.html). */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`playground: #${id} is missing from index.html`);
  return el;
}

/**
 * Links every element carrying `data-span` inside `root`: pointing at one lights up
 * all of them with the same value (a field's box, its row in the table, its bytes).
 */
export function linkHover(root: HTMLElement): void {
  let lit: string | undefined;
  const light = (span: string | undefined): void => {
    if (span === lit) return;
    for (const el of Array.from(root.querySelectorAll('.hl'))) el.classList.remove('hl');
    lit = span;
    if (span === undefined) return;
    for (const el of Array.from(root.querySelectorAll(`[data-span="${CSS.escape(span)}"]`))) el.classList.add('hl');
  };
  root.addEventListener('mouseover', (e) => {
    const target = e.target instanceof Element ? e.target.closest('[data-span]') : null;
    light(target instanceof Element && root.contains(target) ? (target.getAttribute('data-span') ?? undefined) : undefined);
  });
  root.addEventListener('mouseleave', () => light(undefined));
}
