/**
 * The Statistics tab: per column a table of descriptive statistics (with
 * formulas), a histogram with the fitted normal curve and a box plot; for two
 * columns a scatter with the regression line and the test cards (t-tests,
 * Mann–Whitney U, p-values, intervals, Cohen's d) with their KaTeX formulas.
 * Every number is the host's; the webview maps them to pixels (the normal
 * curve is the host's mean and standard deviation drawn as a density scaled
 * to the histogram's counts).
 */
import type { DescribeView, StatisticsData, TestView } from '../../core/protocol';
import { append, h } from '../common/dom';
import { fmt } from '../matrix/format';
import { math } from '../common/math';
import { axes, chart, clipPolyline, plotBox, View, type Chart } from './chart';
import type { Item } from './scene';

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export interface StatsTab {
  element: HTMLElement;
  show(data: StatisticsData): void;
  redraw(): void;
  dispose(): void;
}

function histogramChart(col: DescribeView, i: number): Chart | null {
  const hist = col.histogram;
  const edges = Array.isArray(hist?.edges) ? hist.edges : [];
  const counts = Array.isArray(hist?.counts) ? hist.counts : [];
  if (edges.length < 2 || counts.length !== edges.length - 1 || !edges.every(finite)) return null;
  const x0 = edges[0]!;
  const x1 = edges[edges.length - 1]!;
  if (!(x1 > x0)) return null;
  const nrm = hist.normal && finite(hist.normal.mean) && finite(hist.normal.std) && hist.normal.std > 0 ? hist.normal : null;
  const total = counts.reduce((a, b) => a + (finite(b) ? b : 0), 0);
  const binW = (x1 - x0) / counts.length;
  const density = (x: number) => (nrm ? (total * binW * Math.exp(-(((x - nrm.mean) / nrm.std) ** 2) / 2)) / (nrm.std * Math.sqrt(2 * Math.PI)) : 0);
  const peak = nrm ? density(nrm.mean) : 0;
  const ymax = Math.max(1, ...counts.filter(finite), peak) * 1.08;
  return chart({
    testid: `stats-hist-${i}`,
    label: `Histogram of ${col.name}${nrm ? ' with the fitted normal curve' : ''}`,
    exportName: `mathlens-histogram-${i}`,
    aspect: 0.55,
    minH: 150,
    maxH: 280,
    base: (w, hh, pal) => {
      const v = new View(x0, x1, 0, ymax, plotBox(w, hh, { left: 36, bottom: 22 }));
      const bars: Item[] = counts.map((c, k) => {
        const a = v.px(edges[k]!);
        const b = v.px(edges[k + 1]!);
        const top = v.py(finite(c) ? c : 0);
        return { t: 'rect', x: a + 0.5, y: top, w: Math.max(0.5, b - a - 1), h: v.py(0) - top, fill: pal.blue, alpha: 0.75 };
      });
      const items: Item[] = [...axes(v, pal, { zeroLines: false }), ...bars];
      if (nrm) {
        const xy: number[] = [];
        const N = 160;
        for (let k = 0; k <= N; k++) {
          const x = x0 + ((x1 - x0) * k) / N;
          xy.push(x, density(x));
        }
        items.push({ t: 'path', lines: clipPolyline(v, xy), stroke: pal.orange, width: 2 });
      }
      return items;
    },
  });
}

