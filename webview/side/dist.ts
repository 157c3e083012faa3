/**
 * The Distributions tab: a distribution select and one slider per parameter
 * (their ranges come from the host's DistributionData.params), the PDF (a
 * curve) or PMF (bars) and the CDF (a curve, or steps for a discrete one),
 * the mean and variance; and the Bayes' rule calculator with its picture: a
 * unit square split by the prior, each column filled to its likelihood, the
 * posterior region highlighted.
 */
import type { BayesData, DistributionData, DistributionName, SideToExtension } from '../../core/protocol';
import { append, h } from '../common/dom';
import { fmt } from '../matrix/format';
import { math } from '../common/math';
import { Requests, type SideUi } from './api';
import { axes, chart, clipPolyline, plotBox, View } from './chart';
import type { Item } from './scene';

export const DIST_DEBOUNCE_MS = 120;

const DISTRIBUTIONS: { name: DistributionName; label: string }[] = [
  { name: 'normal', label: 'Normal' },
  { name: 'uniform', label: 'Uniform' },
  { name: 'binomial', label: 'Binomial' },
  { name: 'poisson', label: 'Poisson' },
  { name: 'bernoulli', label: 'Bernoulli' },
  { name: 'beta', label: 'Beta' },
  { name: 'gamma', label: 'Gamma' },
  { name: 'exponential', label: 'Exponential' },
  { name: 't', label: 'Student t' },
];

const DEFAULT_BAYES = { prior: 0.01, likelihood: 0.9, likelihoodNot: 0.05 };

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export interface DistHost {
  post(msg: SideToExtension): void;
  ui(): SideUi;
  setUi(patch: Partial<SideUi>): void;
  saveDistribution(d: DistributionData): void;
  saveBayes(b: BayesData): void;
}

export interface DistTab {
  element: HTMLElement;
  distribution(d: DistributionData, requestId: number): void;
  bayes(b: BayesData, requestId: number): void;
  /** The tab was shown: ask for a first distribution and Bayes result when there are none. */
  shown(): void;
  redraw(): void;
  dispose(): void;
}

