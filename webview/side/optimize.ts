/**
 * The Optimize tab: the gradient-descent playground. The heat map, contours
 * and gradient arrows are the chart's base layer, drawn once into an
 * offscreen canvas; an animation frame only copies it and draws the
 * trajectories up to the current step (and the loss chart's curves). The
 * start point is dragged (or moved with the arrow keys) and the controls
 * post `runOptimizers` (debounced); the host runs the optimisers.
 */
import type { OptimizeData, OptimizerName, OptimizerSettings, SideToExtension, Trajectory } from '../../core/protocol';
import { append, h } from '../common/dom';
import { fmt } from '../matrix/format';
import { mix, type RGB } from '../matrix/colors';
import { math } from '../common/math';
import { Requests } from './api';
import { axes, chart, clipPolyline, plotBox, View, type Chart } from './chart';
import type { SidePalette } from './palette';
import type { Item } from './scene';

export const RUN_DEBOUNCE_MS = 250;

const OPTIMIZERS: { name: OptimizerName; label: string }[] = [
  { name: 'gd', label: 'GD' },
  { name: 'momentum', label: 'Momentum' },
  { name: 'nesterov', label: 'Nesterov' },
  { name: 'adagrad', label: 'AdaGrad' },
  { name: 'rmsprop', label: 'RMSProp' },
  { name: 'adam', label: 'Adam' },
];

export interface OptimizeHost {
  post(msg: SideToExtension): void;
  saveOptimize(data: OptimizeData): void;
}

