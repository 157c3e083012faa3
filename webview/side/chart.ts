/**
 * The charts' shared parts: a view (data ranges → CSS px inside a box), axes
 * with round ticks, clipping of polylines to the box (so a value of 1e6 never
 * reaches the canvas), and the Chart component: a HiDPI canvas sized to its
 * container, its base layer cached in an offscreen canvas, redrawn on
 * resize, and exported as PNG or SVG from the same scene.
 */
import { h } from '../common/dom';
import { fmt, niceTicks } from '../matrix/format';
import { sidePalette, type SidePalette } from './palette';
import { drawItems, FONT_FAMILY, prepareCanvas, sceneToPngBase64, sceneToSvg, type Item, type Scene } from './scene';

export interface Box {
  left: number;
  top: number;
  w: number;
  h: number;
}

export class View {
  readonly ly0: number;
  readonly ly1: number;
  constructor(
    readonly x0: number,
    readonly x1: number,
    readonly y0: number,
    readonly y1: number,
    readonly box: Box,
    /** y on a log10 scale (y0, y1 > 0). */
    readonly logY = false,
  ) {
    this.ly0 = logY ? Math.log10(y0) : y0;
    this.ly1 = logY ? Math.log10(y1) : y1;
  }
  px(x: number): number {
    return this.box.left + ((x - this.x0) / (this.x1 - this.x0)) * this.box.w;
  }
  py(y: number): number {
    const v = this.logY ? (y > 0 ? Math.log10(y) : -Infinity) : y;
    return this.box.top + ((this.ly1 - v) / (this.ly1 - this.ly0)) * this.box.h;
  }
  /** CSS px → data x. */
  dataX(px: number): number {
    return this.x0 + ((px - this.box.left) / this.box.w) * (this.x1 - this.x0);
  }
  dataY(py: number): number {
    return this.y1 - ((py - this.box.top) / this.box.h) * (this.y1 - this.y0);
  }
}

/** A box inside a w × h chart with room for tick labels. */
export function plotBox(w: number, h: number, m: Partial<{ left: number; right: number; top: number; bottom: number }> = {}): Box {
  const left = m.left ?? 40;
  const right = m.right ?? 10;
  const top = m.top ?? 10;
  const bottom = m.bottom ?? 26;
  return { left, top, w: Math.max(10, w - left - right), h: Math.max(10, h - top - bottom) };
}

const CLIP_MARGIN = 6;

/**
 * Data polyline (x0, y0, x1, y1, …) → CSS-px polylines clipped to the view's
 * box (plus a small margin). Non-finite points break the line.
 */
export function clipPolyline(view: View, data: readonly number[], step = 2, ox = 0, oy = 1): number[][] {
  const { left, top, w, h } = view.box;
  const xmin = left - CLIP_MARGIN;
  const xmax = left + w + CLIP_MARGIN;
  const ymin = top - CLIP_MARGIN;
  const ymax = top + h + CLIP_MARGIN;
  const out: number[][] = [];
  let cur: number[] | null = null;
  let px0 = NaN;
  let py0 = NaN;
  for (let k = 0; k + Math.max(ox, oy) < data.length; k += step) {
    const X = data[k + ox]!;
    const Y = data[k + oy]!;
    let px1 = view.px(X);
    let py1 = view.py(Y);
    if (!Number.isFinite(px1) || !Number.isFinite(py1) || !Number.isFinite(X) || !Number.isFinite(Y)) {
      cur = null;
      px0 = NaN;
      continue;
    }
    // Keep huge pixel values finite for the clipping arithmetic.
    px1 = Math.max(-1e7, Math.min(1e7, px1));
    py1 = Math.max(-1e7, Math.min(1e7, py1));
    if (Number.isNaN(px0)) {
      px0 = px1;
      py0 = py1;
      if (px1 >= xmin && px1 <= xmax && py1 >= ymin && py1 <= ymax) {
        cur = [px1, py1];
        out.push(cur);
      }
      continue;
    }
    // Liang–Barsky on the segment (px0, py0) → (px1, py1).
    const dx = px1 - px0;
    const dy = py1 - py0;
    let t0 = 0;
    let t1 = 1;
    const p = [-dx, dx, -dy, dy];
    const q = [px0 - xmin, xmax - px0, py0 - ymin, ymax - py0];
    let visible = true;
    for (let i = 0; i < 4; i++) {
      const pi = p[i]!;
      const qi = q[i]!;
      if (pi === 0) {
        if (qi < 0) visible = false;
      } else {
        const r = qi / pi;
        if (pi < 0) {
          if (r > t1) visible = false;
          else if (r > t0) t0 = r;
        } else {
          if (r < t0) visible = false;
          else if (r < t1) t1 = r;
        }
      }
      if (!visible) break;
    }
    if (visible) {
      const ax = px0 + t0 * dx;
      const ay = py0 + t0 * dy;
      const bx = px0 + t1 * dx;
      const by = py0 + t1 * dy;
      if (!cur || t0 > 0) {
        cur = [ax, ay];
        out.push(cur);
      }
      cur.push(bx, by);
      if (t1 < 1) cur = null;
    } else {
      cur = null;
    }
    px0 = px1;
    py0 = py1;
  }
  return out.filter((l) => l.length >= 4);
}

