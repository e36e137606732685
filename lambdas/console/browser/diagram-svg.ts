/**
 * The diagram's drawing primitives: SVG built with DOM calls (no markup strings, no inline
 * style), so the strict CSP holds. A box's or link's id lets a route highlight it; its state is
 * a class and a word, never colour alone.
 */
const NS = 'http://www.w3.org/2000/svg';

export type Attrs = Readonly<Record<string, string | number | null | undefined>>;

/** A rectangle in the diagram's coordinates, as boxes are laid out and links join them. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** An SVG element with these attributes (null and undefined left out), appended to parent. */
export function el(name: string, attrs: Attrs, parent?: Element | null, text?: string): SVGElement {
  const node = document.createElementNS(NS, name);
  for (const k in attrs) {
    const value = attrs[k];
    if (value !== undefined && value !== null) node.setAttribute(k, String(value));
  }
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

/** A labelled box: `dg-<id>`, with state as class and `data-state`. */
export function box(svg: Element, id: string, x: number, y: number, w: number, h: number, title: string, detail: string, state?: string): Rect {
  const g = el('g', { id: 'dg-' + id, class: 'node ' + (state || ''), 'data-state': state || '' }, svg);
  el('rect', { x, y, width: w, height: h, rx: 6 }, g);
  el('text', { x: x + 8, y: y + 17, class: 'title' }, g, title);
  if (detail) el('text', { x: x + 8, y: y + 33, class: 'detail' }, g, detail);
  return { x, y, w, h };
}

/** A curve from a's right edge to b's left edge: `dl-<id>`, with state as class. */
export function link(svg: Element, id: string, a: Rect, b: Rect, state: string, label?: string | null): void {
  const x1 = a.x + a.w;
  const y1 = a.y + a.h / 2;
  const x2 = b.x;
  const y2 = b.y + b.h / 2;
  const g = el('g', { id: 'dl-' + id, class: 'link ' + (state || '') }, svg);
  el('path', { d: 'M' + x1 + ' ' + y1 + ' C' + (x1 + 40) + ' ' + y1 + ' ' + (x2 - 40) + ' ' + y2 + ' ' + x2 + ' ' + y2 }, g);
  if (label) el('text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, class: 'detail', 'text-anchor': 'middle' }, g, label);
}

/** Bytes in B, KiB or MiB, one decimal. */
export function formatBytes(n: number): string {
  if (n >= 1048576) return (n / 1048576).toFixed(1) + ' MiB';
  if (n >= 1024) return (n / 1024).toFixed(1) + ' KiB';
  return n + ' B';
}