function boxChart(col: DescribeView, i: number): Chart | null {
  const b = col.box;
  if (!b || ![b.q1, b.median, b.q3, b.whiskerLow, b.whiskerHigh].every(finite)) return null;
  const outliers = Array.isArray(b.outliers) ? b.outliers.filter(finite) : [];
  let lo = Math.min(b.whiskerLow, ...outliers);
  let hi = Math.max(b.whiskerHigh, ...outliers);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.06;
  return chart({
    testid: `stats-box-${i}`,
    label: `Box plot of ${col.name}`,
    exportName: `mathlens-boxplot-${i}`,
    aspect: 0.22,
    minH: 80,
    maxH: 110,
    base: (w, hh, pal) => {
      const v = new View(lo - pad, hi + pad, 0, 1, plotBox(w, hh, { left: 12, right: 12, top: 6, bottom: 22 }));
      const y = v.py(0.5);
      const half = v.box.h * 0.3;
      const items: Item[] = [...axes(v, pal, { yTicks: 0, zeroLines: false }).filter((it) => !(it.t === 'text' && it.align === 'right'))];
      items.push(
        { t: 'path', lines: [[v.px(b.whiskerLow), y, v.px(b.q1), y], [v.px(b.q3), y, v.px(b.whiskerHigh), y], [v.px(b.whiskerLow), y - half / 2, v.px(b.whiskerLow), y + half / 2], [v.px(b.whiskerHigh), y - half / 2, v.px(b.whiskerHigh), y + half / 2]], stroke: pal.fg, width: 1.5 },
        { t: 'rect', x: v.px(b.q1), y: y - half, w: v.px(b.q3) - v.px(b.q1), h: 2 * half, fill: pal.blue, alpha: 0.35 },
        { t: 'rect', x: v.px(b.q1), y: y - half, w: v.px(b.q3) - v.px(b.q1), h: 2 * half, stroke: pal.blue, width: 1.5 },
        { t: 'path', lines: [[v.px(b.median), y - half, v.px(b.median), y + half]], stroke: pal.orange, width: 2.5 },
      );
      for (const o of outliers) items.push({ t: 'circle', x: v.px(o), y, r: 3, stroke: pal.red, width: 1.5 });
      return items;
    },
  });
}

function scatterChart(pair: NonNullable<StatisticsData['pair']>): Chart | null {
  const pts = Array.isArray(pair.points) ? pair.points : [];
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k + 1 < pts.length; k += 2) {
    if (finite(pts[k]) && finite(pts[k + 1])) {
      xs.push(pts[k]!);
      ys.push(pts[k + 1]!);
    }
  }
  if (!xs.length) return null;
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (!(x1 > x0)) [x0, x1] = [x0 - 1, x1 + 1];
  if (!(y1 > y0)) [y0, y1] = [y0 - 1, y1 + 1];
  const px = (x1 - x0) * 0.06;
  const py = (y1 - y0) * 0.06;
  const reg = pair.regression && finite(pair.regression.slope) && finite(pair.regression.intercept) ? pair.regression : null;
  const [xn, yn] = Array.isArray(pair.names) ? pair.names : ['x', 'y'];
  return chart({
    testid: 'stats-scatter',
    label: `Scatter of ${yn} against ${xn}${reg ? ' with the regression line' : ''}`,
    exportName: 'mathlens-scatter',
    aspect: 0.75,
    minH: 180,
    maxH: 360,
    base: (w, hh, pal) => {
      const v = new View(x0 - px, x1 + px, y0 - py, y1 + py, plotBox(w, hh, { left: 44, bottom: 34 }));
      const items: Item[] = axes(v, pal, { xTitle: String(xn), yTitle: String(yn), zeroLines: false });
      const dots: Item[] = xs.map((x, k) => ({ t: 'circle', x: v.px(x), y: v.py(ys[k]!), r: 3, fill: pal.blue }));
      const inner: Item[] = [...dots];
      if (reg) {
        const line = [v.x0, reg.intercept + reg.slope * v.x0, v.x1, reg.intercept + reg.slope * v.x1];
        inner.push({ t: 'path', lines: clipPolyline(v, line), stroke: pal.orange, width: 2 });
      }
      items.push({ t: 'clip', x: v.box.left, y: v.box.top, w: v.box.w, h: v.box.h, items: inner });
      return items;
    },
  });
}

