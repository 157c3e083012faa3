/**
 * The side view's host-side session (pure: no `vscode`): what a selection is (a function of one
 * variable, an objective of two, or data; read by core/reading.ts, the reading every command uses,
 * so a module name is never a variable and a selection that is not an expression of numbers, such
 * as `plt.plot(x, y)`, is not plotted but says why), and the messages of each tab, built from the engines
 * (core/explore for Plot and Optimize, core/stats for Statistics and Distributions). The session keeps
 * the current function and objective so the webview's follow-up requests (a zoomed range, a point,
 * trajectories for new settings) are answered without parsing again. Never throws.
 */
import { parseMatrixText } from './linalg/parse';
import type { Lang } from './parse/types';
import { activationGallery, functionPlot, type FunctionPlotOk, playground, pointAt, samplePlot, trajectories, type Objective2dOk } from './explore/index';
import type { GalleryItem, OptimizeData, OptimizerSettings, PlotData, PlotSamples, PointValues, Trajectory } from './explore/types';
import type { SelectionRef } from './position';
import type { BayesData, DistributionData, DistributionName, StatisticsData } from './stats/view';
import { bayesView, distributionView, statisticsView } from './statsView';

export type SelectionKind = { kind: 'plot' } | { kind: 'optimize' } | { kind: 'data' } | { kind: 'none'; reason: string };

type Outcome<T> = { ok: true; data: T } | { ok: false; message: string };

/** Text made of numbers (lists, arrays, CSV/TSV with an optional header line) is data. */
export function looksLikeData(text: string): boolean {
  const t = text.trim();
  if (!t) return false;
  // an optional header line of names, then numbers, separators and brackets only
  const lines = t.split(/\r?\n/);
  const body = /[A-Za-z_]/.test(lines[0]!) && lines.length > 1 && !/\(/.test(lines[0]!) ? lines.slice(1).join('\n') : t;
  const stripped = body.replace(/^\s*(np\.array|torch\.tensor|np\.asarray)\s*\(/, '').replace(/\)\s*$/, '');
  if (!/\d/.test(stripped)) return false;
  return /^[\s\d.,;+\-eE[\]()\t]*$/.test(stripped.replace(/\b(nan|NaN|inf|Inf)\b/g, '0'));
}

/** What the selection is, for the side view. Cheap: the engines are only run when the tab is updated. */
export function classifySelection(text: string, lang: Lang): SelectionKind {
  if (looksLikeData(text)) {
    const p = parseMatrixText(text);
    if (p.ok && p.value.data.length >= 2) return { kind: 'data' };
  }
  const r = functionPlot(text, { lang, budgetMs: 300, samples: 3 });
  if (r.ok) return { kind: 'plot' };
  if (r.playground) return { kind: 'optimize' };
  return { kind: 'none', reason: r.error.message };
}

export class SideSession {
  private fn: FunctionPlotOk | undefined;
  private plotSource: SelectionRef | undefined;
  private obj: Objective2dOk | undefined;

  /**
   * Plots a selection. On failure the function shown before is kept (the view marks it stale under
   * the message and may still zoom it), so `plotted` stays the source of what is on screen.
   */
  plot(text: string, lang: Lang, source: SelectionRef): Outcome<PlotData> {
    const r = functionPlot(text, { lang });
    if (!r.ok) return { ok: false, message: r.error.message };
    this.fn = r;
    this.plotSource = source;
    return {
      ok: true,
      data: {
        source,
        variable: r.variable,
        latex: r.latex,
        samples: r.samples,
        point: { x: r.point.x, f: r.point.f, df: r.point.df, d2f: r.point.d2f },
        notes: [...r.notes, ...r.kinks.map((k) => `${k.of === 'f' ? 'f' : 'f′'} is not differentiable where ${k.text}`)],
      },
    };
  }

  samples(xmin: number, xmax: number): PlotSamples | undefined {
    if (!this.fn) return undefined;
    const s = samplePlot(this.fn.fn, xmin, xmax, 401, { deadline: now() + 200 });
    const { cut: _cut, ...samples } = s;
    void _cut;
    return samples;
  }

  point(x: number): PointValues | undefined {
    if (!this.fn) return undefined;
    const p = pointAt(this.fn.fn, x);
    return { x: p.x, f: p.f, df: p.df, d2f: p.d2f };
  }

  objective(text: string, lang: Lang, source: SelectionRef): Outcome<OptimizeData> {
    const r = playground({ text, lang });
    if (!r.ok) return { ok: false, message: r.error.message };
    this.obj = r.objective;
    return { ok: true, data: { ...r.data, source } };
  }

  preset(key: string): Outcome<OptimizeData> {
    const r = playground({ preset: key });
    if (!r.ok) return { ok: false, message: r.error.message };
    this.obj = r.objective;
    return { ok: true, data: r.data };
  }

  run(settings: OptimizerSettings): Trajectory[] | undefined {
    if (!this.obj) {
      // the view shows a preset before anything was selected
      const r = playground({ preset: 'rosenbrock' });
      if (!r.ok) return undefined;
      this.obj = r.objective;
    }
    return trajectories(this.obj, settings);
  }

  statistics(text: string, source: SelectionRef): Outcome<StatisticsData> {
    return statisticsView(text, source);
  }

  /** The source of the function plotted now, if any. */
  get plotted(): SelectionRef | undefined {
    return this.plotSource;
  }
}

let gallery: GalleryItem[] | undefined;

/** The activation gallery (computed once). */
export function galleryItems(): GalleryItem[] {
  gallery ??= activationGallery().map(({ name, latex, samples, saturates, note }) => ({ name, latex, samples, saturates, ...(note ? { note } : {}) }));
  return gallery;
}

export function distributionData(name: DistributionName, params: Record<string, number>): DistributionData {
  return distributionView(name, params);
}

export function bayesData(prior: number, likelihood: number, likelihoodNot: number): BayesData {
  return bayesView(prior, likelihood, likelihoodNot);
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