export function createDistTab(host: DistHost): DistTab {
  const distReq = new Requests();
  const bayesReq = new Requests();
  let dist: DistributionData | undefined;
  let bayesData: BayesData | undefined;
  let distTimer: ReturnType<typeof setTimeout> | undefined;
  let bayesTimer: ReturnType<typeof setTimeout> | undefined;

  // ---------------------------------------------------------------- distribution

  const select = h('vscode-single-select', { testid: 'dist-select', attrs: { 'aria-label': 'Distribution' } }) as HTMLElement & { value: string };
  for (const d of DISTRIBUTIONS) select.append(h('vscode-option', { attrs: { value: d.name } }, d.label));
  const sliders = h('div', { class: 'controls', testid: 'dist-params' });
  const moments = h('p', { class: 'moments', testid: 'dist-moments' });
  const error = h('p', { class: 'form-error', testid: 'dist-error', attrs: { role: 'alert' } });
  const formulas = h('div', { class: 'formulas', testid: 'dist-formulas' });
  const pdfTitle = h('h3', {}, 'PDF');

  const pdfChart = chart({
    testid: 'dist-pdf',
    label: 'Probability density or mass',
    exportName: 'mathlens-distribution-pdf',
    aspect: 0.55,
    minH: 150,
    maxH: 280,
    base: (w, hh, pal) => {
      if (!dist) return [];
      const xs = dist.x ?? [];
      const ys = dist.pdf ?? [];
      const { x0, x1 } = xRange(dist);
      const top = Math.max(1e-9, ...ys.filter(finite)) * 1.08;
      const v = new View(x0, x1, 0, top, plotBox(w, hh, { left: 44, bottom: 22 }));
      const items: Item[] = axes(v, pal, { zeroLines: false });
      if (dist.discrete) {
        const bw = Math.max(1, Math.min(18, (v.box.w / Math.max(1, xs.length)) * 0.7));
        for (let k = 0; k < xs.length; k++) {
          if (!finite(xs[k]) || !finite(ys[k])) continue;
          const x = v.px(xs[k]!);
          const y = v.py(ys[k]!);
          items.push({ t: 'rect', x: x - bw / 2, y, w: bw, h: v.py(0) - y, fill: pal.blue, alpha: 0.85 });
        }
      } else {
        const xy = xs.flatMap((x, k) => [x, ys[k] ?? NaN]);
        const lines = clipPolyline(v, xy);
        const fill = lines.map((l) => [l[0]!, v.py(0), ...l, l[l.length - 2]!, v.py(0)]);
        items.push({ t: 'path', lines: fill, fill: pal.blue, alpha: 0.18, close: true }, { t: 'path', lines, stroke: pal.blue, width: 2 });
      }
      if (finite(dist.mean)) {
        const x = v.px(dist.mean);
        items.push({ t: 'path', lines: [[x, v.box.top, x, v.box.top + v.box.h]], stroke: pal.orange, width: 1.5, dash: [4, 3] });
        items.push({ t: 'text', x: x + 4, y: v.box.top + 8, text: 'mean', color: pal.orange, size: 10 });
      }
      return items;
    },
  });
  const cdfChart = chart({
    testid: 'dist-cdf',
    label: 'Cumulative distribution function',
    exportName: 'mathlens-distribution-cdf',
    aspect: 0.45,
    minH: 120,
    maxH: 240,
    base: (w, hh, pal) => {
      if (!dist) return [];
      const xs = dist.x ?? [];
      const cs = dist.cdf ?? [];
      const { x0, x1 } = xRange(dist);
      const v = new View(x0, x1, 0, 1.05, plotBox(w, hh, { left: 44, bottom: 22 }));
      const items: Item[] = axes(v, pal, { zeroLines: false });
      let xy: number[];
      if (dist.discrete) {
        // A step function: flat from each integer to the next.
        xy = [];
        for (let k = 0; k < xs.length; k++) {
          const next = k + 1 < xs.length ? xs[k + 1]! : x1;
          xy.push(xs[k]!, cs[k] ?? NaN, next, cs[k] ?? NaN);
        }
      } else {
        xy = xs.flatMap((x, k) => [x, cs[k] ?? NaN]);
      }
      items.push({ t: 'path', lines: clipPolyline(v, xy), stroke: pal.green, width: 2 });
      return items;
    },
  });

  function xRange(d: DistributionData): { x0: number; x1: number } {
    const xs = (d.x ?? []).filter(finite);
    let x0 = xs.length ? Math.min(...xs) : 0;
    let x1 = xs.length ? Math.max(...xs) : 1;
    if (d.discrete) {
      x0 -= 0.5;
      x1 += 0.5;
    }
    if (!(x1 > x0)) [x0, x1] = [x0 - 1, x1 + 1];
    return { x0, x1 };
  }

  function currentParams(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const input of sliders.querySelectorAll<HTMLInputElement>('input[data-key]')) {
      const v = Number(input.value);
      if (finite(v)) out[input.dataset.key!] = v;
    }
    return out;
  }

  function askDistribution(name: DistributionName, params: Record<string, number>): void {
    host.post({ type: 'distribution', name, params, requestId: distReq.next() });
  }

  function scheduleDistribution(): void {
    if (distTimer !== undefined) clearTimeout(distTimer);
    distTimer = setTimeout(() => {
      distTimer = undefined;
      if (!dist) return;
      const params = currentParams();
      host.setUi({ distParams: { ...(host.ui().distParams ?? {}), [dist.name]: params } });
      askDistribution(dist.name, params);
    }, DIST_DEBOUNCE_MS);
  }

  select.addEventListener('change', () => {
    const name = select.value as DistributionName;
    if (!DISTRIBUTIONS.some((d) => d.name === name) || name === dist?.name) return;
    // Parameters used last time for this distribution, else the host's defaults.
    askDistribution(name, host.ui().distParams?.[name] ?? {});
  });

  function renderSliders(d: DistributionData): void {
    const params = Array.isArray(d.params) ? d.params : [];
    sliders.replaceChildren(
      ...params.map((p) => {
        const id = `dist-param-${p.key}`;
        const input = h('input', {
          class: 'slider',
          testid: id,
          attrs: { id, type: 'range', min: String(p.min), max: String(p.max), step: String(p.integer ? Math.max(1, Math.round(p.step)) : p.step), value: String(p.value), 'aria-label': String(p.label) },
        });
        input.dataset.key = p.key;
        const out = h('output', { testid: `${id}-value`, attrs: { for: id } }, fmt(p.value, 4));
        input.addEventListener('input', () => {
          out.textContent = fmt(Number(input.value), 4);
          scheduleDistribution();
        });
        return h('label', { class: 'field' }, h('span', {}, String(p.label)), input, out);
      }),
    );
  }

  function showDistribution(d: DistributionData): void {
    dist = d;
    distLoading.hidden = true;
    distBody.hidden = false;
    (select as HTMLElement & { value: string }).value = d.name;
    // Keep the slider the user is dragging; rebuild when the parameter set changes.
    const keys = (Array.isArray(d.params) ? d.params : []).map((p) => p.key).join(',');
    if (sliders.dataset.keys !== `${d.name}:${keys}`) {
      renderSliders(d);
      sliders.dataset.keys = `${d.name}:${keys}`;
    }
    pdfTitle.textContent = d.discrete ? 'PMF' : 'PDF';
    formulas.replaceChildren();
    append(formulas,
      math(`${d.discrete ? 'P(X = k)' : 'f(x)'} = ${d.latex?.pdf ?? ''}`, true, { class: 'formula', testid: 'dist-latex-pdf' }),
      d.latex?.cdf ? math(`F(x) = ${d.latex.cdf}`, true, { class: 'formula', testid: 'dist-latex-cdf' }) : null,
    );
    moments.replaceChildren(
      h('span', { testid: 'dist-mean' }, `mean ${d.mean === null ? 'undefined' : fmt(d.mean, 5)}`),
      ', ',
      h('span', { testid: 'dist-variance' }, `variance ${d.variance === null ? 'undefined' : d.variance === Infinity ? '∞' : fmt(d.variance, 5)}`),
    );
    error.textContent = d.error ?? '';
    pdfChart.draw();
    cdfChart.draw();
  }

  // ---------------------------------------------------------------- Bayes

  const bayesInputs = {
    prior: bayesField('bayes-prior', 'Prior P(H)', DEFAULT_BAYES.prior),
    likelihood: bayesField('bayes-likelihood', 'Likelihood P(E | H)', DEFAULT_BAYES.likelihood),
    likelihoodNot: bayesField('bayes-likelihood-not', 'P(E | not H)', DEFAULT_BAYES.likelihoodNot),
  };
  const bayesOut = h('p', { class: 'bayes-result', testid: 'bayes-result', attrs: { role: 'status', 'aria-live': 'polite' } });
  const bayesLatex = h('div', { class: 'formulas', testid: 'bayes-latex' });

  function bayesField(testid: string, label: string, value: number): { range: HTMLInputElement; num: HTMLElement & { value: string; invalid?: boolean }; node: HTMLElement } {
    const range = h('input', { class: 'slider', testid: `${testid}-range`, attrs: { type: 'range', min: '0', max: '1', step: '0.001', value: String(value), 'aria-label': label } });
    const num = h('vscode-textfield', { testid, attrs: { type: 'number', min: '0', max: '1', step: '0.001', value: String(value), 'aria-label': label } }) as HTMLElement & { value: string; invalid?: boolean };
    range.addEventListener('input', () => {
      num.value = range.value;
      num.invalid = false;
      scheduleBayes();
    });
    num.addEventListener('input', () => {
      const v = Number(num.value);
      const ok = num.value.trim() !== '' && finite(v) && v >= 0 && v <= 1;
      num.invalid = !ok;
      if (ok) range.value = String(v);
      scheduleBayes();
    });
    return { range, num, node: h('label', { class: 'field' }, h('span', {}, label), range, num) };
  }

  function scheduleBayes(): void {
    if (bayesTimer !== undefined) clearTimeout(bayesTimer);
    bayesTimer = setTimeout(() => {
      bayesTimer = undefined;
      const vals = [bayesInputs.prior, bayesInputs.likelihood, bayesInputs.likelihoodNot].map((f) => Number(f.num.value));
      if (!vals.every((v) => finite(v) && v >= 0 && v <= 1)) return;
      host.post({ type: 'bayes', prior: vals[0]!, likelihood: vals[1]!, likelihoodNot: vals[2]!, requestId: bayesReq.next() });
    }, DIST_DEBOUNCE_MS);
  }

  const bayesChart = chart({
    testid: 'bayes-canvas',
    label: "Bayes' rule as areas of a unit square",
    exportName: 'mathlens-bayes',
    aspect: 0.7,
    minH: 160,
    maxH: 300,
    base: (w, hh, pal) => {
      if (!bayesData) return [];
      const b = bayesData;
      const side = Math.min(w - 20, hh - 40);
      const left = (w - side) / 2;
      const top = 8;
      const pw = side * Math.max(0, Math.min(1, b.prior));
      const lh = side * Math.max(0, Math.min(1, b.likelihood));
      const ln = side * Math.max(0, Math.min(1, b.likelihoodNot));
      const items: Item[] = [
        { t: 'rect', x: left, y: top, w: side, h: side, fill: pal.grid },
        // E and not H: the right column up to P(E|¬H).
        { t: 'rect', x: left + pw, y: top + side - ln, w: side - pw, h: ln, fill: pal.orange, alpha: 0.55 },
        // E and H (the posterior's numerator): the left column up to P(E|H).
        { t: 'rect', x: left, y: top + side - lh, w: pw, h: lh, fill: pal.green, alpha: 0.9 },
        { t: 'rect', x: left, y: top, w: side, h: side, stroke: pal.axis, width: 1 },
        { t: 'path', lines: [[left + pw, top, left + pw, top + side]], stroke: pal.fg, width: 1.5 },
        { t: 'text', x: left + pw / 2, y: top + side + 6, text: `H (${fmt(b.prior, 3)})`, color: pal.fg, size: 10, align: 'center', baseline: 'top' },
        { t: 'text', x: left + pw + (side - pw) / 2, y: top + side + 6, text: `not H (${fmt(1 - b.prior, 3)})`, color: pal.fg, size: 10, align: 'center', baseline: 'top' },
      ];
      return items;
    },
  });

  function showBayes(b: BayesData): void {
    bayesData = b;
    bayesChart.element.hidden = false;
    for (const [key, f] of Object.entries(bayesInputs) as [keyof typeof bayesInputs, (typeof bayesInputs)['prior']][]) {
      const v = b[key];
      if (finite(v) && document.activeElement !== f.num && document.activeElement !== f.range) {
        f.num.value = String(v);
        f.range.value = String(v);
      }
    }
    bayesOut.textContent = `Evidence P(E) = ${fmt(b.evidence, 4)}; posterior P(H | E) = ${fmt(b.posterior, 4)}: the green area as a share of all the coloured area.`;
    bayesLatex.replaceChildren(math(b.latex ?? '', true, { class: 'formula', testid: 'bayes-formula' }));
    bayesChart.draw();
  }

  // Charts stay hidden until there is something to draw.
  const distLoading = h('p', { class: 'muted', testid: 'dist-loading' }, 'Loading the distribution…');
  const distBody = h('div', {}, sliders, error, formulas, moments, pdfTitle, pdfChart.element, h('h3', {}, 'CDF'), cdfChart.element);
  distBody.hidden = true;
  bayesChart.element.hidden = true;
  const element = h(
    'div',
    { class: 'dist-tab' },
    h('h2', {}, 'Distribution'),
    h('div', { class: 'toolbar' }, h('label', { class: 'field' }, h('span', {}, 'Distribution'), select)),
    distLoading,
    distBody,
    h('h2', {}, "Bayes' rule"),
    h('div', { class: 'controls bayes-controls' }, bayesInputs.prior.node, bayesInputs.likelihood.node, bayesInputs.likelihoodNot.node),
    bayesChart.element,
    h('div', { class: 'legend', attrs: { 'aria-hidden': 'true' } }, h('span', { class: 'key eh' }, 'E and H'), h('span', { class: 'key enh' }, 'E and not H')),
    bayesOut,
    bayesLatex,
  );

  return {
    element,
    distribution(d, id) {
      if (!distReq.latest(id)) return;
      host.saveDistribution(d);
      showDistribution(d);
    },
    bayes(b, id) {
      if (!bayesReq.latest(id)) return;
      host.saveBayes(b);
      showBayes(b);
    },
    shown() {
      if (!dist) askDistribution('normal', host.ui().distParams?.normal ?? {});
      if (!bayesData) host.post({ type: 'bayes', ...DEFAULT_BAYES, requestId: bayesReq.next() });
      pdfChart.draw();
      cdfChart.draw();
      bayesChart.draw();
    },
    redraw() {
      pdfChart.draw();
      cdfChart.draw();
      bayesChart.draw();
    },
    dispose() {
      if (distTimer !== undefined) clearTimeout(distTimer);
      if (bayesTimer !== undefined) clearTimeout(bayesTimer);
      pdfChart.dispose();
      cdfChart.dispose();
      bayesChart.dispose();
    },
  };
}
