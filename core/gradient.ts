/**
 * Entry point of "Compute Gradient of Selection": parse, differentiate,
 * simplify, print and check. Never throws: every failure becomes a
 * `GradientFail` with the position of the problem.
 *
 * (Work in progress: the implementation lands with the differentiation engine.)
 */
import type { GradientOptions, GradientResult } from './result';

export function computeGradient(_text: string, _options: GradientOptions): GradientResult {
  return { ok: false, error: { message: 'not implemented yet', offset: 0, length: 0, kind: 'internal' } };
}