/** Gridlines, tick labels and a frame for a view. */
export function axes(view: View, pal: SidePalette, opts: { xTitle?: string; yTitle?: string; xTicks?: number; yTicks?: number; zeroLines?: boolean } = {}): Item[] {
  const { left, top, w, h } = view.box;
  const grid: number[][] = [];
  const labels: Item[] = [];
  for (const t of niceTicks(view.x0, view.x1, opts.xTicks ?? Math.max(2, Math.round(w / 70)))) {
    const x = view.px(t);
    grid.push([x, top, x, top + h]);
    labels.push({ t: 'text', x, y: top + h + 4, text: fmt(t, 3), color: pal.muted, size: 10, align: 'center', baseline: 'top' });
  }
  if (view.logY) {
    const lo = Math.floor(view.ly0);
    const hi = Math.ceil(view.ly1);
    const every = Math.max(1, Math.ceil((hi - lo) / 6));
    for (let e = lo; e <= hi; e += every) {
      const y = view.py(10 ** e);
      if (y < top - 0.5 || y > top + h + 0.5) continue;
      grid.push([left, y, left + w, y]);
      labels.push({ t: 'text', x: left - 4, y, text: `1e${e}`, color: pal.muted, size: 10, align: 'right' });
    }
  } else {
    for (const t of niceTicks(view.y0, view.y1, opts.yTicks ?? Math.max(2, Math.round(h / 50)))) {
      const y = view.py(t);
      grid.push([left, y, left + w, y]);
      labels.push({ t: 'text', x: left - 4, y, text: fmt(t, 3), color: pal.muted, size: 10, align: 'right' });
    }
  }
  const items: Item[] = [{ t: 'path', lines: grid, stroke: pal.grid, width: 1 }];
  if (opts.zeroLines !== false) {
    const zero: number[][] = [];
    if (view.x0 < 0 && view.x1 > 0) zero.push([view.px(0), top, view.px(0), top + h]);
    if (!view.logY && view.y0 < 0 && view.y1 > 0) zero.push([left, view.py(0), left + w, view.py(0)]);
    if (zero.length) items.push({ t: 'path', lines: zero, stroke: pal.axis, width: 1 });
  }
  items.push({ t: 'rect', x: left, y: top, w, h, stroke: pal.axis, width: 1 }, ...labels);
  if (opts.xTitle) items.push({ t: 'text', x: left + w / 2, y: top + h + 18, text: opts.xTitle, color: pal.muted, size: 10, align: 'center', baseline: 'top' });
  if (opts.yTitle) items.push({ t: 'text', x: 10, y: top + h / 2, text: opts.yTitle, color: pal.muted, size: 10, align: 'center', rotate: -90 });
  return items;
}

// ---------------------------------------------------------------- the chart component

export type ExportHandler = (format: 'png' | 'svg', data: string, name: string) => void;
let exportHandler: ExportHandler = () => {};
export function setExportHandler(f: ExportHandler): void {
  exportHandler = f;
}

export interface ChartOptions {
  testid: string;
  /** Accessible name (also the SVG's title). */
  label: string;
  /** File name offered for an export (no extension). */
  exportName: string;
  /** Height / width. */
  aspect: number;
  minH?: number;
  maxH?: number;
  /** The cached layer (axes, curves, heat map…). */
  base(w: number, h: number, pal: SidePalette): Item[];
  /** Drawn over the cached layer on every `drawOver` (trajectories, the point…). */
  over?(w: number, h: number, pal: SidePalette): Item[];
  /** Export buttons (default true). */
  exportable?: boolean;
  /** Called after each full draw (resize included). */
  afterDraw?(): void;
  /** Extra attributes for the canvas (tabindex, role…). */
  canvasAttrs?: Record<string, string>;
}

