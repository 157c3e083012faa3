/**
 * The selections the webview tests render, and how their results are made:
 * `engineResults` calls the real engine (bundled for node by run.mjs).
 */
import type { Lang } from '../../core/parse/types';
import type { GradientResult } from '../../core/result';
import { computeGradient } from '../../core/gradient';

export interface Case {
  name: string;
  text: string;
  lang: Lang;
}

export const CASES: Case[] = [
  { name: 'poly', text: 'x**2 * y + np.sin(x)', lang: 'python' },
  { name: 'relu', text: 'np.maximum(w * x, 0)', lang: 'python' },
  { name: 'forward', text: 'z = w*x + b\na = sigmoid(z)\nloss = (a - y)**2', lang: 'python' },
  { name: 'parseError', text: 'x = 1\ny = 2\nz = x **  * y', lang: 'python' },
  { name: 'xss', text: '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>', lang: 'math' },
];

export function engineResults(): Record<string, GradientResult> {
  const out: Record<string, GradientResult> = {};
  for (const c of CASES) out[c.name] = computeGradient(c.text, { lang: c.lang, budgetMs: 2000 });
  return out;
}
