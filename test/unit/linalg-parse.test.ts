/**
 * Matrix literals: every input format of issue 4, error positions, and hostile
 * input (huge, deep, ragged) refused quickly with a clear message.
 */
import { describe, expect, it } from 'vitest';
import { analyzeMatrix, toCliJson } from '../../core/linalg/index';
import { parseMatrixText } from '../../core/linalg/parse';

function parsed(text: string) {
  const r = parseMatrixText(text);
  if (!r.ok) throw new Error(`${JSON.stringify(text)}: ${r.error.message} at ${r.error.offset}`);
  return { shape: r.value.shape, data: Array.from(r.value.data), format: r.value.format, notes: r.value.notes };
}

function failure(text: string) {
  const r = parseMatrixText(text);
  if (r.ok) throw new Error(`${JSON.stringify(text)} parsed`);
  return { ...r.error, at: text.slice(r.error.offset, r.error.offset + Math.max(1, r.error.length)) };
}

describe('formats', () => {
  it.each([
    ['np.array([[1, 2], [3, 4]])', 'python'],
    ['numpy.array([[1., 2.], [3., 4.]], dtype=np.float32)', 'python'],
    ['torch.tensor([[1, 2], [3, 4]], dtype=torch.float64, requires_grad=True)', 'python'],
    ['A = np.asarray(((1, 2), (3, 4)))', 'python'],
    ['[[1, 2], [3, 4]]', 'json'],
    ['[1 2; 3 4]', 'matlab'],
    ['[1, 2\n 3, 4]', 'matlab'],
    ['\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}', 'latex'],
    ['\\begin{pmatrix}\n1 & 2\\\\\n3 & 4\n\\end{pmatrix}', 'latex'],
    ['\\left[\\begin{array}{cc} 1 & 2 \\\\ 3 & 4 \\end{array}\\right]', 'latex'],
    ['1,2\n3,4\n', 'csv'],
    ['1\t2\n3\t4', 'tsv'],
    ['x,y\n1,2\n3,4', 'csv'],
    ['1 2\n3 4', 'whitespace'],
  ])('%s', (text, format) => {
    const r = parsed(text);
    expect(r.shape).toEqual([2, 2]);
    expect(r.data).toEqual([1, 2, 3, 4]);
    expect(r.format).toBe(format);
  });

  it('reads signs, exponents, special values and underscores', () => {
    expect(parsed('[[-1.5e-3, +2, 1_000], [.5, 3., -0.0]]').data).toEqual([-0.0015, 2, 1000, 0.5, 3, -0]);
    expect(parsed('[[True, False], [np.pi, -np.inf]]').data).toEqual([1, 0, Math.PI, -Infinity]);
    expect(parsed('[1 -2; -3 4]').data).toEqual([1, -2, -3, 4]);
    expect(parsed("[float('nan'), 1]").data[0]).toBeNaN();
  });

  it('1-D, N-D and LaTeX entries', () => {
    expect(parsed('[1, 2, 3]').shape).toEqual([3]);
    expect(parsed('[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]').shape).toEqual([2, 2, 2]);
    expect(parsed('\\begin{bmatrix} \\frac{1}{2} & -\\sqrt{4} \\\\ \\pi & 1.5 \\end{bmatrix}').data).toEqual([0.5, -2, Math.PI, 1.5]);
  });

  it('constant constructors', () => {
    expect(parsed('np.eye(3)')).toMatchObject({ shape: [3, 3], data: [1, 0, 0, 0, 1, 0, 0, 0, 1] });
    expect(parsed('np.eye(2, 3, k=1)')).toMatchObject({ shape: [2, 3], data: [0, 1, 0, 0, 0, 1] });
    expect(parsed('np.identity(2)').data).toEqual([1, 0, 0, 1]);
    expect(parsed('np.arange(12).reshape(3, 4)')).toMatchObject({ shape: [3, 4], data: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] });
    expect(parsed('np.arange(1, 7).reshape((2, -1))')).toMatchObject({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
    expect(parsed('np.zeros((2, 3))')).toMatchObject({ shape: [2, 3], data: [0, 0, 0, 0, 0, 0] });
    expect(parsed('torch.ones(2, 2)').data).toEqual([1, 1, 1, 1]);
    expect(parsed('np.full((2, 2), 7)').data).toEqual([7, 7, 7, 7]);
    expect(parsed('np.linspace(0, 1, 5)').data).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(parsed('np.diag([1, 2])').data).toEqual([1, 0, 0, 2]);
    expect(parsed('np.array([[1, 2], [3, 4]]).T').data).toEqual([1, 3, 2, 4]);
    expect(parsed('-np.eye(2)').data).toEqual([-1, -0, -0, -1]);
  });
});

describe('errors point at the offending text', () => {
  it.each([
    ['[[1, 2], [3]]', 'this row has 1 entries', '[3]'],
    ['[[1, 2], [3, x]]', "'x' is not a number", 'x'],
    ['[[1, 2], [3, 4]', "unclosed '['", '['],
    ['[[1, 2] [3, 4]]', "expected ',' or ']'", '['],
    ['np.array([[1, 2], [3, 4]]).reshape(3, 3)', 'cannot reshape', 'reshape'],
    ['np.random.rand(3, 3)', 'not a constant constructor', 'np.random.rand'],
    ['[[1, 2j]]', 'complex entries', '2'],
    ['[1 2; 3]', 'this row has 1 entries', '3'],
    ['[1 - 2]', 'expressions are not supported', '-'],
    ['\\begin{bmatrix} 1 & x \\\\ 3 & 4 \\end{bmatrix}', "'x' is not a number", 'x'],
    ['\\begin{bmatrix} 1 & 2 \\\\ 3 \\end{bmatrix}', 'this row has 1 entries', ' '],
    ['1,2\n3,abc', "'abc' is not a number", 'abc'],
    ['1,2\n3,4,5', 'line 2 has 3 fields', '3'],
    ['', 'empty', ''],
  ])('%s', (text, message, at) => {
    const e = failure(text);
    expect(e.message).toContain(message);
    expect(e.at.startsWith(at) || (at === '' && e.offset === 0)).toBe(true);
  });
});

describe('hostile input is refused quickly', () => {
  it('a deep nesting', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    const t0 = performance.now();
    const e = failure(text);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(e.message).toMatch(/nesting is deeper than 64 levels/);
  });

  it('too many entries in a literal', () => {
    const row = `[${Array.from({ length: 1100 }, (_, i) => i % 10).join(',')}]`;
    const text = `[${Array.from({ length: 1000 }, () => row).join(',')}]`;
    const t0 = performance.now();
    const e = failure(text);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(e.message).toMatch(/the limit is 1,000,000/);
  });

  it('huge constructors never allocate', () => {
    const t0 = performance.now();
    expect(failure('np.zeros((100000, 100000))').message).toMatch(/10,000,000,000 entries; the limit is 1,000,000/);
    expect(failure('np.arange(1e12)').message).toMatch(/integer|entries/);
    expect(failure('np.eye(2000000)').message).toMatch(/entries/);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('overlong text', () => {
    const e = parseMatrixText('1,'.repeat(60), { maxTextLength: 100 });
    expect(e.ok).toBe(false);
    if (!e.ok) expect(e.error.message).toMatch(/too long \(120 characters; the limit is 100\)/);
  });

  it('large matrices are summarised, not decomposed', () => {
    const r = analyzeMatrix('np.ones((600, 600))');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.shape).toEqual([600, 600]);
    expect(r.trace).toBe(600);
    expect(r.norms.fro).toBeCloseTo(600, 9);
    expect(r.singularValues).toBeNull();
    expect(r.notes.join(' ')).toMatch(/computed up to 262,144 entries/);
  });

  it('a time budget cuts the analysis with a message instead of hanging', () => {
    const r = analyzeMatrix({ shape: [400, 400], data: Array.from({ length: 160_000 }, (_, i) => Math.sin(i)) }, { budgetMs: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('budget');
      expect(r.error.message).toMatch(/time budget/);
    }
  });
});

describe('analyzeMatrix', () => {
  it('produces the CLI contract', () => {
    const r = toCliJson(analyzeMatrix('[[2, 1], [1, 2]]'));
    expect(r).toEqual({
      ok: true,
      shape: [2, 2],
      rank: 2,
      trace: 4,
      det: expect.closeTo(3, 12),
      norms: { fro: expect.closeTo(Math.sqrt(10), 12), one: 3, two: expect.closeTo(3, 12), inf: 3 },
      cond: expect.closeTo(3, 12),
      eigenvalues: [
        { re: expect.closeTo(1, 12), im: 0 },
        { re: expect.closeTo(3, 12), im: 0 },
      ],
      singularValues: [expect.closeTo(3, 12), expect.closeTo(1, 12)],
      properties: { square: true, symmetric: true, orthogonal: false, positiveDefinite: true, diagonal: false, upperTriangular: false, lowerTriangular: false, triangular: false },
    });
  });

  it('null det, trace and eigenvalues for non-square matrices', () => {
    const r = toCliJson(analyzeMatrix('np.arange(6).reshape(2, 3)'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.det).toBeNull();
    expect(r.trace).toBeNull();
    expect(r.eigenvalues).toBeNull();
    expect(r.rank).toBe(2);
  });

  it('complex eigenvalues sorted by real part then imaginary part', () => {
    const r = analyzeMatrix('[[0, -1, 0], [1, 0, 0], [0, 0, -2]]');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.eigenvalues).toEqual([
      { re: -2, im: 0 },
      { re: expect.closeTo(0, 14), im: expect.closeTo(-1, 14) },
      { re: expect.closeTo(0, 14), im: expect.closeTo(1, 14) },
    ]);
  });

  it('N-D input is shown one slice at a time', () => {
    const r = analyzeMatrix('np.arange(24).reshape(2, 3, 4)', { slice: [1] });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.inputShape).toEqual([2, 3, 4]);
    expect(r.shape).toEqual([3, 4]);
    expect(r.matrix![0]).toEqual([12, 13, 14, 15]);
    expect(r.notes.join(' ')).toMatch(/slice \[1, :, :\] of 2/);
    const bad = analyzeMatrix('np.arange(24).reshape(2, 3, 4)', { slice: [2] });
    expect(bad.ok).toBe(false);
  });

  it('non-finite entries are named', () => {
    const r = analyzeMatrix('[[1, nan], [0, 1]]');
    expect(r).toMatchObject({ ok: false, error: { kind: 'value', message: expect.stringMatching(/entry \[0, 1\] is NaN/) } });
  });

  it('parse errors keep their position', () => {
    const r = analyzeMatrix('[[1, 2], [3, y]]');
    expect(r).toMatchObject({ ok: false, error: { kind: 'parse', offset: 13, length: 1 } });
  });

  it('never throws, whatever it is given', () => {
    for (const bad of [undefined, null, 42, {}, { shape: [2, 2], data: [1] }, { shape: [-1], data: [] }, new Uint8Array([1, 2, 3])] as unknown[]) {
      const r = analyzeMatrix(bad as string);
      expect(r.ok).toBe(false);
    }
  });

  it('panel decompositions for a small matrix', () => {
    const r = analyzeMatrix('[[4, 2], [2, 3]]');
    if (!r.ok) throw new Error(r.error.message);
    const d = r.decompositions!;
    expect(d.cholesky).toMatchObject({ L: [[2, 0], [1, expect.closeTo(Math.sqrt(2), 14)]] });
    expect(d.lu!.P).toEqual([0, 1]);
    expect(d.qr!.R[0]![0]).toBeGreaterThan(0);
    expect(d.lowRank![0]!.errorTwo).toBeCloseTo(r.singularValues![1]!, 14);
    expect(d.lowRank![1]!.errorFro).toBe(0);
    expect(d.pca!.explainedVariance.length).toBe(2);
  });
});