function table(rows: { label: string; value: string; latex?: string }[], testid: string): HTMLElement {
  return h(
    'table',
    { class: 'kv stats-table', testid },
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h('tr', {}, h('th', { attrs: { scope: 'row' } }, String(r.label)), h('td', { class: 'num' }, String(r.value)), h('td', { class: 'formula-cell' }, r.latex ? math(r.latex, false, { class: 'inline-formula' }) : null)),
      ),
    ),
  );
}

function testCard(t: TestView, i: number): HTMLElement {
  return h(
    'article',
    { class: 'test-card', testid: `stats-test-${i}` },
    h('h3', {}, t.title),
    table(Array.isArray(t.rows) ? t.rows : [], `stats-test-rows-${i}`),
    ...(Array.isArray(t.latex) ? t.latex : []).map((l, k) => math(l, true, { class: 'formula', testid: `stats-test-${i}-latex-${k}` })),
    t.note ? h('p', { class: 'note' }, t.note) : null,
  );
}

export function createStatsTab(): StatsTab {
  let charts: Chart[] = [];
  const element = h(
    'div',
    { class: 'stats-tab' },
    h('div', { class: 'empty', testid: 'stats-empty' }, h('p', {}, 'Select numbers in the editor (a list, a column of a table, or two columns) to describe them and compare them.')),
  );
  return {
    element,
    show(d) {
      charts.forEach((c) => c.dispose());
      charts = [];
      const cols = Array.isArray(d.columns) ? d.columns : [];
      const colNodes = cols.map((c, i) => {
        const hist = histogramChart(c, i);
        const box = boxChart(c, i);
        if (hist) charts.push(hist);
        if (box) charts.push(box);
        return h(
          'section',
          { class: 'stats-column', testid: `stats-column-${i}`, attrs: { 'aria-label': `Column ${c.name}` } },
          h('h2', {}, `${c.name} (n = ${c.n})`),
          table(Array.isArray(c.rows) ? c.rows : [], `stats-table-${i}`),
          hist ? h('h3', {}, 'Histogram', c.histogram.normal ? h('span', { class: 'muted' }, ' with the fitted normal curve') : null) : null,
          hist?.element,
          box ? h('h3', {}, 'Box plot') : null,
          box?.element,
        );
      });
      let pairNode: HTMLElement | null = null;
      if (d.pair) {
        const sc = scatterChart(d.pair);
        if (sc) charts.push(sc);
        const reg = d.pair.regression;
        const [xn, yn] = d.pair.names ?? ['x', 'y'];
        pairNode = h(
          'section',
          { class: 'stats-pair', testid: 'stats-pair', attrs: { 'aria-label': 'Two columns compared' } },
          h('h2', {}, `${yn} against ${xn}`),
          sc?.element,
          reg && finite(reg.slope) && finite(reg.intercept)
            ? h('p', { class: 'regression', testid: 'stats-regression' }, `Regression line: ${yn} = ${fmt(reg.slope, 4)} · ${xn} ${reg.intercept < 0 ? '−' : '+'} ${fmt(Math.abs(reg.intercept), 4)}, R² = ${fmt(reg.r2, 4)}`)
            : null,
          ...(Array.isArray(d.pair.tests) ? d.pair.tests : []).map(testCard),
        );
      }
      const src = d.source?.text;
      element.replaceChildren();
    append(element,
        typeof src === 'string' ? h('p', { class: 'source-line', testid: 'stats-source' }, h('code', {}, src.length > 200 ? `${src.slice(0, 200)}…` : src)) : null,
        ...colNodes,
        pairNode,
        Array.isArray(d.notes) && d.notes.length ? h('ul', { class: 'notes', testid: 'stats-notes' }, ...d.notes.map((n) => h('li', {}, n))) : null,
      );
      charts.forEach((c) => c.draw());
    },
    redraw() {
      charts.forEach((c) => c.draw());
    },
    dispose() {
      charts.forEach((c) => c.dispose());
    },
  };
}
