/** What the side view's Statistics and Distributions tabs show, as computed by core/statsView.ts. */
import type { SelectionRef } from '../position';

export interface DescribeView {
  name: string;
  n: number;
  /** Label → value rows for the table (formatted), e.g. "mean" → "2.5". */
  rows: { label: string; value: string; latex?: string }[];
  histogram: { edges: number[]; counts: number[]; normal: { mean: number; std: number } | null };
  box: { q1: number; median: number; q3: number; whiskerLow: number; whiskerHigh: number; outliers: number[] } | null;
}

export interface TestView {
  /** "Welch's t-test", "Mann–Whitney U", … */
  title: string;
  rows: { label: string; value: string }[];
  /** The formula with the numbers filled in (KaTeX). */
  latex: string[];
  note?: string;
}

export interface StatisticsData {
  source: SelectionRef;
  columns: DescribeView[];
  /** Two columns or more: the first two compared. */
  pair?: {
    names: [string, string];
    points: number[]; // x0, y0, x1, y1, …
    regression: { slope: number; intercept: number; r2: number } | null;
    tests: TestView[];
  };
  notes: string[];
}

export type DistributionName = 'normal' | 'uniform' | 'binomial' | 'poisson' | 'bernoulli' | 'beta' | 'gamma' | 'exponential' | 't';

export interface DistributionData {
  name: DistributionName;
  label: string;
  discrete: boolean;
  /** The parameters with their ranges for the sliders. */
  params: { key: string; label: string; value: number; min: number; max: number; step: number; integer?: boolean }[];
  latex: { pdf: string; cdf?: string };
  /** Curves: pdf/pmf and cdf over x (discrete: one point per integer). */
  x: number[];
  /** null where the density is infinite (an edge of beta or gamma): a gap in the curve. */
  pdf: (number | null)[];
  cdf: number[];
  mean: number | null;
  variance: number | null;
  /** A message when the parameters are invalid (the curves are then empty). */
  error?: string;
}

export interface BayesData {
  prior: number;
  likelihood: number;
  likelihoodNot: number;
  evidence: number;
  posterior: number;
  latex: string;
}
