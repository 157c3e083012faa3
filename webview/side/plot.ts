/**
 * The Plot tab: f, f′ and optionally f″ from the host's samples (segments
 * already broken at poles and jumps, so nothing is ever drawn across an
 * asymptote), dashed asymptotes, kinks, a draggable point with its tangent,
 * zoom and pan (wheel, buttons, keys, drag) that ask the host for samples of
 * the new range while the old ones are shown scaled; and the activation
 * gallery.
 */
import type { GalleryItem, PlotData, PlotSamples, PointValues, SideToExtension } from '../../core/protocol';
import { append, h } from '../common/dom';
import { fmt } from '../matrix/format';
import { math } from '../common/math';
import { Requests, type SideUi } from './api';
import { axes, chart, clipPolyline, plotBox, View, type Chart } from './chart';
import type { SidePalette } from './palette';
import type { Item } from './scene';

export const SAMPLE_DEBOUNCE_MS = 150;
const ZOOM_STEP = 1.25;

export interface PlotHost {
  post(msg: SideToExtension): void;
  ui(): SideUi;
  setUi(patch: Partial<SideUi>): void;
  /** The plot data changed (new samples or point): save it. */
  savePlot(data: PlotData): void;
}

interface Range {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function finite(...xs: unknown[]): boolean {
  return xs.every((x) => typeof x === 'number' && Number.isFinite(x));
}

function defaultRange(s: PlotSamples): Range {
  let x0 = finite(s.xmin) ? s.xmin : -5;
  let x1 = finite(s.xmax) ? s.xmax : 5;
  if (!(x1 > x0)) [x0, x1] = [x0 - 1, x0 + 1];
  let [y0, y1] = Array.isArray(s.yRange) && finite(s.yRange[0], s.yRange[1]) ? s.yRange : [-1, 1];
  if (!(y1 > y0)) [y0, y1] = [y0 - 1, y0 + 1];
  const pad = (y1 - y0) * 0.06;
  return { x0, x1, y0: y0 - pad, y1: y1 + pad };
}

function segments(x: unknown): number[][] {
  return Array.isArray(x) ? x.filter((s): s is number[] => Array.isArray(s)) : [];
}

function nums(x: unknown): number[] {
  return Array.isArray(x) ? x.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)) : [];
}

/** Curves, asymptotes and kinks of samples in a view. */
function curveItems(view: View, s: PlotSamples, pal: SidePalette, showD2f: boolean, small = false): Item[] {
  const { left, top, w, h: hh } = view.box;
  const inner: Item[] = [];
  const asym = nums(s.asymptotes).map((a) => view.px(a)).filter((x) => x >= left && x <= left + w);
  if (asym.length) inner.push({ t: 'path', lines: asym.map((x) => [x, top, x, top + hh]), stroke: pal.muted, width: 1, dash: [4, 4] });
  const width = small ? 1.5 : 2;
  const curve = (segs: number[][], color: string) => {
    const lines = segs.flatMap((seg) => clipPolyline(view, seg));
    if (lines.length) inner.push({ t: 'path', lines, stroke: color, width });
  };
  curve(segments(s.df), pal.orange);
  if (showD2f && s.d2f) curve(segments(s.d2f), pal.purple);
  curve(segments(s.f), pal.blue);
  const kinks = nums(s.kinks).map((k) => view.px(k)).filter((x) => x >= left && x <= left + w);
  if (kinks.length) {
    inner.push({ t: 'path', lines: kinks.map((x) => [x, top, x, top + hh]), stroke: pal.red, width: 1, dash: [1, 3], alpha: 0.8 });
    inner.push({ t: 'path', lines: kinks.map((x) => [x - 4, top + hh, x, top + hh - 6, x + 4, top + hh]), fill: pal.red, close: true });
  }
  return [{ t: 'clip', x: left, y: top, w, h: hh, items: inner }];
}

export interface PlotTab {
  element: HTMLElement;
  /** A new plot; `restoring`: from the saved state (keep the saved zoom). */
  show(data: PlotData, restoring?: boolean): void;
  samples(samples: PlotSamples, requestId: number): void;
  point(point: PointValues, requestId: number): void;
  gallery(items: GalleryItem[]): void;
  redraw(): void;
  dispose(): void;
}

