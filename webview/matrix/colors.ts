/**
 * Theme colours for the canvases. SVG and HTML take their colours from
 * `--vscode-*` variables in matrix.css; a canvas needs numbers, so this reads
 * the same variables with getComputedStyle and normalizes them through a 2-D
 * context (which accepts any CSS colour syntax).
 */
export type RGB = [number, number, number];

let probe: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour → [r, g, b, a] (a in 0..1), or null when it is not a colour. */
export function parseColor(css: string): [number, number, number, number] | null {
  const text = css.trim();
  if (!text) return null;
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return null;
  // Two different sentinels: an invalid colour leaves fillStyle unchanged.
  probe.fillStyle = '#000001';
  probe.fillStyle = text;
  const a = String(probe.fillStyle);
  probe.fillStyle = '#000002';
  probe.fillStyle = text;
  const b = String(probe.fillStyle);
  if (a !== b) return null;
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(a);
  if (hex) return [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16), 1];
  const rgba = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/i.exec(a);
  if (rgba) return [Number(rgba[1]), Number(rgba[2]), Number(rgba[3]), rgba[4] === undefined ? 1 : Number(rgba[4])];
  return null;
}

function variable(name: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name);
  return v.trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
}

/** The first of `names` that is set to a colour, composited over `over`; else `fallback`. */
export function themeColor(names: string[], fallback: RGB, over?: RGB): RGB {
  for (const n of names) {
    const c = parseColor(variable(n));
    if (!c) continue;
    const [r, g, b, a] = c;
    if (a >= 1 || !over) return [r, g, b];
    return [r * a + over[0] * (1 - a), g * a + over[1] * (1 - a), b * a + over[2] * (1 - a)];
  }
  return fallback;
}

export function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Relative luminance (0 black … 1 white), to tell dark themes from light ones. */
export function luminance([r, g, b]: RGB): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A colour packed for a Uint32Array view of ImageData (opaque). */
export function pack([r, g, b]: RGB): number {
  const R = Math.round(r) & 255;
  const G = Math.round(g) & 255;
  const B = Math.round(b) & 255;
  return LITTLE_ENDIAN ? ((255 << 24) | (B << 16) | (G << 8) | R) >>> 0 : ((R << 24) | (G << 16) | (B << 8) | 255) >>> 0;
}

/** Steps on each side of 0 in the diverging lookup table. */
export const HALF = 255;

export interface Palette {
  /** Editor background: the colour of 0 (the map's midpoint). */
  mid: RGB;
  neg: RGB;
  pos: RGB;
  /** The two stripes of a NaN cell's hatching. */
  nanA: RGB;
  nanB: RGB;
  /** Separators between cells when they are large. */
  grid: RGB;
  /** The keyboard cursor. */
  cursor: RGB;
  /** 2·HALF + 1 packed colours: index HALF + round(HALF · v / absMax). */
  lut: Uint32Array;
}

/**
 * A diverging map centred on 0: the editor background at 0, the theme's blue
 * at −absMax and its red at +absMax, so it reads in dark and light themes.
 */
export function palette(): Palette {
  const mid = themeColor(['--vscode-editor-background'], [30, 30, 30]);
  const dark = luminance(mid) < 0.4;
  const neg = themeColor(['--vscode-charts-blue', '--vscode-terminal-ansiBlue'], dark ? [55, 148, 255] : [0, 92, 197], mid);
  const pos = themeColor(['--vscode-charts-red', '--vscode-terminal-ansiRed'], dark ? [241, 76, 76] : [205, 49, 49], mid);
  const fg = themeColor(['--vscode-editor-foreground', '--vscode-foreground'], dark ? [204, 204, 204] : [51, 51, 51], mid);
  const lut = new Uint32Array(2 * HALF + 1);
  for (let k = 0; k <= 2 * HALF; k++) {
    const t = (k - HALF) / HALF;
    lut[k] = pack(mix(mid, t < 0 ? neg : pos, Math.abs(t)));
  }
  return {
    mid,
    neg,
    pos,
    nanA: mix(mid, fg, 0.45),
    nanB: mix(mid, fg, 0.12),
    grid: mid,
    cursor: themeColor(['--vscode-focusBorder'], [0, 120, 212], mid),
    lut,
  };
}

export function css([r, g, b]: RGB): string {
  return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
}
