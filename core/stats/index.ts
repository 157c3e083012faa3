/**
 * The statistics and distributions engine (issue 5, "Probability and statistics").
 * Definitions follow SciPy 1.10 / NumPy 1.24; see core/stats/README.md.
 *
 * - `analyzeData(text)`: a selection → columns → descriptive statistics per column and,
 *   for two or more columns, the two-sample statistics of the first two.
 * - `describe`, `pearson`, `spearman`, `linearRegression`, `tTestIndependent`,
 *   `tTestPaired`, `mannWhitneyU`, `compareSamples`: the same on arrays.
 * - `distribution(name, params)`, `plotPoints`, `DISTRIBUTIONS`: the explorer.
 * - `bayes(prior, P(E|H), P(E|¬H))`.
 *
 * Nothing here throws: every entry point returns `{ok: false, error: {message, offset?}}`.
 */

import { Budget } from '../budget';
import { parseStatsData, type DataOptions } from './data';
import { describe, type DescribeOptions, type DescribeResult } from './describe';
import { compareSamples, type TTestOptions, type TwoSampleAnalysis } from './tests';

export { parseStatsData, DEFAULT_MAX_VALUES } from './data';
export type { DataColumn, DataError, DataOptions, DataResult, StatsData } from './data';
export { describe, npMean, npSum, percentileSorted } from './describe';
export type { BoxPlot, DescribeOptions, DescribeResult, Descriptive, Histogram, Undefined } from './describe';
export { compareSamples, linearRegression, mannWhitneyCounts, mannWhitneyU, pearson, rankAverage, spearman, tTestIndependent, tTestPaired } from './tests';
export type { Correlation, Formula, MannWhitney, Outcome, Regression, TTest, TTestOptions, TwoSampleAnalysis } from './tests';
export { bayes, distribution, DISTRIBUTIONS, plotPoints } from './distributions';
export type { BayesResult, Distribution, DistributionName, DistributionSpec, ParamSpec, PlotData, PlotOptions } from './distributions';
export * as special from './special';

export interface AnalyzeOptions extends DataOptions, DescribeOptions, TTestOptions {
  /** Time budget in ms (default 2000); stages after it runs out are skipped with a note. */
  timeBudgetMs?: number;
}

export interface ColumnAnalysis {
  name: string;
  n: number;
  dropped: number;
  stats: DescribeResult;
}

export interface DataAnalysis {
  format: string;
  columns: ColumnAnalysis[];
  /** The two-sample view of the first two columns (null for one column). */
  two: (TwoSampleAnalysis & { names: [string, string]; pairedColumns: boolean }) | null;
  notes: string[];
}

export type AnalyzeResult = { ok: true; value: DataAnalysis } | { ok: false; error: { message: string; offset?: number; length?: number } };

/** The whole data view for a selection. Never throws. */
export function analyzeData(text: string, options: AnalyzeOptions = {}): AnalyzeResult {
  try {
    const budget = new Budget(options.timeBudgetMs ?? 2000);
    const data = parseStatsData(text, options);
    if (!data.ok) return data;
    const { columns, pairs, format } = data.value;
    const notes = [...data.value.notes];
    const out: ColumnAnalysis[] = [];
    for (const c of columns) {
      if (budget.expired()) {
        notes.push(`the time budget ran out: statistics of ${c.name} and later columns were skipped`);
        break;
      }
      out.push({ name: c.name, n: c.values.length, dropped: c.dropped, stats: describe(c.values, options) });
    }
    let two: DataAnalysis['two'] = null;
    if (columns.length >= 2) {
      if (budget.expired()) notes.push('the time budget ran out: the two-sample statistics were skipped');
      else {
        const paired = pairs !== null;
        const x = pairs ? pairs.x : columns[0]!.values;
        const y = pairs ? pairs.y : columns[1]!.values;
        if (pairs && pairs.dropped) notes.push(`${pairs.dropped} row${pairs.dropped === 1 ? '' : 's'} with a missing value left out of the paired statistics`);
        two = { ...compareSamples(x, y, options), names: [columns[0]!.name, columns[1]!.name], pairedColumns: paired };
      }
    }
    return { ok: true, value: { format, columns: out, two, notes } };
  } catch (err) {
    return { ok: false, error: { message: `internal error in the statistics: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

/**
 * A small set of benchmark cases (seeded data, no I/O) for `npm run bench`-style timing:
 * each `run()` does one representative piece of work.
 */
export function benchmarkCases(n = 100_000): { name: string; run: () => unknown }[] {
  let s = 12345;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const x = Float64Array.from({ length: n }, () => rand() + rand() + rand());
  const y = Float64Array.from(x, (v) => 0.5 * v + rand());
  const small = Float64Array.from({ length: 8 }, () => rand());
  const big = Float64Array.from({ length: 500 }, () => rand() + 0.2);
  const csv = Array.from({ length: Math.min(n, 20000) }, (_, i) => `${x[i]},${y[i]}`).join('\n');
  return [
    { name: `describe n=${n}`, run: () => describe(x) },
    { name: `compareSamples n=${n}`, run: () => compareSamples(x, y) },
    { name: 'Mann–Whitney exact 8 vs 500', run: () => compareSamples(small, big).mannWhitney },
    { name: 'analyzeData CSV 20k rows', run: () => analyzeData(`a,b\n${csv}`) },
  ];
}
