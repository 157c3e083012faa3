/**
 * The side view's channel (dist/webview/side.js): one webview view with tabs Plot, Optimize,
 * Statistics, Distributions, History. It follows the editor; everything is computed in the host
 * (core/); the webview draws and asks again for what depends on the view.
 */
import type { GalleryItem, OptimizeData, OptimizerSettings, PlotData, PlotSamples, PointValues, Trajectory } from '../explore/types';
import type { ReadyMessage } from './common';
import { isFiniteNumber, isNat, isObject } from './common';
import type { BayesData, DistributionData, DistributionName, StatisticsData } from '../stats/view';

export type SideTab = 'plot' | 'optimize' | 'statistics' | 'distributions' | 'history';

export interface HistoryEntry {
  id: string;
  kind: 'gradient' | 'matrix' | 'plot' | 'optimize' | 'statistics';
  title: string;
  /** Epoch ms. */
  time: number;
}

export type ExtensionToSide =
  | { type: 'sideTab'; tab: SideTab }
  | { type: 'plot'; data: PlotData }
  | { type: 'plotSamples'; samples: PlotSamples; requestId: number }
  | { type: 'pointValues'; point: PointValues; requestId: number }
  | { type: 'gallery'; items: GalleryItem[] }
  | { type: 'optimize'; data: OptimizeData }
  | { type: 'trajectories'; trajectories: Trajectory[]; settings: OptimizerSettings; requestId: number }
  | { type: 'statistics'; data: StatisticsData }
  | { type: 'distribution'; data: DistributionData; requestId: number }
  | { type: 'bayes'; data: BayesData; requestId: number }
  | { type: 'history'; entries: HistoryEntry[] }
  /** Something the view can't use (a selection with three variables, a parse error…), for the tab it concerns. */
  | { type: 'sideNotice'; tab: SideTab; message: string }
  | { type: 'exported'; ok: boolean; text: string };

export type SideToExtension =
  | ReadyMessage
  | { type: 'samplePlot'; xmin: number; xmax: number; requestId: number }
  | { type: 'pointAt'; x: number; requestId: number }
  | { type: 'gallery' }
  | { type: 'preset'; key: string }
  | { type: 'runOptimizers'; settings: OptimizerSettings; requestId: number }
  | { type: 'distribution'; name: DistributionName; params: Record<string, number>; requestId: number }
  | { type: 'bayes'; prior: number; likelihood: number; likelihoodNot: number; requestId: number }
  | { type: 'reopen'; id: string }
  /** A plot as PNG (base64, no data: prefix) or SVG text, saved by the host with a save dialog. */
  | { type: 'export'; format: 'png' | 'svg'; data: string; name: string }
  | { type: 'tabChanged'; tab: SideTab };

/** What the side view keeps with `vscode.setState`. */
export interface SideState {
  version: 1;
  tab: SideTab;
  plot?: PlotData;
  optimize?: OptimizeData;
  statistics?: StatisticsData;
  distribution?: DistributionData;
  bayes?: BayesData;
  history?: HistoryEntry[];
}

const SIDE_TABS: readonly string[] = ['plot', 'optimize', 'statistics', 'distributions', 'history'];
const OPTIMIZERS: readonly string[] = ['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
const DISTRIBUTIONS: readonly string[] = ['normal', 'uniform', 'binomial', 'poisson', 'bernoulli', 'beta', 'gamma', 'exponential', 't'];

export function isSideTab(x: unknown): x is SideTab {
  return typeof x === 'string' && SIDE_TABS.includes(x);
}

function isSettings(x: unknown): x is OptimizerSettings {
  return (
    isObject(x) &&
    isFiniteNumber(x.lr) &&
    isFiniteNumber(x.momentum) &&
    isFiniteNumber(x.beta1) &&
    isFiniteNumber(x.beta2) &&
    isNat(x.steps) &&
    x.steps <= 100_000 &&
    Array.isArray(x.start) &&
    x.start.length === 2 &&
    x.start.every(isFiniteNumber) &&
    Array.isArray(x.enabled) &&
    x.enabled.every((o) => typeof o === 'string' && OPTIMIZERS.includes(o)) &&
    (x.lrs === undefined || (isObject(x.lrs) && Object.entries(x.lrs).every(([k, v]) => OPTIMIZERS.includes(k) && isFiniteNumber(v))))
  );
}

/** Messages the host accepts from the side view (checked field by field: the view is not trusted blindly). */
export function isSideToExtension(x: unknown): x is SideToExtension {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'ready':
    case 'gallery':
      return true;
    case 'samplePlot':
      return isFiniteNumber(x.xmin) && isFiniteNumber(x.xmax) && x.xmin < x.xmax && isNat(x.requestId);
    case 'pointAt':
      return isFiniteNumber(x.x) && isNat(x.requestId);
    case 'preset':
      return typeof x.key === 'string' && x.key.length < 64;
    case 'runOptimizers':
      return isSettings(x.settings) && isNat(x.requestId);
    case 'distribution':
      return typeof x.name === 'string' && DISTRIBUTIONS.includes(x.name) && isObject(x.params) && Object.values(x.params).every(isFiniteNumber) && isNat(x.requestId);
    case 'bayes':
      return [x.prior, x.likelihood, x.likelihoodNot].every(isFiniteNumber) && isNat(x.requestId);
    case 'reopen':
      return typeof x.id === 'string' && x.id.length < 128;
    case 'export':
      return (x.format === 'png' || x.format === 'svg') && typeof x.data === 'string' && x.data.length < 50_000_000 && typeof x.name === 'string' && x.name.length < 256;
    case 'tabChanged':
      return isSideTab(x.tab);
    default:
      return false;
  }
}

/** Messages the side view accepts (shallow: the renderer reads every field defensively). */
export function isExtensionToSide(x: unknown): x is ExtensionToSide {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'sideTab':
      return isSideTab(x.tab);
    case 'plot':
    case 'optimize':
    case 'statistics':
      return isObject(x.data);
    case 'plotSamples':
      return isObject(x.samples) && isNat(x.requestId);
    case 'pointValues':
      return isObject(x.point) && isNat(x.requestId);
    case 'gallery':
      return Array.isArray(x.items);
    case 'trajectories':
      return Array.isArray(x.trajectories) && isObject(x.settings) && isNat(x.requestId);
    case 'distribution':
    case 'bayes':
      return isObject(x.data) && isNat(x.requestId);
    case 'history':
      return Array.isArray(x.entries);
    case 'sideNotice':
      return isSideTab(x.tab) && typeof x.message === 'string';
    case 'exported':
      return typeof x.ok === 'boolean' && typeof x.text === 'string';
    default:
      return false;
  }
}

export function isSideState(x: unknown): x is SideState {
  return isObject(x) && x.version === 1 && isSideTab(x.tab);
}
