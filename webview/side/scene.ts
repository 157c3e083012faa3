/**
 * A plot as a small scene description, in CSS pixels: paths, rectangles,
 * circles, text, raster images and clipped groups. One description is drawn
 * two ways: onto a canvas for display (and PNG export) and into an SVG
 * string for export. The SVG string is never put into the page: it is posted
 * to the host as text, with every text item XML-escaped.
 *
 * Colours are resolved CSS colour strings (from the theme, see palette.ts).
 */

export type Item =
  | {
      t: 'path';
      /** Polylines: x0, y0, x1, y1, … in CSS px; each array is one subpath. */
      lines: number[][];
      stroke?: string;
      fill?: string;
      width?: number;
      dash?: number[];
      alpha?: number;
      close?: boolean;
    }
  | { t: 'rect'; x: number; y: number; w: number; h: number; fill?: string; stroke?: string; width?: number; alpha?: number }
  | { t: 'circle'; x: number; y: number; r: number; fill?: string; stroke?: string; width?: number }
  | {
      t: 'text';
      x: number;
      y: number;
      text: string;
      color: string;
      size?: number;
      align?: 'left' | 'center' | 'right';
      baseline?: 'top' | 'middle' | 'bottom';
      bold?: boolean;
      /** Rotation in degrees about (x, y). */
      rotate?: number;
    }
  | { t: 'image'; x: number; y: number; w: number; h: number; source: HTMLCanvasElement; smooth?: boolean }
  | { t: 'clip'; x: number; y: number; w: number; h: number; items: Item[] };

export interface Scene {
  w: number;
  h: number;
  background: string;
  /** Drawn first; a caller may cache it (the playground's heat map). */
  base: Item[];
  /** Drawn over `base`. */
  over: Item[];
}

export const FONT_FAMILY = (): string => {
  const f = getComputedStyle(document.body).fontFamily;
  return f || 'sans-serif';
};

// ---------------------------------------------------------------- canvas

export function drawItems(ctx: CanvasRenderingContext2D, items: readonly Item[], font: string): void {
  for (const it of items) drawItem(ctx, it, font);
}

function tracePath(ctx: CanvasRenderingContext2D, lines: number[][], close: boolean | undefined): void {
  ctx.beginPath();
  for (const l of lines) {
    if (l.length < 2) continue;
    ctx.moveTo(l[0]!, l[1]!);
    for (let k = 2; k + 1 < l.length; k += 2) ctx.lineTo(l[k]!, l[k + 1]!);
    if (close) ctx.closePath();
  }
}

