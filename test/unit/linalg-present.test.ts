/**
 * What the matrix panel and the .npy viewer are sent (core/linalg/present.ts): the heatmap grid,
 * whole-array statistics, LaTeX with elision, NumPy code, the decomposition tabs, the geometry of
 * 2×2/3×3 maps and the PCA scatter.
 */
import { describe, expect, it } from 'vitest';
import { arrayStats, heatmapGrid, latexMatrix, latexNumber, matrixPanelData, numpyCode } from '../../core/linalg/present';
import { advancePosition, stripAssignment } from '../../extension/common/positions';

const SOURCE = { kind: 'selection' as const, start: { line: 0, character: 0 }, text: '' };
const present = (input: string | Uint8Array, extra = {}) => matrixPanelData(input, { title: 'M', source: SOURCE, ...extra });

/** A .npy file: little-endian float64 in C order. */
function npy(shape: number[], values: number[]): Uint8Array {
  const header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  const pad = (64 - (total % 64)) % 64;
  const h = header + ' '.repeat(pad) + '\n';
  const out = new Uint8Array(10 + h.length + values.length * 8);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0, h.length & 255, h.length >> 8]);
  out.set(Buffer.from(h, 'latin1'), 10);
  out.set(new Uint8Array(new Float64Array(values).buffer), 10 + h.length);
  return out;
}

describe('heatmap grid', () => {
  it('is the matrix itself when small, block means beyond 256 per side, NaN cells null', () => {
    const small = heatmapGrid(2, 3, Float64Array.from([1, -2, 3, 4, NaN, 6]));
    expect(small).toMatchObject({ rows: 2, cols: 3, blockRows: 1, blockCols: 1, min: -2, max: 6, absMax: 6 });
    expect(small.values).toEqual([1, -2, 3, 4, null, 6]);
    const m = 600;
    const data = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) data[i * m + j] = i;
    const big = heatmapGrid(m, m, data);
    expect([big.rows, big.cols, big.blockRows, big.blockCols]).toEqual([200, 200, 3, 3]);
    // block (0, 0) holds rows 0..2: mean 1; the last block rows 597..599: mean 598
    expect(big.values[0]).toBe(1);
    expect(big.values[199 * 200]).toBe(598);
  });
});

describe('statistics over a whole array', () => {
  it('count NaN and ±inf apart and use the finite entries (std with ddof = 0, as np.std)', () => {
    const s = arrayStats(Float64Array.from([1, 2, 3, 4, NaN, Infinity]));
    expect(s).toMatchObject({ count: 6, nanCount: 1, infCount: 1, min: 1, max: 4, mean: 2.5 });
    expect(s.std).toBeCloseTo(Math.sqrt(1.25), 14);
    expect(arrayStats(Float64Array.from([NaN]))).toMatchObject({ min: null, mean: null, std: null });
  });
});

describe('LaTeX and NumPy code', () => {
  it('numbers: integers, 4 significant digits, powers of ten', () => {
    expect(latexNumber(3)).toBe('3');
    expect(latexNumber(0.123456)).toBe('0.1235');
    expect(latexNumber(1.5e-7)).toBe('1.5 \\times 10^{-7}');
    expect(latexNumber(NaN)).toBe('\\text{NaN}');
  });
  it('a large matrix is elided with ⋯ ⋮ ⋱, keeping its last row and column', () => {
    const l = latexMatrix(20, 30, (i, j) => i * 100 + j);
    expect(l).toContain('\\cdots');
    expect(l).toContain('\\vdots');
    expect(l).toContain('\\ddots');
    expect(l).toContain('1929'); // the last entry
    expect(l.split('\\\\').length).toBe(8);
  });
  it('NumPy code keeps exact values; too large is null', () => {
    expect(numpyCode(2, 2, [0.1, 2, NaN, -Infinity], false)).toBe('np.array([\n    [0.1, 2],\n    [np.nan, -np.inf],\n])');
    expect(numpyCode(1, 3, [1, 2, 3], true)).toBe('np.array([1, 2, 3])');
    expect(numpyCode(200, 200, new Float64Array(40000), false)).toBeNull();
  });
});