export function createPlotTab(host: PlotHost): PlotTab {
  const sampleReq = new Requests();
  const pointReq = new Requests();
  let data: PlotData | undefined;
  let range: Range | undefined;
  let dragX: number | null = null;
  let fnChart: Chart | undefined;
  let galleryCharts: Chart[] = [];
  let sampleTimer: ReturnType<typeof setTimeout> | undefined;
  let galleryAsked = false;

  const modeFunction = h('vscode-button', { testid: 'plot-mode-function', attrs: { 'aria-pressed': 'true' } }, 'Function');
  const modeGallery = h('vscode-button', { testid: 'plot-mode-gallery', attrs: { secondary: '', 'aria-pressed': 'false' } }, 'Activation gallery');
  const functionView = h('div', { class: 'plot-function', testid: 'plot-function' });
  const galleryView = h('div', { class: 'gallery', testid: 'gallery' });
  const element = h('div', { class: 'plot-tab' }, h('div', { class: 'segmented', attrs: { role: 'group', 'aria-label': 'What to show' } }, modeFunction, modeGallery), functionView, galleryView);

  function setMode(mode: 'function' | 'gallery', save = true): void {
    const gallery = mode === 'gallery';
    functionView.hidden = gallery;
    galleryView.hidden = !gallery;
    modeFunction.toggleAttribute('secondary', gallery);
    modeGallery.toggleAttribute('secondary', !gallery);
    modeFunction.setAttribute('aria-pressed', String(!gallery));
    modeGallery.setAttribute('aria-pressed', String(gallery));
    if (save) host.setUi({ plotMode: mode });
    if (gallery) {
      const items = host.ui().gallery;
      if (items && !galleryCharts.length) renderGallery(items);
      else if (!items && !galleryAsked) {
        galleryAsked = true;
        galleryView.replaceChildren(h('p', { class: 'muted', testid: 'gallery-loading' }, 'Loading the activations…'));
        host.post({ type: 'gallery' });
      }
      galleryCharts.forEach((c) => c.draw());
    } else {
      drawPlot();
    }
  }
  modeFunction.addEventListener('click', () => setMode('function'));
  modeGallery.addEventListener('click', () => setMode('gallery'));

  // ---------------------------------------------------------------- the function view

  const empty = () =>
    h(
      'div',
      { class: 'empty', testid: 'plot-empty' },
      h('p', {}, 'Select an expression of one variable in the editor (for example ', h('code', {}, 'x**2 * sin(x)'), ') to plot it with its derivatives.'),
    );
  functionView.append(empty());

  let valuesBody: HTMLElement | undefined;
  let live: HTMLElement | undefined;
  let handle: HTMLElement | undefined;
  let d2fBox: HTMLElement & { checked?: boolean } = h('vscode-checkbox');
  let d2fMath: HTMLElement | undefined;
  let legendD2f: HTMLElement | undefined;

  let lastView: View | undefined;
  /** Draws the function chart and records its view on the canvas (for tests and tools: data-view). */
  function drawPlot(): void {
    fnChart?.draw();
  }
  function recordView(): void {
    const v = lastView;
    if (v && fnChart) fnChart.canvas.dataset.view = JSON.stringify({ x0: v.x0, x1: v.x1, y0: v.y0, y1: v.y1, ...v.box });
  }

  function view(w: number, hh: number): View {
    const r = range!;
    return new View(r.x0, r.x1, r.y0, r.y1, plotBox(w, hh, { left: 44, bottom: 22 }));
  }

  function showD2f(): boolean {
    return !!host.ui().showD2f && !!data?.samples.d2f;
  }

  function tangentItems(v: View, pal: SidePalette): Item[] {
    const p = data?.point;
    const items: Item[] = [];
    const { left, top, w, h: hh } = v.box;
    if (dragX !== null) {
      const x = v.px(dragX);
      items.push({ t: 'path', lines: [[x, top, x, top + hh]], stroke: pal.green, width: 1, dash: [2, 3] });
    }
    if (p && finite(p.x, p.f)) {
      if (finite(p.df)) {
        const line = [v.x0, p.f! + p.df! * (v.x0 - p.x), v.x1, p.f! + p.df! * (v.x1 - p.x)];
        items.push({ t: 'path', lines: clipPolyline(v, line), stroke: pal.green, width: 1.5 });
      }
      const px = v.px(p.x);
      const py = v.py(p.f!);
      if (px >= left - 1 && px <= left + w + 1 && py >= top - 1 && py <= top + hh + 1) items.push({ t: 'circle', x: px, y: py, r: 5, fill: pal.green, stroke: pal.background, width: 2 });
    }
    return [{ t: 'clip', x: left, y: top, w, h: hh, items }];
  }

  function placeHandle(): void {
    if (!handle || !fnChart || !data || !range) return;
    const v = view(fnChart.width(), fnChart.height());
    const p = data.point;
    const ok = p && finite(p.x, p.f);
    const x = ok ? v.px(p.x) : NaN;
    const y = ok ? v.py(p.f!) : NaN;
    const inside = ok && x >= v.box.left && x <= v.box.left + v.box.w && y >= v.box.top && y <= v.box.top + v.box.h;
    handle.classList.toggle('offscreen', !inside);
    handle.style.left = `${inside ? x : v.box.left}px`;
    handle.style.top = `${inside ? y : v.box.top}px`;
    if (p && finite(p.x)) {
      handle.setAttribute('aria-valuenow', String(p.x));
      handle.setAttribute('aria-valuetext', `x = ${fmt(p.x, 4)}, f = ${fmt(p.f, 4)}, f′ = ${fmt(p.df, 4)}`);
    }
  }

  function renderValues(): void {
    if (!valuesBody || !data) return;
    const p = data.point ?? { x: NaN, f: null, df: null, d2f: null };
    const name = data.variable || 'x';
    const rows: [string, string, string][] = [
      [name, fmt(p.x, 6), 'value-x'],
      [`f(${name})`, p.f === null ? 'undefined' : fmt(p.f, 6), 'value-f'],
      [`f′(${name})`, p.df === null ? 'undefined' : fmt(p.df, 6), 'value-df'],
    ];
    if (showD2f() || p.d2f !== null) rows.push([`f″(${name})`, p.d2f === null ? 'undefined' : fmt(p.d2f, 6), 'value-d2f']);
    valuesBody.replaceChildren(...rows.map(([k, v, id]) => h('tr', {}, h('th', { attrs: { scope: 'row' } }, k), h('td', { testid: id }, v))));
    if (live) live.textContent = `At ${name} = ${fmt(p.x, 4)}: f = ${p.f === null ? 'undefined' : fmt(p.f, 4)}, slope ${p.df === null ? 'undefined' : fmt(p.df, 4)}.`;
  }

  function setRange(r: Range, ask: boolean): void {
    if (!(r.x1 > r.x0) || !(r.y1 > r.y0) || !finite(r.x0, r.x1, r.y0, r.y1)) return;
    if (r.x1 - r.x0 < 1e-9 * Math.max(1, Math.abs(r.x0)) || r.x1 - r.x0 > 1e9) return;
    range = r;
    host.setUi({ plotView: r });
    drawPlot();
    placeHandle();
    if (ask) {
      if (sampleTimer !== undefined) clearTimeout(sampleTimer);
      sampleTimer = setTimeout(() => {
        sampleTimer = undefined;
        if (!range) return;
        host.post({ type: 'samplePlot', xmin: range.x0, xmax: range.x1, requestId: sampleReq.next() });
      }, SAMPLE_DEBOUNCE_MS);
    }
  }

  function zoom(factor: number, cx?: number, cy?: number): void {
    if (!range) return;
    const r = range;
    const mx = cx ?? (r.x0 + r.x1) / 2;
    const my = cy ?? (r.y0 + r.y1) / 2;
    setRange({ x0: mx + (r.x0 - mx) * factor, x1: mx + (r.x1 - mx) * factor, y0: my + (r.y0 - my) * factor, y1: my + (r.y1 - my) * factor }, true);
  }

  function pan(fx: number, fy: number): void {
    if (!range) return;
    const r = range;
    const dx = (r.x1 - r.x0) * fx;
    const dy = (r.y1 - r.y0) * fy;
    setRange({ x0: r.x0 + dx, x1: r.x1 + dx, y0: r.y0 + dy, y1: r.y1 + dy }, dx !== 0);
  }

  let pointPending = false;
  let pointQueued: number | null = null;
  function askPoint(x: number): void {
    if (!finite(x)) return;
    // At most one request per animation frame while dragging; the latest x wins.
    pointQueued = x;
    if (pointPending) return;
    pointPending = true;
    requestAnimationFrame(() => {
      pointPending = false;
      if (pointQueued === null) return;
      host.post({ type: 'pointAt', x: pointQueued, requestId: pointReq.next() });
      pointQueued = null;
    });
  }

  function buildFunction(d: PlotData): void {
    fnChart?.dispose();
    const name = d.variable || 'x';
    const latex = d.latex ?? { f: '', df: '' };
    d2fMath = latex.d2f ? math(`f''(${name}) = ${latex.d2f}`, true, { testid: 'plot-latex-d2f', class: 'formula' }) : undefined;
    const formulas = h(
      'div',
      { class: 'formulas' },
      math(`f(${name}) = ${latex.f}`, true, { testid: 'plot-latex-f', class: 'formula' }),
      math(`f'(${name}) = ${latex.df}`, true, { testid: 'plot-latex-df', class: 'formula' }),
      d2fMath,
    );
    fnChart = chart({
      testid: 'plot-canvas',
      label: `Plot of f(${name}), f′ and the tangent`,
      exportName: 'mathlens-plot',
      aspect: 0.72,
      minH: 200,
      maxH: 420,
      canvasAttrs: {
        tabindex: '0',
        role: 'application',
        'aria-roledescription': 'plot',
        'aria-label': `Plot of f(${name}) and its derivatives. Arrow keys pan, plus and minus zoom, Home resets the view.`,
      },
      base: (w, hh, pal) => {
        const v = view(w, hh);
        lastView = v;
        return [...axes(v, pal), ...curveItems(v, data!.samples, pal, showD2f())];
      },
      over: (w, hh, pal) => tangentItems(view(w, hh), pal),
      afterDraw: () => {
        recordView();
        placeHandle();
      },
    });
    handle = h('div', {
      class: 'point-handle',
      testid: 'plot-point',
      attrs: { tabindex: '0', role: 'slider', 'aria-label': `The point on the curve (${name}); arrow keys move it`, 'aria-valuemin': '-1e308', 'aria-valuemax': '1e308' },
    });
    fnChart.stage.append(handle);
    wireInteraction(fnChart, handle);

    d2fBox = h('vscode-checkbox', { testid: 'plot-d2f' }, 'Show f″');
    if (host.ui().showD2f) d2fBox.setAttribute('checked', '');
    if (!d.samples.d2f) {
      d2fBox.setAttribute('disabled', '');
      d2fBox.title = 'No second derivative for this function.';
    }
    d2fBox.addEventListener('change', () => {
      host.setUi({ showD2f: !!d2fBox.checked });
      syncD2f();
      drawPlot();
      renderValues();
    });
    const zoomIn = h('vscode-button', { testid: 'plot-zoom-in', attrs: { secondary: '', 'aria-label': 'Zoom in', title: 'Zoom in (+)' } }, '+');
    const zoomOut = h('vscode-button', { testid: 'plot-zoom-out', attrs: { secondary: '', 'aria-label': 'Zoom out', title: 'Zoom out (−)' } }, '−');
    const reset = h('vscode-button', { testid: 'plot-reset', attrs: { secondary: '', title: 'Reset the view (Home)' } }, 'Reset view');
    zoomIn.addEventListener('click', () => zoom(1 / ZOOM_STEP));
    zoomOut.addEventListener('click', () => zoom(ZOOM_STEP));
    reset.addEventListener('click', () => resetView());

    legendD2f = h('span', { class: 'key d2f' }, 'f″');
    const legend = h('div', { class: 'legend', attrs: { 'aria-hidden': 'true' } }, h('span', { class: 'key f' }, 'f'), h('span', { class: 'key df' }, 'f′'), legendD2f, h('span', { class: 'key tangent' }, 'tangent'));
    valuesBody = h('tbody');
    live = h('div', { class: 'sr-only', testid: 'plot-live', attrs: { role: 'status', 'aria-live': 'polite' } });
    const src = d.source?.text;
    functionView.replaceChildren();
    append(functionView,
      h('h2', {}, 'Function'),
      typeof src === 'string' ? h('p', { class: 'source-line', testid: 'plot-source' }, h('code', {}, src)) : null,
      formulas,
      h('div', { class: 'toolbar' }, zoomIn, zoomOut, reset, d2fBox),
      legend,
      fnChart.element,
      h('table', { class: 'kv values', testid: 'plot-values', attrs: { 'aria-label': 'Values at the point' } }, valuesBody),
      live,
      Array.isArray(d.notes) && d.notes.length ? h('ul', { class: 'notes', testid: 'plot-notes' }, ...d.notes.map((n) => h('li', {}, n))) : null,
    );
    syncD2f();
  }

  function syncD2f(): void {
    const on = showD2f();
    if (d2fMath) d2fMath.hidden = !on;
    if (legendD2f) legendD2f.hidden = !on;
  }

  function resetView(): void {
    if (!data) return;
    setRange(defaultRange(data.samples), true);
  }

  function wireInteraction(c: Chart, hd: HTMLElement): void {
    const canvas = c.canvas;
    const local = (e: MouseEvent) => {
      const r = canvas.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top] as const;
    };
    canvas.addEventListener(
      'wheel',
      (e) => {
        if (!range) return;
        e.preventDefault();
        const [x, y] = local(e);
        const v = view(c.width(), c.height());
        zoom(Math.exp(Math.max(-1, Math.min(1, e.deltaY * 0.0015))), v.dataX(x), v.dataY(y));
      },
      { passive: false },
    );
    let panFrom: { x: number; y: number; r: Range } | null = null;
    canvas.addEventListener('pointerdown', (e) => {
      if (!range || e.button !== 0) return;
      canvas.setPointerCapture(e.pointerId);
      panFrom = { x: e.clientX, y: e.clientY, r: range };
      canvas.classList.add('panning');
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!panFrom) return;
      const v = view(c.width(), c.height());
      const dx = ((e.clientX - panFrom.x) / v.box.w) * (panFrom.r.x1 - panFrom.r.x0);
      const dy = ((e.clientY - panFrom.y) / v.box.h) * (panFrom.r.y1 - panFrom.r.y0);
      const r = panFrom.r;
      setRange({ x0: r.x0 - dx, x1: r.x1 - dx, y0: r.y0 + dy, y1: r.y1 + dy }, dx !== 0);
    });
    const endPan = () => {
      panFrom = null;
      canvas.classList.remove('panning');
    };
    canvas.addEventListener('pointerup', endPan);
    canvas.addEventListener('pointercancel', endPan);
    canvas.addEventListener('keydown', (e) => {
      switch (e.key) {
        case 'ArrowLeft':
          pan(-0.1, 0);
          break;
        case 'ArrowRight':
          pan(0.1, 0);
          break;
        case 'ArrowUp':
          pan(0, 0.1);
          break;
        case 'ArrowDown':
          pan(0, -0.1);
          break;
        case '+':
        case '=':
          zoom(1 / ZOOM_STEP);
          break;
        case '-':
        case '_':
          zoom(ZOOM_STEP);
          break;
        case 'Home':
          resetView();
          break;
        default:
          return;
      }
      e.preventDefault();
    });

    // The point: drag it, or focus it and use the arrow keys.
    let dragging = false;
    hd.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.stopPropagation();
      hd.setPointerCapture(e.pointerId);
      dragging = true;
      hd.classList.add('dragging');
    });
    hd.addEventListener('pointermove', (e) => {
      if (!dragging || !range) return;
      const [x] = local(e);
      const v = view(c.width(), c.height());
      const bx = Math.max(v.box.left, Math.min(v.box.left + v.box.w, x));
      dragX = v.dataX(bx);
      c.drawOver();
      askPoint(dragX);
    });
    const endDrag = () => {
      if (!dragging) return;
      dragging = false;
      hd.classList.remove('dragging');
      dragX = null;
      c.drawOver();
    };
    hd.addEventListener('pointerup', endDrag);
    hd.addEventListener('pointercancel', endDrag);
    hd.addEventListener('keydown', (e) => {
      if (!range || !data) return;
      const step = (range.x1 - range.x0) / (e.key === 'PageUp' || e.key === 'PageDown' ? 10 : 100);
      const x = finite(data.point?.x) ? data.point.x : (range.x0 + range.x1) / 2;
      let next: number | null = null;
      if (e.key === 'ArrowRight' || e.key === 'ArrowUp' || e.key === 'PageUp') next = x + step;
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown' || e.key === 'PageDown') next = x - step;
      if (next === null) return;
      e.preventDefault();
      host.post({ type: 'pointAt', x: next, requestId: pointReq.next() });
    });
  }

  // ---------------------------------------------------------------- the gallery

  function renderGallery(items: GalleryItem[]): void {
    galleryCharts.forEach((c) => c.dispose());
    galleryCharts = [];
    const cards = items.map((it, i) => {
      const s = it.samples;
      const r = defaultRange(s);
      const sat = Array.isArray(it.saturates) ? it.saturates.filter((z) => z && (finite(z.from) || finite(z.to))) : [];
      const c = chart({
        testid: `gallery-canvas-${i}`,
        label: `${it.name} and its derivative`,
        exportName: `mathlens-${String(it.name).replace(/[^\w-]+/g, '-').toLowerCase()}`,
        aspect: 0.62,
        minH: 110,
        maxH: 220,
        exportable: false,
        base: (w, hh, pal) => {
          const v = new View(r.x0, r.x1, r.y0, r.y1, plotBox(w, hh, { left: 30, bottom: 18, top: 6, right: 6 }));
          const shade: Item[] = sat.map((z) => {
            const a = Math.max(v.box.left, finite(z.from) ? v.px(z.from) : v.box.left);
            const b = Math.min(v.box.left + v.box.w, finite(z.to) ? v.px(z.to) : v.box.left + v.box.w);
            return { t: 'rect', x: a, y: v.box.top, w: Math.max(0, b - a), h: v.box.h, fill: pal.yellow, alpha: 0.14 };
          });
          return [...shade, ...axes(v, pal, { xTicks: 4, yTicks: 3 }), ...curveItems(v, s, pal, false, true)];
        },
      });
      galleryCharts.push(c);
      // An interval reaching the end of the sampled range is open on that side.
      const lowEnd = (z: { from: number }) => !finite(z.from) || z.from <= r.x0;
      const highEnd = (z: { to: number }) => !finite(z.to) || z.to >= r.x1;
      const interval = (z: { from: number; to: number }) =>
        lowEnd(z) && highEnd(z) ? 'every x shown' : lowEnd(z) ? `x < ${fmt(z.to, 3)}` : highEnd(z) ? `x > ${fmt(z.from, 3)}` : `${fmt(z.from, 3)} < x < ${fmt(z.to, 3)}`;
      const satText = sat.length
        ? `Saturates (|f′| < 0.01) for ${sat.map(interval).join(' and ')}: gradients vanish there.`
        : 'Does not saturate: |f′| ≥ 0.01 everywhere shown.';
      return h(
        'article',
        { class: 'gallery-item', testid: 'gallery-item' },
        h('h3', {}, it.name),
        c.element,
        math(`f(x) = ${it.latex?.f ?? ''}`, true, { class: 'formula small', testid: `gallery-f-${i}` }),
        math(`f'(x) = ${it.latex?.df ?? ''}`, true, { class: 'formula small', testid: `gallery-df-${i}` }),
        h('p', { class: 'saturation', testid: `gallery-saturation-${i}` }, satText),
        it.note ? h('p', { class: 'note' }, it.note) : null,
      );
    });
    galleryView.replaceChildren(
      h('h2', {}, 'Activation functions'),
      h('div', { class: 'legend', attrs: { 'aria-hidden': 'true' } }, h('span', { class: 'key f' }, 'f'), h('span', { class: 'key df' }, 'f′'), h('span', { class: 'key saturated' }, 'saturated')),
      h('div', { class: 'gallery-grid' }, ...cards),
    );
    if (!galleryView.hidden) galleryCharts.forEach((c) => c.draw());
  }

  // ---------------------------------------------------------------- messages

  setMode(host.ui().plotMode ?? 'function', false);

  return {
    element,
    show(d, restoring = false) {
      const saved = host.ui().plotView;
      const same = data !== undefined && data.source?.text === d.source?.text && data.variable === d.variable;
      data = d;
      sampleReq.invalidate();
      pointReq.invalidate();
      if (restoring && saved) range = saved;
      else if (!same || !range) {
        range = defaultRange(d.samples);
        host.setUi({ plotView: undefined });
      }
      buildFunction(d);
      if (!functionView.hidden) drawPlot();
      placeHandle();
      renderValues();
    },
    samples(s, id) {
      if (!data || !sampleReq.latest(id)) return;
      data = { ...data, samples: s };
      host.savePlot(data);
      drawPlot();
      placeHandle();
    },
    point(p, id) {
      if (!data || !pointReq.newer(id)) return;
      data = { ...data, point: p };
      host.savePlot(data);
      fnChart?.drawOver();
      placeHandle();
      renderValues();
    },
    gallery(items) {
      host.setUi({ gallery: items });
      renderGallery(items);
    },
    redraw() {
      if (!functionView.hidden) drawPlot();
      placeHandle();
      if (!galleryView.hidden) galleryCharts.forEach((c) => c.draw());
    },
    dispose() {
      fnChart?.dispose();
      galleryCharts.forEach((c) => c.dispose());
      if (sampleTimer !== undefined) clearTimeout(sampleTimer);
    },
  };
}