function drawItem(ctx: CanvasRenderingContext2D, it: Item, font: string): void {
  switch (it.t) {
    case 'path': {
      tracePath(ctx, it.lines, it.close);
      ctx.globalAlpha = it.alpha ?? 1;
      if (it.fill) {
        ctx.fillStyle = it.fill;
        ctx.fill();
      }
      if (it.stroke) {
        ctx.strokeStyle = it.stroke;
        ctx.lineWidth = it.width ?? 1;
        ctx.lineJoin = 'round';
        ctx.lineCap = 'round';
        ctx.setLineDash(it.dash ?? []);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      ctx.globalAlpha = 1;
      return;
    }
    case 'rect':
      ctx.globalAlpha = it.alpha ?? 1;
      if (it.fill) {
        ctx.fillStyle = it.fill;
        ctx.fillRect(it.x, it.y, it.w, it.h);
      }
      if (it.stroke) {
        ctx.strokeStyle = it.stroke;
        ctx.lineWidth = it.width ?? 1;
        ctx.strokeRect(it.x, it.y, it.w, it.h);
      }
      ctx.globalAlpha = 1;
      return;
    case 'circle':
      ctx.beginPath();
      ctx.arc(it.x, it.y, it.r, 0, 2 * Math.PI);
      if (it.fill) {
        ctx.fillStyle = it.fill;
        ctx.fill();
      }
      if (it.stroke) {
        ctx.strokeStyle = it.stroke;
        ctx.lineWidth = it.width ?? 1;
        ctx.stroke();
      }
      return;
    case 'text':
      ctx.save();
      ctx.fillStyle = it.color;
      ctx.font = `${it.bold ? '600 ' : ''}${it.size ?? 11}px ${font}`;
      ctx.textAlign = it.align ?? 'left';
      ctx.textBaseline = it.baseline === 'top' ? 'top' : it.baseline === 'bottom' ? 'bottom' : 'middle';
      ctx.translate(it.x, it.y);
      if (it.rotate) ctx.rotate((it.rotate * Math.PI) / 180);
      ctx.fillText(it.text, 0, 0);
      ctx.restore();
      return;
    case 'image':
      ctx.imageSmoothingEnabled = it.smooth ?? true;
      ctx.drawImage(it.source, it.x, it.y, it.w, it.h);
      ctx.imageSmoothingEnabled = true;
      return;
    case 'clip':
      ctx.save();
      ctx.beginPath();
      ctx.rect(it.x, it.y, it.w, it.h);
      ctx.clip();
      drawItems(ctx, it.items, font);
      ctx.restore();
      return;
  }
}

/** Sizes `canvas` for w × h CSS px at the device pixel ratio and returns its context scaled to CSS px. */
export function prepareCanvas(canvas: HTMLCanvasElement, w: number, h: number, dpr: number): CanvasRenderingContext2D | null {
  const W = Math.max(1, Math.round(w * dpr));
  const H = Math.max(1, Math.round(h * dpr));
  if (canvas.width !== W) canvas.width = W;
  if (canvas.height !== H) canvas.height = H;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** The whole scene on a fresh canvas (PNG export). */
export function sceneToCanvas(scene: Scene, dpr: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  const ctx = prepareCanvas(c, scene.w, scene.h, dpr);
  if (ctx) {
    ctx.fillStyle = scene.background;
    ctx.fillRect(0, 0, scene.w, scene.h);
    const font = FONT_FAMILY();
    drawItems(ctx, scene.base, font);
    drawItems(ctx, scene.over, font);
  }
  return c;
}

/** PNG as base64 without the `data:image/png;base64,` prefix. */
export function sceneToPngBase64(scene: Scene, dpr = 2): string {
  const url = sceneToCanvas(scene, dpr).toDataURL('image/png');
  const comma = url.indexOf(',');
  return comma < 0 ? '' : url.slice(comma + 1);
}

// ---------------------------------------------------------------- SVG

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const n2 = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '0');

function pathD(lines: number[][], close: boolean | undefined): string {
  let d = '';
  for (const l of lines) {
    if (l.length < 2) continue;
    d += `M${n2(l[0]!)} ${n2(l[1]!)}`;
    for (let k = 2; k + 1 < l.length; k += 2) d += `L${n2(l[k]!)} ${n2(l[k + 1]!)}`;
    if (close) d += 'Z';
  }
  return d;
}

function paint(fill: string | undefined, stroke: string | undefined, width: number | undefined): string {
  let a = ` fill="${fill ? xmlEscape(fill) : 'none'}"`;
  if (stroke) a += ` stroke="${xmlEscape(stroke)}" stroke-width="${n2(width ?? 1)}"`;
  return a;
}

function svgItems(items: readonly Item[], out: string[], font: string, ids: { n: number }): void {
  for (const it of items) {
    switch (it.t) {
      case 'path': {
        const d = pathD(it.lines, it.close);
        if (!d) break;
        out.push(
          `<path d="${d}"${paint(it.fill, it.stroke, it.width)}${it.dash?.length ? ` stroke-dasharray="${it.dash.map(n2).join(' ')}"` : ''}${
            it.alpha !== undefined && it.alpha < 1 ? ` opacity="${n2(it.alpha)}"` : ''
          } stroke-linejoin="round" stroke-linecap="round"/>`,
        );
        break;
      }
      case 'rect':
        out.push(
          `<rect x="${n2(it.x)}" y="${n2(it.y)}" width="${n2(it.w)}" height="${n2(it.h)}"${paint(it.fill, it.stroke, it.width)}${
            it.alpha !== undefined && it.alpha < 1 ? ` opacity="${n2(it.alpha)}"` : ''
          }/>`,
        );
        break;
      case 'circle':
        out.push(`<circle cx="${n2(it.x)}" cy="${n2(it.y)}" r="${n2(it.r)}"${paint(it.fill, it.stroke, it.width)}/>`);
        break;
      case 'text': {
        const anchor = it.align === 'center' ? 'middle' : it.align === 'right' ? 'end' : 'start';
        const base = it.baseline === 'top' ? 'hanging' : it.baseline === 'bottom' ? 'text-after-edge' : 'central';
        const rot = it.rotate ? ` transform="rotate(${n2(it.rotate)} ${n2(it.x)} ${n2(it.y)})"` : '';
        out.push(
          `<text x="${n2(it.x)}" y="${n2(it.y)}" fill="${xmlEscape(it.color)}" font-size="${n2(it.size ?? 11)}" font-family="${xmlEscape(font)}"${
            it.bold ? ' font-weight="600"' : ''
          } text-anchor="${anchor}" dominant-baseline="${base}"${rot}>${xmlEscape(it.text)}</text>`,
        );
        break;
      }
      case 'image':
        out.push(
          `<image x="${n2(it.x)}" y="${n2(it.y)}" width="${n2(it.w)}" height="${n2(it.h)}" preserveAspectRatio="none"${
            it.smooth === false ? ' image-rendering="pixelated"' : ''
          } href="${it.source.toDataURL('image/png')}"/>`,
        );
        break;
      case 'clip': {
        const id = `c${++ids.n}`;
        out.push(`<clipPath id="${id}"><rect x="${n2(it.x)}" y="${n2(it.y)}" width="${n2(it.w)}" height="${n2(it.h)}"/></clipPath><g clip-path="url(#${id})">`);
        svgItems(it.items, out, font, ids);
        out.push('</g>');
        break;
      }
    }
  }
}

/** A standalone SVG document of the scene. */
export function sceneToSvg(scene: Scene, title: string): string {
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n2(scene.w)}" height="${n2(scene.h)}" viewBox="0 0 ${n2(scene.w)} ${n2(scene.h)}">`,
    `<title>${xmlEscape(title)}</title>`,
    `<rect width="100%" height="100%" fill="${xmlEscape(scene.background)}"/>`,
  ];
  const font = FONT_FAMILY();
  const ids = { n: 0 };
  svgItems(scene.base, out, font, ids);
  svgItems(scene.over, out, font, ids);
  out.push('</svg>');
  return out.join('\n');
}