export interface OptimizeTab {
  element: HTMLElement;
  show(data: OptimizeData): void;
  trajectories(list: Trajectory[], settings: OptimizerSettings, requestId: number): void;
  redraw(): void;
  dispose(): void;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Points kept by a trajectory (a diverged run may stop early). */
function pointCount(t: Trajectory): number {
  return Array.isArray(t.points) ? Math.floor(t.points.length / 2) : 0;
}

/** The heat map's raster: one pixel per grid cell (the chart scales it, smoothed). */
function heatRaster(d: OptimizeData, pal: SidePalette): HTMLCanvasElement | null {
  const g = d.grid;
  const nx = Math.floor(g?.nx ?? 0);
  const ny = Math.floor(g?.ny ?? 0);
  if (nx < 1 || ny < 1 || !Array.isArray(g.values)) return null;
  const c = document.createElement('canvas');
  c.width = nx;
  c.height = ny;
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  const img = ctx.createImageData(nx, ny);
  const lo = finite(g.min) ? g.min : 0;
  const span = finite(g.max) && g.max > lo ? g.max - lo : 1;
  const LUT = 256;
  const lut: RGB[] = [];
  for (let k = 0; k < LUT; k++) lut.push(mix(pal.heatLow, pal.heatHigh, k / (LUT - 1)));
  const logk = Math.log(1000);
  for (let j = 0; j < ny; j++) {
    // Row j of the grid is y = ymin + j·dy: the bottom of the picture is row 0.
    const row = ny - 1 - j;
    for (let i = 0; i < nx; i++) {
      const v = g.values[j * nx + i];
      const o = (row * nx + i) * 4;
      if (!finite(v)) {
        img.data[o + 3] = 0;
        continue;
      }
      let u = Math.max(0, Math.min(1, (v - lo) / span));
      if (g.log) u = Math.log1p(999 * u) / logk;
      const col = lut[Math.round(u * (LUT - 1))]!;
      img.data[o] = col[0];
      img.data[o + 1] = col[1];
      img.data[o + 2] = col[2];
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

function arrowItems(view: View, arrows: readonly number[], color: string): Item[] {
  const shafts: number[][] = [];
  const heads: number[][] = [];
  for (let k = 0; k + 3 < arrows.length; k += 4) {
    const [x, y, u, v] = [arrows[k]!, arrows[k + 1]!, arrows[k + 2]!, arrows[k + 3]!];
    if (![x, y, u, v].every(finite)) continue;
    const x0 = view.px(x);
    const y0 = view.py(y);
    const x1 = view.px(x + u);
    const y1 = view.py(y + v);
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len < 1.5) continue;
    shafts.push([x0, y0, x1, y1]);
    const ux = (x1 - x0) / len;
    const uy = (y1 - y0) / len;
    const s = Math.min(5, len * 0.45);
    heads.push([x1 - ux * s - uy * s * 0.5, y1 - uy * s + ux * s * 0.5, x1, y1, x1 - ux * s + uy * s * 0.5, y1 - uy * s - ux * s * 0.5]);
  }
  return [
    { t: 'path', lines: shafts, stroke: color, width: 1, alpha: 0.55 },
    { t: 'path', lines: heads, stroke: color, width: 1, alpha: 0.55 },
  ];
}

function numberField(testid: string, label: string, value: number, attrs: Record<string, string>): HTMLElement & { value: string; invalid?: boolean } {
  return h('vscode-textfield', { testid, attrs: { value: String(value), 'aria-label': label, ...attrs } }) as HTMLElement & { value: string; invalid?: boolean };
}

function slider(testid: string, label: string, value: number, min: number, max: number, step: number): HTMLInputElement {
  return h('input', { class: 'slider', testid, attrs: { type: 'range', min: String(min), max: String(max), step: String(step), value: String(value), 'aria-label': label } });
}

export function createOptimizeTab(host: OptimizeHost): OptimizeTab {
  const runReq = new Requests();
  let data: OptimizeData | undefined;
  let step = 0;
  let playing = false;
  let raf = 0;
  let lastTime = 0;
  let acc = 0;
  let pendingStart: [number, number] | null = null;
  let runTimer: ReturnType<typeof setTimeout> | undefined;
  let heat: HTMLCanvasElement | null = null;
  let board: Chart | undefined;
  let loss: Chart | undefined;
  /** Frame times (ms) of the current/last animation: the over-layer draw of both charts. */
  let frameTimes: number[] = [];

  const element = h('div', { class: 'optimize-tab' });
  element.append(
    h(
      'div',
      { class: 'empty', testid: 'optimize-empty' },
      h('p', {}, 'Select an expression of two variables (for example ', h('code', {}, '(1 - x)**2 + 100*(y - x**2)**2'), ') or choose a preset to watch optimisers descend it.'),
    ),
  );

  // Controls, built once and refreshed from the settings.
  const preset = h('vscode-single-select', { testid: 'opt-preset', attrs: { 'aria-label': 'Objective' } }) as HTMLElement & { value: string };
  preset.addEventListener('change', () => {
    if (preset.value && preset.value !== data?.objective.key && preset.value !== 'selection') host.post({ type: 'preset', key: preset.value });
  });
  // A text field: vscode-textfield reads step="any" as NaN and would mark every learning rate invalid.
  const lr = numberField('opt-lr', 'Learning rate', 0.01, { inputmode: 'decimal', spellcheck: 'false' });
  const steps = numberField('opt-steps', 'Number of steps', 100, { type: 'number', min: '1', max: '100000', step: '1' });
  const momentum = slider('opt-momentum', 'Momentum', 0.9, 0, 0.99, 0.01);
  const beta1 = slider('opt-beta1', 'β1', 0.9, 0, 0.99, 0.01);
  const beta2 = slider('opt-beta2', 'β2', 0.999, 0.9, 0.9999, 0.0001);
  const outs = {
    momentum: h('output', { testid: 'opt-momentum-value' }),
    beta1: h('output', { testid: 'opt-beta1-value' }),
    beta2: h('output', { testid: 'opt-beta2-value' }),
  };
  const checks = new Map<OptimizerName, HTMLElement & { checked?: boolean }>();
  /** The adaptive methods' own learning rates (their η is a step length, on another scale than GD's). */
  const ADAPTIVE: readonly OptimizerName[] = ['adagrad', 'rmsprop', 'adam'];
  const ownLr = new Map<OptimizerName, HTMLElement & { value: string; invalid?: boolean }>();
  for (const o of OPTIMIZERS) {
    const cb = h('vscode-checkbox', { testid: `opt-enable-${o.name}`, attrs: { checked: '' } }, o.label) as HTMLElement & { checked?: boolean };
    checks.set(o.name, cb);
    cb.addEventListener('change', scheduleRun);
    if (ADAPTIVE.includes(o.name)) {
      const f = numberField(`opt-lr-${o.name}`, `Learning rate of ${o.label}`, 0.01, { inputmode: 'decimal', spellcheck: 'false', class: 'own-lr' });
      f.addEventListener('input', scheduleRun);
      ownLr.set(o.name, f);
    }
  }
  const formError = h('p', { class: 'form-error', testid: 'opt-form-error', attrs: { role: 'alert' } });
  for (const f of [lr, steps]) f.addEventListener('input', scheduleRun);
  for (const [s, key] of [
    [momentum, 'momentum'],
    [beta1, 'beta1'],
    [beta2, 'beta2'],
  ] as const) {
    s.addEventListener('input', () => {
      outs[key].textContent = s.value;
      scheduleRun();
    });
  }

  const play = h('vscode-button', { testid: 'opt-play', attrs: { 'aria-label': 'Play' } }, 'Play');
  const stepBtn = h('vscode-button', { testid: 'opt-step', attrs: { secondary: '', 'aria-label': 'One step' } }, 'Step');
  const reset = h('vscode-button', { testid: 'opt-reset', attrs: { secondary: '', 'aria-label': 'Back to step 0' } }, 'Reset');
  const scrub = h('input', { class: 'slider scrub', testid: 'opt-scrub', attrs: { type: 'range', min: '0', max: '0', step: '1', value: '0', 'aria-label': 'Step shown' } });
  const stepText = h('span', { class: 'step-text', testid: 'opt-step-text', attrs: { 'aria-live': 'off' } });
  play.addEventListener('click', () => (playing ? pause() : start()));
  stepBtn.addEventListener('click', () => {
    pause();
    setStep(Math.min(maxStep(), step + 1));
  });
  reset.addEventListener('click', () => {
    pause();
    setStep(0);
  });
  scrub.addEventListener('input', () => {
    pause();
    setStep(Number(scrub.value));
  });

  const status = h('ul', { class: 'traj-list', testid: 'opt-status' });
  const equations = h('div', { class: 'equations', testid: 'opt-equations' });

  function readSettings(): OptimizerSettings | null {
    const problems: string[] = [];
    const lrv = Number(lr.value);
    const okLr = lr.value.trim() !== '' && finite(lrv) && lrv > 0;
    lr.invalid = !okLr;
    if (!okLr) problems.push('The learning rate must be a positive number.');
    const n = Number(steps.value);
    const okN = Number.isInteger(n) && n >= 1 && n <= 100000;
    steps.invalid = !okN;
    if (!okN) problems.push('The number of steps must be a whole number from 1 to 100000.');
    const enabled = OPTIMIZERS.map((o) => o.name).filter((name) => checks.get(name)!.checked);
    const lrs: Partial<Record<OptimizerName, number>> = {};
    for (const [name, f] of ownLr) {
      const v = Number(f.value);
      const ok = f.value.trim() !== '' && finite(v) && v > 0;
      f.invalid = !ok;
      if (ok) lrs[name] = v;
      else problems.push(`The learning rate of ${OPTIMIZERS.find((o) => o.name === name)!.label} must be a positive number.`);
    }
    formError.textContent = problems.join(' ');
    if (problems.length || !data) return null;
    return {
      lr: lrv,
      lrs,
      momentum: Number(momentum.value),
      beta1: Number(beta1.value),
      beta2: Number(beta2.value),
      steps: n,
      start: pendingStart ?? data.settings.start,
      enabled,
    };
  }

  function scheduleRun(): void {
    if (runTimer !== undefined) clearTimeout(runTimer);
    runTimer = setTimeout(() => {
      runTimer = undefined;
      const settings = readSettings();
      if (settings) host.post({ type: 'runOptimizers', settings, requestId: runReq.next() });
    }, RUN_DEBOUNCE_MS);
  }

  function syncControls(s: OptimizerSettings): void {
    const set = (el: HTMLElement & { value: string }, v: number) => {
      if (document.activeElement !== el && finite(v)) el.value = String(v);
    };
    set(lr, s.lr);
    for (const [name, f] of ownLr) set(f, s.lrs?.[name] ?? s.lr);
    set(steps, s.steps);
    for (const [el, v, key] of [
      [momentum, s.momentum, 'momentum'],
      [beta1, s.beta1, 'beta1'],
      [beta2, s.beta2, 'beta2'],
    ] as const) {
      set(el, v);
      outs[key].textContent = el.value;
    }
    const enabled = Array.isArray(s.enabled) ? s.enabled : [];
    for (const [name, cb] of checks) cb.checked = enabled.includes(name);
  }

  function maxStep(): number {
    const ts = data?.trajectories ?? [];
    return Math.max(0, ...ts.map((t) => pointCount(t) - 1), 0);
  }

  function boardView(w: number, hh: number): View {
    const b = data!.objective.box;
    return new View(b.xmin, b.xmax, b.ymin, b.ymax, plotBox(w, hh, { left: 40, bottom: 22, top: 8, right: 8 }));
  }

  function baseItems(w: number, hh: number, pal: SidePalette): Item[] {
    const d = data!;
    const v = boardView(w, hh);
    const { left, top, w: bw, h: bh } = v.box;
    heat = heatRaster(d, pal);
    const inner: Item[] = [];
    if (heat) inner.push({ t: 'image', x: left, y: top, w: bw, h: bh, source: heat, smooth: true });
    const contourLines = (Array.isArray(d.contours) ? d.contours : []).flatMap((c) => (Array.isArray(c.lines) ? c.lines : []).flatMap((l) => clipPolyline(v, l)));
    if (contourLines.length) inner.push({ t: 'path', lines: contourLines, stroke: pal.fg, width: 0.8, alpha: 0.3 });
    inner.push(...arrowItems(v, Array.isArray(d.arrows) ? d.arrows : [], pal.fg));
    const m = d.objective.minimum;
    if (m && finite(m[0]) && finite(m[1])) {
      const x = v.px(m[0]);
      const y = v.py(m[1]);
      inner.push({ t: 'path', lines: [[x - 5, y, x + 5, y], [x, y - 5, x, y + 5]], stroke: pal.fg, width: 2 });
    }
    const [xn, yn] = Array.isArray(d.objective.variables) ? d.objective.variables : ['x', 'y'];
    return [{ t: 'clip', x: left, y: top, w: bw, h: bh, items: inner }, ...axes(v, pal, { zeroLines: false }), ...axisTitles(v, pal, xn, yn)];
  }

  function axisTitles(v: View, pal: SidePalette, xn: string, yn: string): Item[] {
    return [
      { t: 'text', x: v.box.left + v.box.w - 2, y: v.box.top + v.box.h - 4, text: String(xn), color: pal.fg, size: 11, align: 'right', baseline: 'bottom' },
      { t: 'text', x: v.box.left + 4, y: v.box.top + 4, text: String(yn), color: pal.fg, size: 11, baseline: 'top' },
    ];
  }

  function overItems(w: number, hh: number, pal: SidePalette): Item[] {
    const d = data!;
    const v = boardView(w, hh);
    const { left, top, w: bw, h: bh } = v.box;
    const inner: Item[] = [];
    for (const t of d.trajectories ?? []) {
      const color = pal.optimizer[t.name] ?? pal.fg;
      const n = pointCount(t);
      if (!n) continue;
      const k = Math.min(step, n - 1);
      const lines = clipPolyline(v, t.points.slice(0, 2 * (k + 1)));
      inner.push({ t: 'path', lines, stroke: color, width: 2 });
      const x = v.px(t.points[2 * k]!);
      const y = v.py(t.points[2 * k + 1]!);
      if (t.diverged && k >= n - 1) {
        inner.push({ t: 'path', lines: [[x - 6, y - 6, x + 6, y + 6], [x - 6, y + 6, x + 6, y - 6]], stroke: pal.red, width: 2.5 });
        const tx = Math.max(left + 4, Math.min(left + bw - 4, x));
        const ty = Math.max(top + 10, Math.min(top + bh - 10, y - 12));
        inner.push({ t: 'text', x: tx, y: ty, text: `${t.label} diverged`, color: pal.red, size: 11, bold: true, align: x > left + bw / 2 ? 'right' : 'left' });
      } else if (finite(x) && finite(y)) {
        inner.push({ t: 'circle', x, y, r: 4, fill: color, stroke: pal.background, width: 1.5 });
      }
    }
    const s = pendingStart ?? d.settings?.start;
    if (s && finite(s[0]) && finite(s[1])) inner.push({ t: 'circle', x: v.px(s[0]), y: v.py(s[1]), r: 6, stroke: pal.fg, width: 2 });
    return [{ t: 'clip', x: left - 8, y: top - 8, w: bw + 16, h: bh + 16, items: inner }];
  }

  // ---------------------------------------------------------------- the loss chart

  function lossRange(): { lo: number; hi: number; log: boolean } {
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of data?.trajectories ?? []) {
      for (const l of t.losses ?? []) {
        if (!finite(l)) continue;
        if (l < lo) lo = l;
        if (l > hi) hi = l;
      }
    }
    if (!(hi >= lo)) return { lo: 0, hi: 1, log: false };
    // Log scale when every loss is positive and they span more than two decades.
    if (lo > 0 && hi / lo > 100) return { lo, hi, log: true };
    if (hi === lo) return { lo: lo - 1, hi: hi + 1, log: false };
    const pad = (hi - lo) * 0.05;
    return { lo: lo - pad, hi: hi + pad, log: false };
  }

  function lossView(w: number, hh: number): View {
    const r = lossRange();
    return new View(0, Math.max(1, maxStep()), r.lo, r.hi, plotBox(w, hh, { left: 48, bottom: 30, top: 8, right: 10 }), r.log);
  }

  function lossOver(w: number, hh: number, pal: SidePalette): Item[] {
    const v = lossView(w, hh);
    const inner: Item[] = [];
    for (const t of data?.trajectories ?? []) {
      const ls = Array.isArray(t.losses) ? t.losses : [];
      const k = Math.min(step, ls.length - 1);
      if (k < 0) continue;
      const xy: number[] = [];
      for (let i = 0; i <= k; i++) xy.push(i, ls[i]!);
      inner.push({ t: 'path', lines: clipPolyline(v, xy), stroke: pal.optimizer[t.name] ?? pal.fg, width: 1.5 });
    }
    const x = v.px(step);
    inner.push({ t: 'path', lines: [[x, v.box.top, x, v.box.top + v.box.h]], stroke: pal.muted, width: 1, dash: [3, 3] });
    return [{ t: 'clip', x: v.box.left, y: v.box.top, w: v.box.w, h: v.box.h, items: inner }];
  }

  // ---------------------------------------------------------------- animation

  function setStep(k: number): void {
    step = Math.max(0, Math.min(maxStep(), Math.floor(k)));
    renderFrame();
  }

  function renderFrame(): void {
    const t0 = performance.now();
    board?.drawOver();
    loss?.drawOver();
    const dt = performance.now() - t0;
    if (playing) frameTimes.push(dt);
    scrub.value = String(step);
    stepText.textContent = `Step ${step} of ${maxStep()}`;
    if (board) board.canvas.dataset.step = String(step);
  }

  function stepsPerSecond(): number {
    return Math.max(30, maxStep() / 6);
  }

  function tick(now: number): void {
    if (!playing) return;
    const dt = lastTime ? Math.min(100, now - lastTime) : 16.7;
    lastTime = now;
    acc += (dt / 1000) * stepsPerSecond();
    const adv = Math.floor(acc);
    acc -= adv;
    if (adv > 0) step = Math.min(maxStep(), step + adv);
    renderFrame();
    if (board) board.canvas.dataset.frames = String(Number(board.canvas.dataset.frames ?? 0) + 1);
    if (step >= maxStep()) {
      pause();
      return;
    }
    raf = requestAnimationFrame(tick);
  }

  function start(): void {
    if (!data || maxStep() === 0) return;
    if (step >= maxStep()) step = 0;
    playing = true;
    frameTimes = [];
    lastTime = 0;
    acc = 0;
    play.textContent = 'Pause';
    play.setAttribute('aria-label', 'Pause');
    if (board) board.canvas.dataset.playing = 'true';
    raf = requestAnimationFrame(tick);
  }

  function pause(): void {
    if (raf) cancelAnimationFrame(raf);
    raf = 0;
    if (!playing) return;
    playing = false;
    play.textContent = 'Play';
    play.setAttribute('aria-label', 'Play');
    if (board) {
      board.canvas.dataset.playing = 'false';
      board.canvas.dataset.frameTimes = frameTimes.map((t) => t.toFixed(3)).join(',');
    }
  }

  // ---------------------------------------------------------------- the start point

  let handle: HTMLElement | undefined;
  function placeHandle(): void {
    if (!handle || !board || !data) return;
    const s = pendingStart ?? data.settings?.start;
    if (!s) return;
    const v = boardView(board.width(), board.height());
    handle.style.left = `${Math.max(v.box.left, Math.min(v.box.left + v.box.w, v.px(s[0])))}px`;
    handle.style.top = `${Math.max(v.box.top, Math.min(v.box.top + v.box.h, v.py(s[1])))}px`;
    handle.setAttribute('aria-valuetext', `start at (${fmt(s[0], 4)}, ${fmt(s[1], 4)})`);
  }

  function moveStart(x: number, y: number): void {
    if (!data) return;
    const b = data.objective.box;
    pendingStart = [Math.max(b.xmin, Math.min(b.xmax, x)), Math.max(b.ymin, Math.min(b.ymax, y))];
    placeHandle();
    board?.drawOver();
    scheduleRun();
  }

  function wireStart(c: Chart, hd: HTMLElement): void {
    let dragging = false;
    hd.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      hd.setPointerCapture(e.pointerId);
      dragging = true;
      hd.classList.add('dragging');
      pause();
    });
    hd.addEventListener('pointermove', (e) => {
      if (!dragging) return;
      const r = c.canvas.getBoundingClientRect();
      const v = boardView(c.width(), c.height());
      moveStart(v.dataX(e.clientX - r.left), v.dataY(e.clientY - r.top));
    });
    const end = () => {
      dragging = false;
      hd.classList.remove('dragging');
    };
    hd.addEventListener('pointerup', end);
    hd.addEventListener('pointercancel', end);
    hd.addEventListener('keydown', (e) => {
      if (!data) return;
      const s = pendingStart ?? data.settings.start;
      const b = data.objective.box;
      const f = e.shiftKey ? 0.1 : 0.02;
      const dx = (b.xmax - b.xmin) * f;
      const dy = (b.ymax - b.ymin) * f;
      const moves: Record<string, [number, number]> = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] };
      const m = moves[e.key];
      if (!m) return;
      e.preventDefault();
      pause();
      moveStart(s[0] + m[0], s[1] + m[1]);
    });
  }

  // ---------------------------------------------------------------- building

  function renderStatus(): void {
    const d = data!;
    status.replaceChildren(
      ...(d.trajectories ?? []).map((t) => {
        const ls = Array.isArray(t.losses) ? t.losses : [];
        const last = ls[ls.length - 1];
        const text = t.diverged
          ? `${t.label} diverged at step ${t.diverged.step}: ${t.diverged.reason}`
          : `${t.label}: loss ${fmt(last ?? null, 4)} after ${Math.max(0, pointCount(t) - 1)} steps`;
        return h(
          'li',
          { class: t.diverged ? 'diverged' : '', testid: `opt-traj-${t.name}` },
          h('span', { class: `swatch opt-${t.name}`, attrs: { 'aria-hidden': 'true' } }),
          h('span', { testid: t.diverged ? `opt-diverged-${t.name}` : undefined }, text),
        );
      }),
    );
    equations.replaceChildren(
      ...(d.trajectories ?? []).map((t) =>
        h('div', { class: 'equation' }, h('h3', {}, h('span', { class: `swatch opt-${t.name}`, attrs: { 'aria-hidden': 'true' } }), t.label), math(t.latex ?? '', true, { testid: `opt-eq-${t.name}`, class: 'formula' })),
      ),
    );
  }

  function build(d: OptimizeData): void {
    board?.dispose();
    loss?.dispose();
    const b = d.objective.box;
    const ratio = (b.ymax - b.ymin) / (b.xmax - b.xmin);
    board = chart({
      testid: 'opt-canvas',
      label: `Optimiser trajectories on ${d.objective.label}`,
      exportName: 'mathlens-optimizers',
      aspect: finite(ratio) ? Math.max(0.6, Math.min(1.2, ratio)) : 1,
      minH: 220,
      maxH: 520,
      base: baseItems,
      over: overItems,
      afterDraw: () => {
        if (!board || !data) return;
        const v = boardView(board.width(), board.height());
        board.canvas.dataset.view = JSON.stringify({ x0: v.x0, x1: v.x1, y0: v.y0, y1: v.y1, ...v.box });
        placeHandle();
      },
    });
    loss = chart({
      testid: 'loss-canvas',
      label: 'Loss against step',
      exportName: 'mathlens-loss',
      aspect: 0.5,
      minH: 150,
      maxH: 260,
      base: (w, hh, pal) => {
        const v = lossView(w, hh);
        return axes(v, pal, { xTitle: 'step', yTitle: v.logY ? 'loss (log)' : 'loss' });
      },
      over: lossOver,
    });
    loss.canvas.dataset.log = String(lossRange().log);
    handle = h('div', { class: 'point-handle start-handle', testid: 'opt-start', attrs: { tabindex: '0', role: 'slider', 'aria-label': 'Start point; drag it or use the arrow keys' } });
    board.stage.append(handle);
    wireStart(board, handle);

    preset.replaceChildren();
    const presets = Array.isArray(d.presets) ? d.presets : [];
    const options = d.objective.key === 'selection' || !presets.some((p) => p.key === d.objective.key) ? [{ key: d.objective.key, label: d.objective.label }, ...presets] : presets;
    for (const p of options) {
      const o = h('vscode-option', { attrs: { value: p.key } }, p.label);
      if (p.key === d.objective.key) o.setAttribute('selected', '');
      preset.append(o);
    }
    const [xn, yn] = d.objective.variables ?? ['x', 'y'];
    element.replaceChildren();
    append(element,
      h('h2', {}, 'Objective'),
      h('div', { class: 'toolbar' }, h('label', { class: 'field' }, h('span', {}, 'Preset'), preset)),
      math(`f(${xn}, ${yn}) = ${d.objective.latex}`, true, { testid: 'opt-objective', class: 'formula' }),
      h('div', { class: 'toolbar transport' }, play, stepBtn, reset, stepText),
      scrub,
      board.element,
      status,
      h('h2', {}, 'Settings'),
      h(
        'div',
        { class: 'controls' },
        h('label', { class: 'field' }, h('span', {}, 'learning rate η (GD, momentum, Nesterov)'), lr),
        h('label', { class: 'field' }, h('span', {}, 'steps'), steps),
        h('label', { class: 'field' }, h('span', {}, 'momentum μ '), momentum, outs.momentum),
        h('label', { class: 'field' }, h('span', {}, 'β₁'), beta1, outs.beta1),
        h('label', { class: 'field' }, h('span', {}, 'β₂'), beta2, outs.beta2),
      ),
      h(
        'div',
        { class: 'checks', attrs: { role: 'group', 'aria-label': 'Optimisers' } },
        ...OPTIMIZERS.map((o) => h('span', { class: `check opt-${o.name}` }, checks.get(o.name)!, ownLr.has(o.name) ? h('label', { class: 'own-lr-label' }, h('span', {}, 'η'), ownLr.get(o.name)!) : null)),
      ),
      formError,
      h('h2', {}, 'Loss'),
      loss.element,
      h('h2', {}, 'Update rules'),
      equations,
      Array.isArray(d.notes) && d.notes.length ? h('ul', { class: 'notes', testid: 'opt-notes' }, ...d.notes.map((n) => h('li', {}, n))) : null,
    );
  }

  function refresh(): void {
    renderStatus();
    scrub.max = String(maxStep());
    board?.draw();
    loss?.draw();
    if (loss) loss.canvas.dataset.log = String(lossRange().log);
    renderFrame();
    placeHandle();
  }

  return {
    element,
    show(d) {
      pause();
      runReq.invalidate();
      if (runTimer !== undefined) clearTimeout(runTimer);
      pendingStart = null;
      data = d;
      build(d);
      if (d.settings) syncControls(d.settings);
      step = maxStep();
      refresh();
    },
    trajectories(list, settings, id) {
      if (!data || !runReq.latest(id)) return;
      data = { ...data, trajectories: list, settings };
      if (pendingStart && settings?.start && settings.start[0] === pendingStart[0] && settings.start[1] === pendingStart[1]) pendingStart = null;
      if (settings) syncControls(settings);
      host.saveOptimize(data);
      step = playing ? Math.min(step, maxStep()) : maxStep();
      refresh();
    },
    redraw() {
      if (!data) return;
      board?.draw();
      loss?.draw();
      placeHandle();
    },
    dispose() {
      pause();
      board?.dispose();
      loss?.dispose();
      if (runTimer !== undefined) clearTimeout(runTimer);
    },
  };
}
