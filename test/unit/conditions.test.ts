/** Logical operators between conditions, and piecewise functions with several conditions. */
import { describe, expect, it } from 'vitest';
import { computeGradient } from '../../core/gradient';
import { parse } from '../../core/parse/index';
import { toText } from '../../core/print';

const text = (src: string, lang: 'python' | 'javascript' = 'python') => {
  const r = parse(src, lang);
  if (!r.ok) throw new Error(r.error.message);
  return toText(r.value.expr);
};

describe('conditions', () => {
  it('& and | between parenthesized comparisons are and (product) and or (maximum)', () => {
    expect(text('np.where((x > 0) & (x < 1), x, 0)')).toBe('where((x > 0)*(x < 1), x, 0)');
    expect(text('np.where((x < 0) | (x > 1), x, 0)')).toBe('where(max(x < 0, x > 1), x, 0)');
    expect(text('x if x > 0 and y > 0 else 0')).toBe('where((x > 0)*(y > 0), x, 0)');
    expect(text('x > 0 && y > 0 ? x : 0', 'javascript')).toBe('where((x > 0)*(y > 0), x, 0)');
  });
  it('& without parentheses is refused where NumPy would read it differently', () => {
    const r = parse('np.where(x > 0 & x < 1, x, 0)', 'python');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.offset).toBe(15);
      expect(r.error.message).toMatch(/parentheses/);
    }
  });
  it('a where with two conditions has a kink at each boundary, and prints valid NumPy', () => {
    const r = computeGradient('np.where((x > 0) & (x < 1), x**2, 0)', { lang: 'python' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.gradient[0]!;
    expect(d.numpy).toBe('np.where((x > 0)*(x < 1), 2*x, 0)');
    expect(d.latex).toContain('x > 0 \\land x < 1');
    expect(d.kinks.map((k) => k.latex)).toEqual(['x = 0', 'x - 1 = 0']);
    expect(r.check.passed).toBe(true);
  });
  it('a comparison inside a sum is parenthesized in NumPy code', () => {
    const r = computeGradient('x * (x > 0) + 0.1 * x * (x <= 0)', { lang: 'python' });
    expect(r.ok && r.gradient[0]!.numpy).toBe('0.1*(x <= 0) + (x > 0)');
  });
  it('clip with bounds that may cross follows NumPy (min(max(x, lo), hi))', () => {
    const r = computeGradient('np.clip(x, lo, hi)', { lang: 'python' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.gradient.find((g) => g.wrt === 'hi')!.text).toBe('where(max(x, lo) < hi, 0, 1)');
    expect(r.check.passed).toBe(true);
  });
});