describe('the panel data', () => {
  it('a symmetric 2×2: properties, every decomposition tab, the geometry with orthogonal eigenvectors', () => {
    const r = present('np.array([[2, 1], [1, 3]])');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.data;
    const prop = Object.fromEntries(d.properties.map((p) => [p.label, p.value]));
    expect(prop).toMatchObject({ rank: '2', determinant: '5', symmetric: 'yes', 'positive definite': 'yes' });
    expect(d.decompositions.map((x) => x.key)).toEqual(['svd', 'eigen', 'lu', 'qr', 'cholesky', 'pinv', 'pca', 'lowRank']);
    expect(d.decompositions.find((x) => x.key === 'cholesky')!.blocks[0]!.latex).toContain('LL^{\\mathsf T}');
    expect(d.decompositions.find((x) => x.key === 'svd')!.bars!.values[0]).toBeCloseTo((5 + Math.sqrt(5)) / 2, 12);
    const g = d.geometry!;
    expect(g.det).toBeCloseTo(5, 12);
    expect(g.eigenvectors).toHaveLength(2);
    const [a, b] = g.eigenvectors;
    expect(a!.vector[0]! * b!.vector[0]! + a!.vector[1]! * b!.vector[1]!).toBeCloseTo(0, 12);
    // A v = λ v
    const A = [[2, 1], [1, 3]];
    for (const e of g.eigenvectors) for (let i = 0; i < 2; i++) expect(A[i]![0]! * e.vector[0]! + A[i]![1]! * e.vector[1]!).toBeCloseTo(e.value * e.vector[i]!, 12);
  });

  it('a rotation has complex eigenvalues: no real eigenvectors to draw; Cholesky says why not', () => {
    const r = present('[0 -1; 1 0]');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.data.geometry!.eigenvectors).toEqual([]);
    expect(r.data.decompositions.find((x) => x.key === 'cholesky')!.note).toMatch(/not symmetric/);
    expect(r.data.decompositions.find((x) => x.key === 'eigen')!.blocks.some((b) => b.latex.includes('i'))).toBe(true);
  });

  it('a data matrix (rows are samples) gets a PCA scatter with its axes from the mean', () => {
    const rows: string[] = [];
    for (let i = 0; i < 50; i++) rows.push(`${i}, ${2 * i + (i % 3)}`);
    const r = present(rows.join('\n'));
    if (!r.ok) throw new Error(r.error.message);
    const s = r.data.scatter!;
    expect(s.points).toHaveLength(50);
    expect(s.axes[0]!.label).toBe('PC1');
    // PC1 points along (1, 2) roughly
    const [x0, y0] = s.axes[0]!.from;
    const [x1, y1] = s.axes[0]!.to;
    expect(Math.abs((y1 - y0) / (x1 - x0))).toBeGreaterThan(1.5);
  });

  it('a .npy file with NaN: header, statistics and heatmap, and a note instead of decompositions', () => {
    const r = present(npy([2, 2], [1, NaN, 3, 4]), { source: { kind: 'file', uri: 'file:///x.npy', name: 'x.npy' } });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.data.file).toMatchObject({ dtype: 'float64', shape: [2, 2], fortranOrder: false, stats: { nanCount: 1, count: 4 } });
    expect(r.data.heatmap.values).toEqual([1, null, 3, 4]);
    expect(r.data.notes.some((n) => /no properties or decompositions/.test(n))).toBe(true);
  });

  it('an N-D array shows the chosen slice', () => {
    const values = Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i);
    const r = present(npy([2, 3, 2, 2], values), { slice: [1, 2] });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.data.slice).toEqual({ shape: [2, 3, 2, 2], index: [1, 2] });
    // slice [1, 2] starts at (1·3 + 2)·4 = 20
    expect(r.data.heatmap.values).toEqual([20, 21, 22, 23]);
    const bad = present(npy([2, 3, 2, 2], values), { slice: [2, 0] });
    expect(bad.ok).toBe(false);
  });

  it('a parse error keeps its position; a corrupt file says so', () => {
    const r = present('[[1, 2], [3, x]]');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.offset).toBe('[[1, 2], [3, '.length);
    const f = present(Uint8Array.from([0x93, 78, 85, 77, 80, 89, 1, 0, 200, 0, 1, 2]));
    expect(f.ok).toBe(false);
  });
});

describe('the selection', () => {
  it('an assignment target is not part of the matrix, and positions follow', () => {
    expect(stripAssignment('A = np.array([[1, 2]])')).toEqual({ text: 'np.array([[1, 2]])', skipped: 4 });
    expect(stripAssignment('W: np.ndarray = [[1]]')).toEqual({ text: '[[1]]', skipped: 16 });
    expect(stripAssignment('[[1, 2], [3, 4]]')).toEqual({ text: '[[1, 2], [3, 4]]', skipped: 0 });
    expect(stripAssignment('a == b')).toEqual({ text: 'a == b', skipped: 0 });
    expect(advancePosition({ line: 3, character: 4 }, 'A = [1]', 4)).toEqual({ line: 3, character: 8 });
  });
});