export interface Chart {
  element: HTMLElement;
  canvas: HTMLCanvasElement;
  /** The positioned box the canvas sits in (for overlays: handles, labels). */
  stage: HTMLElement;
  width(): number;
  height(): number;
  /** Rebuild everything (data, size or theme changed). */
  draw(): void;
  /** Redraw only the over layer onto the cached base (animation frames). */
  drawOver(): void;
  /** The current scene (what an export writes). */
  scene(): Scene;
  exportAs(format: 'png' | 'svg'): void;
  dispose(): void;
}

export function chart(opts: ChartOptions): Chart {
  const canvas = h('canvas', { class: 'chart-canvas', testid: opts.testid, attrs: { role: 'img', 'aria-label': opts.label, ...(opts.canvasAttrs ?? {}) } });
  const stage = h('div', { class: 'chart-stage' }, canvas);
  const exporters =
    opts.exportable === false
      ? null
      : h(
          'div',
          { class: 'chart-export' },
          exportButton('PNG', `${opts.testid}-export-png`, `Export ${opts.label} as PNG`, () => api.exportAs('png')),
          exportButton('SVG', `${opts.testid}-export-svg`, `Export ${opts.label} as SVG`, () => api.exportAs('svg')),
        );
  const element = h('figure', { class: 'chart' }, stage, exporters);

  let w = 0;
  let hgt = 0;
  let pal: SidePalette | undefined;
  let baseItems: Item[] = [];
  let overItems: Item[] = [];
  let baseCanvas: HTMLCanvasElement | undefined;
  let font = 'sans-serif';

  function measure(): void {
    const avail = stage.clientWidth || element.clientWidth || 300;
    w = Math.max(120, Math.floor(avail));
    hgt = Math.round(Math.max(opts.minH ?? 120, Math.min(opts.maxH ?? 600, w * opts.aspect)));
  }

  function composite(): void {
    const dpr = window.devicePixelRatio || 1;
    canvas.style.width = `${w}px`;
    canvas.style.height = `${hgt}px`;
    const ctx = prepareCanvas(canvas, w, hgt, dpr);
    if (!ctx || !pal) return;
    if (baseCanvas) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(baseCanvas, 0, 0);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    }
    drawItems(ctx, overItems, font);
  }

  function draw(): void {
    if (!element.isConnected) return;
    const t0 = performance.now();
    measure();
    drawnWidth = stage.clientWidth;
    pal = sidePalette();
    font = FONT_FAMILY();
    baseItems = opts.base(w, hgt, pal);
    overItems = opts.over ? opts.over(w, hgt, pal) : [];
    const dpr = window.devicePixelRatio || 1;
    baseCanvas ??= document.createElement('canvas');
    const bctx = prepareCanvas(baseCanvas, w, hgt, dpr);
    if (bctx) {
      bctx.fillStyle = pal.background;
      bctx.fillRect(0, 0, w, hgt);
      drawItems(bctx, baseItems, font);
    }
    composite();
    canvas.dataset.drawMs = (performance.now() - t0).toFixed(2);
    canvas.dataset.drawn = String(Number(canvas.dataset.drawn ?? 0) + 1);
    opts.afterDraw?.();
  }

  function drawOver(): void {
    if (!pal || !baseCanvas) return draw();
    overItems = opts.over ? opts.over(w, hgt, pal) : [];
    composite();
  }

  const api: Chart = {
    element,
    canvas,
    stage,
    width: () => w,
    height: () => hgt,
    draw,
    drawOver,
    scene: () => ({ w, h: hgt, background: pal?.background ?? '#000', base: baseItems, over: overItems }),
    exportAs(format) {
      if (!pal) draw();
      const scene = api.scene();
      exportHandler(format, format === 'png' ? sceneToPngBase64(scene) : sceneToSvg(scene, opts.label), opts.exportName);
    },
    dispose() {
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
    },
  };

  let frame = 0;
  let drawnWidth = -1;
  const observer = new ResizeObserver(() => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const width = stage.clientWidth;
      if (!width || width === drawnWidth) return;
      drawnWidth = width;
      draw();
    });
  });
  observer.observe(stage);
  return api;
}

function exportButton(label: string, testid: string, aria: string, onClick: () => void): HTMLElement {
  const b = h('vscode-button', { testid, attrs: { secondary: '', 'aria-label': aria, title: aria } }, label);
  b.addEventListener('click', onClick);
  return b;
}
