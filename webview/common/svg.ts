/**
 * An SVG builder in the style of webview/dom.ts: elements from
 * createElementNS, attributes one by one (never `style` or `on*`), text only
 * as text nodes. Colours come from each panel's CSS classes. Shared by the
 * matrix panel's charts and the backprop graph.
 */
const NS = 'http://www.w3.org/2000/svg';

export type SvgChild = Node | string | number | null | undefined | false;

export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: SvgChild[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'style' || /^on/i.test(name)) throw new Error(`refusing attribute ${name}`);
    el.setAttribute(name, typeof value === 'number' ? num(value) : value);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return el;
}

/** A coordinate for an SVG attribute: 2 decimals, finite. */
export function num(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '0';
}

/** A polyline's path data from points. */
export function pathData(points: readonly (readonly [number, number])[], close = false): string {
  if (!points.length) return '';
  const parts = points.map(([x, y], i) => `${i ? 'L' : 'M'}${num(x)} ${num(y)}`);
  return parts.join('') + (close ? 'Z' : '');
}

let idCounter = 0;
/** A document-unique id for markers and clip paths. */
export function uid(prefix: string): string {
  return `${prefix}-${++idCounter}`;
}

/** An arrowhead marker (coloured by `cls`), to reference with marker-end="url(#id)". */
export function arrowMarker(id: string, cls: string, size = 7): SVGMarkerElement {
  return s(
    'marker',
    { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: size, markerHeight: size, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' },
    s('path', { d: 'M0 0L10 5L0 10z', class: cls }),
  );
}
