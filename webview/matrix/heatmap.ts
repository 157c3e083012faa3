/**
 * The heatmap: a canvas filled through ImageData (one Uint32 write per device
 * pixel, rows copied when they repeat), a colour bar, a hover/keyboard
 * readout and an aria-live region for the keyboard cursor.
 *
 * Only drawing happens here: values → colours through the palette's lookup
 * table, cells → device pixels.
 */
import type { HeatmapData } from '../../core/protocol';
import { h } from '../common/dom';
import { HALF, pack, palette, type Palette } from './colors';
import { dims, fmt } from './format';

/** Largest side of the heatmap in CSS pixels, and of one cell. */
const MAX_SIDE = 512;
const MAX_CELL = 56;
/** Cells at least this large (CSS px) get separators. */
const GRID_MIN_CELL = 10;
const BAR_WIDTH = 14;

export interface HeatmapView {
  element: HTMLElement;
  /** Redraw with the current theme colours and size. */
  redraw(): void;
  dispose(): void;
}

export interface HeatmapOptions {
  /** Leading indices of the N-D slice shown (prefixed to every index in the readout). */
  slicePrefix?: number[];
}

interface Cell {
  row: number;
  col: number;
}

export function renderHeatmap(hm: HeatmapData, opts: HeatmapOptions = {}): HeatmapView {
  const rows = Math.max(0, Math.floor(hm.rows) || 0);
  const cols = Math.max(0, Math.floor(hm.cols) || 0);
  const blockRows = Math.max(1, Math.floor(hm.blockRows) || 1);
  const blockCols = Math.max(1, Math.floor(hm.blockCols) || 1);
  const downsampled = blockRows * blockCols > 1;
  const absMax = Number.isFinite(hm.absMax) && hm.absMax > 0 ? hm.absMax : 0;
  const prefix = (opts.slicePrefix ?? []).map(String);
  const values = hm.values;
  const valueAt = (r: number, c: number): number | null => {
    const v = values[r * cols + c];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const hasNull = values.length < rows * cols || values.some((v) => v === null || !Number.isFinite(v));

  const canvas = h('canvas', {
    class: 'heatmap-canvas',
    testid: 'heatmap-canvas',
    attrs: {
      tabindex: '0',
      role: 'application',
      'aria-roledescription': 'heatmap',
      'aria-label': `Heatmap, ${dims(rows, cols)} cells${downsampled ? ` (block means of a ${dims(hm.srcRows, hm.srcCols)} matrix)` : ''}. Arrow keys move the cursor; Home, End, Page Up and Page Down jump.`,
    },
  });
  canvas.dataset.rows = String(rows);
  canvas.dataset.cols = String(cols);
  const bar = h('canvas', { class: 'colorbar-canvas', testid: 'colorbar-canvas', attrs: { 'aria-hidden': 'true' } });
  const ticks = h('div', { class: 'colorbar-ticks', testid: 'colorbar-ticks' });
  const tickValues = absMax > 0 ? [absMax, absMax / 2, 0, -absMax / 2, -absMax] : [0];
  for (const [i, t] of tickValues.entries()) {
    const label = h('span', { class: 'tick' }, fmt(t, 3));
    label.style.top = `${tickValues.length === 1 ? 50 : (100 * i) / (tickValues.length - 1)}%`;
    ticks.append(label);
  }
  const nanSwatch = h('canvas', { class: 'nan-swatch', attrs: { 'aria-hidden': 'true' } });
  const legend = h(
    'div',
    { class: 'colorbar', testid: 'colorbar', attrs: { role: 'img', 'aria-label': absMax > 0 ? `Colour scale from ${fmt(-absMax)} (blue) through 0 to ${fmt(absMax)} (red)` : 'Every value is 0' } },
    h('div', { class: 'colorbar-strip' }, bar, ticks),
    hasNull ? h('div', { class: 'nan-legend', testid: 'nan-legend' }, nanSwatch, h('span', {}, 'NaN')) : null,
  );
  const frame = h('div', { class: 'heatmap-frame' }, canvas);
  const body = h('div', { class: 'heatmap-body' }, frame, legend);

  const hint = 'Hover a cell, or focus the heatmap and use the arrow keys.';
  const readout = h('div', { class: 'heatmap-readout', testid: 'heatmap-readout' }, hint);
  const live = h('div', { class: 'sr-only', testid: 'heatmap-live', attrs: { 'aria-live': 'polite', role: 'status' } });

  const note = downsampled
    ? h(
        'p',
        { class: 'heatmap-note', testid: 'heatmap-note' },
        `${dims(hm.srcRows, hm.srcCols)} shown as ${dims(rows, cols)} block means (${dims(blockRows, blockCols)} entries per cell).`,
      )
    : null;
  const range = h(
    'p',
    { class: 'heatmap-range', testid: 'heatmap-range' },
    `min ${fmt(hm.min)}, max ${fmt(hm.max)}; colours span ±${fmt(absMax)}, centred on 0.`,
  );

  const element = h(
    'section',
    { class: 'heatmap', testid: 'heatmap', attrs: { 'aria-label': 'Heatmap' } },
    h('h2', {}, 'Heatmap'),
    note,
    body,
    readout,
    live,
    range,
  );

  // ---------------------------------------------------------------- text for a cell

  const span = (i: number, block: number, src: number): string => {
    if (block === 1) return String(i);
    const lo = i * block;
    const hi = Math.min(src, lo + block);
    return `${lo}:${hi}`;
  };
  function describe(c: Cell): string {
    const v = valueAt(c.row, c.col);
    const idx = [...prefix, span(c.row, blockRows, hm.srcRows), span(c.col, blockCols, hm.srcCols)].join(', ');
    if (!downsampled) return `[${idx}] = ${fmt(v)}`;
    const r0 = c.row * blockRows;
    const c0 = c.col * blockCols;
    const r1 = Math.min(hm.srcRows, r0 + blockRows) - 1;
    const c1 = Math.min(hm.srcCols, c0 + blockCols) - 1;
    return `[${idx}] block mean = ${fmt(v)} (rows ${r0}–${r1}, cols ${c0}–${c1})`;
  }

  // ---------------------------------------------------------------- drawing

  let pal: Palette | undefined;
  let image: ImageData | undefined;
  let cursor: Cell = { row: 0, col: 0 };
  let showCursor = false;
  let cssW = 0;
  let cssH = 0;

  function layout(): void {
    const avail = Math.max(80, (element.clientWidth || MAX_SIDE) - 90);
    const side = Math.min(MAX_SIDE, avail);
    let cw = Math.min(MAX_CELL, side / Math.max(1, cols));
    let ch = Math.min(MAX_CELL, side / Math.max(1, rows));
    // Keep cells from getting extremely thin in one direction (a 100 × 2 matrix).
    cw = Math.min(cw, 6 * ch);
    ch = Math.min(ch, 6 * cw);
    cssW = Math.max(1, cw * cols);
    cssH = Math.max(1, ch * rows);
  }

  function draw(): void {
    if (!rows || !cols || !element.isConnected) return;
    const t0 = performance.now();
    pal = palette();
    layout();
    const dpr = window.devicePixelRatio || 1;
    const W = Math.max(1, Math.round(cssW * dpr));
    const H = Math.max(1, Math.round(cssH * dpr));
    canvas.style.width = `${W / dpr}px`;
    canvas.style.height = `${H / dpr}px`;
    if (canvas.width !== W) canvas.width = W;
    if (canvas.height !== H) canvas.height = H;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;

    // One packed colour per cell; NaN cells are flagged.
    const n = rows * cols;
    const cellColor = new Uint32Array(n);
    const isNull = new Uint8Array(n);
    const lut = pal.lut;
    const scale = absMax > 0 ? HALF / absMax : 0;
    for (let k = 0; k < n; k++) {
      const v = values[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        isNull[k] = 1;
        continue;
      }
      let idx = Math.round(HALF + v * scale);
      if (idx < 0) idx = 0;
      else if (idx > 2 * HALF) idx = 2 * HALF;
      cellColor[k] = lut[idx]!;
    }

    // Device pixel → cell, and cell boundaries (separators when cells are large).
    const colOf = new Int32Array(W);
    for (let x = 0; x < W; x++) colOf[x] = Math.min(cols - 1, Math.floor(((x + 0.5) * cols) / W));
    const gridOn = cssW / cols >= GRID_MIN_CELL && cssH / rows >= GRID_MIN_CELL;
    const gridColor = pack(pal.grid);
    const nanA = pack(pal.nanA);
    const nanB = pack(pal.nanB);
    const stripe = Math.max(2, Math.round(3 * dpr));

    image = ctx.createImageData(W, H);
    const buf = new Uint32Array(image.data.buffer);
    const line = new Uint32Array(W);
    let lineRow = -1;
    let lineHasNull = false;
    for (let y = 0; y < H; y++) {
      const r = Math.min(rows - 1, Math.floor(((y + 0.5) * rows) / H));
      const off = y * W;
      if (gridOn && y > 0 && r !== Math.min(rows - 1, Math.floor(((y - 0.5) * rows) / H))) {
        buf.fill(gridColor, off, off + W);
        continue;
      }
      if (r !== lineRow || lineHasNull) {
        // Build this pixel row (rows with NaN cells are rebuilt each time: their hatching moves with y).
        if (r !== lineRow) {
          lineHasNull = false;
          for (let c = 0, base = r * cols; c < cols; c++) if (isNull[base + c]) lineHasNull = true;
        }
        lineRow = r;
        const base = r * cols;
        for (let x = 0; x < W; x++) {
          const k = base + colOf[x]!;
          line[x] = isNull[k] ? (((x + y) / stripe) & 1 ? nanA : nanB) : cellColor[k]!;
        }
        if (gridOn) for (let x = 1; x < W; x++) if (colOf[x] !== colOf[x - 1]) line[x] = gridColor;
      }
      buf.set(line, off);
    }
    ctx.putImageData(image, 0, 0);
    drawCursor(ctx);
    drawBar(dpr);
    canvas.dataset.drawMs = (performance.now() - t0).toFixed(2);
    canvas.dataset.drawn = String(Number(canvas.dataset.drawn ?? 0) + 1);
  }

  function drawCursor(ctx: CanvasRenderingContext2D): void {
    if (!showCursor || !pal) return;
    const W = canvas.width;
    const H = canvas.height;
    const x0 = Math.round((cursor.col * W) / cols);
    const x1 = Math.round(((cursor.col + 1) * W) / cols);
    const y0 = Math.round((cursor.row * H) / rows);
    const y1 = Math.round(((cursor.row + 1) * H) / rows);
    const dpr = window.devicePixelRatio || 1;
    const lw = Math.max(1, Math.round(2 * dpr));
    // A two-tone outline, visible over any cell colour (and at least 3 device px for 1-px cells).
    const pad = Math.max(0, Math.ceil((3 * dpr - (x1 - x0)) / 2));
    ctx.lineWidth = lw;
    ctx.strokeStyle = `rgb(${pal.mid.map(Math.round).join(', ')})`;
    ctx.strokeRect(x0 - pad - lw / 2, y0 - pad - lw / 2, x1 - x0 + 2 * pad + lw, y1 - y0 + 2 * pad + lw);
    ctx.strokeStyle = `rgb(${pal.cursor.map(Math.round).join(', ')})`;
    ctx.strokeRect(x0 - pad + lw / 2, y0 - pad + lw / 2, x1 - x0 + 2 * pad - lw, y1 - y0 + 2 * pad - lw);
  }

  function repaintCursor(): void {
    const ctx = canvas.getContext('2d');
    if (!ctx || !image) return;
    ctx.putImageData(image, 0, 0);
    drawCursor(ctx);
  }

  function drawBar(dpr: number): void {
    if (!pal) return;
    const W = Math.max(1, Math.round(BAR_WIDTH * dpr));
    const cssBarH = Math.max(120, cssH);
    const H = Math.max(1, Math.round(cssBarH * dpr));
    bar.style.width = `${W / dpr}px`;
    bar.style.height = `${H / dpr}px`;
    ticks.style.height = `${H / dpr}px`;
    bar.width = W;
    bar.height = H;
    const ctx = bar.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(W, H);
    const buf = new Uint32Array(img.data.buffer);
    for (let y = 0; y < H; y++) {
      // Top is +absMax, bottom −absMax.
      const idx = absMax > 0 ? Math.round(2 * HALF * (1 - (y + 0.5) / H)) : HALF;
      buf.fill(pal.lut[idx]!, y * W, (y + 1) * W);
    }
    ctx.putImageData(img, 0, 0);
    if (hasNull) {
      const S = Math.max(1, Math.round(BAR_WIDTH * dpr));
      nanSwatch.width = S;
      nanSwatch.height = S;
      nanSwatch.style.width = `${S / dpr}px`;
      nanSwatch.style.height = `${S / dpr}px`;
      const sctx = nanSwatch.getContext('2d');
      if (sctx) {
        const simg = sctx.createImageData(S, S);
        const sbuf = new Uint32Array(simg.data.buffer);
        const stripe = Math.max(2, Math.round(3 * dpr));
        const a = pack(pal.nanA);
        const b = pack(pal.nanB);
        for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) sbuf[y * S + x] = ((x + y) / stripe) & 1 ? a : b;
        sctx.putImageData(simg, 0, 0);
      }
    }
  }

  // ---------------------------------------------------------------- interaction

  function cellAt(e: MouseEvent): Cell | null {
    const rect = canvas.getBoundingClientRect();
    if (!rect.width || !rect.height) return null;
    const col = Math.floor(((e.clientX - rect.left) / rect.width) * cols);
    const row = Math.floor(((e.clientY - rect.top) / rect.height) * rows);
    if (row < 0 || col < 0 || row >= rows || col >= cols) return null;
    return { row, col };
  }

  canvas.addEventListener('mousemove', (e) => {
    const c = cellAt(e);
    readout.textContent = c ? describe(c) : hint;
  });
  canvas.addEventListener('mouseleave', () => {
    readout.textContent = showCursor ? describe(cursor) : hint;
  });
  canvas.addEventListener('click', (e) => {
    const c = cellAt(e);
    if (c) moveTo(c);
  });
  canvas.addEventListener('focus', () => {
    showCursor = true;
    repaintCursor();
    readout.textContent = describe(cursor);
    live.textContent = describe(cursor);
  });
  canvas.addEventListener('blur', () => {
    showCursor = false;
    repaintCursor();
  });

  function moveTo(c: Cell): void {
    cursor = { row: Math.max(0, Math.min(rows - 1, c.row)), col: Math.max(0, Math.min(cols - 1, c.col)) };
    showCursor = true;
    repaintCursor();
    const text = describe(cursor);
    readout.textContent = text;
    live.textContent = text;
    canvas.dataset.cursor = `${cursor.row},${cursor.col}`;
  }

  canvas.addEventListener('keydown', (e) => {
    const page = Math.max(1, Math.round(rows / 8));
    const { row, col } = cursor;
    let next: Cell | null = null;
    switch (e.key) {
      case 'ArrowUp':
        next = { row: row - 1, col };
        break;
      case 'ArrowDown':
        next = { row: row + 1, col };
        break;
      case 'ArrowLeft':
        next = { row, col: col - 1 };
        break;
      case 'ArrowRight':
        next = { row, col: col + 1 };
        break;
      case 'PageUp':
        next = { row: row - page, col };
        break;
      case 'PageDown':
        next = { row: row + page, col };
        break;
      case 'Home':
        next = e.ctrlKey || e.metaKey ? { row: 0, col: 0 } : { row, col: 0 };
        break;
      case 'End':
        next = e.ctrlKey || e.metaKey ? { row: rows - 1, col: cols - 1 } : { row, col: cols - 1 };
        break;
    }
    if (!next) return;
    e.preventDefault();
    moveTo(next);
  });

  // Redraw on resize (and on a zoom, which changes devicePixelRatio and fires resize).
  let frameRequest = 0;
  let drawnFor = '';
  const schedule = () => {
    if (frameRequest) return;
    frameRequest = requestAnimationFrame(() => {
      frameRequest = 0;
      // Only a new width or pixel ratio needs a new image (a height change is our own doing).
      const key = `${element.clientWidth}@${window.devicePixelRatio}`;
      if (key === drawnFor) return;
      drawnFor = key;
      draw();
    });
  };
  const observer = new ResizeObserver(schedule);
  observer.observe(element);
  window.addEventListener('resize', schedule);

  return {
    element,
    redraw: draw,
    dispose() {
      observer.disconnect();
      window.removeEventListener('resize', schedule);
      if (frameRequest) cancelAnimationFrame(frameRequest);
    },
  };
}
