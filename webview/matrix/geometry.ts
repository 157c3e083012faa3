/**
 * The linear map of a 2×2 or 3×3 matrix, drawn as SVG: the unit grid and
 * circle (2-D) or the unit cube and sphere (3-D, an orthographic view), faint,
 * and their images under the matrix; the images of the basis vectors; the
 * real eigenvectors as lines; the determinant as the signed area (volume) of
 * the image of the unit square (cube).
 *
 * Only drawing: points are mapped by the matrix the host sent and projected
 * to pixels; every number shown (det, eigenvalues) comes from the host.
 */
import type { MatrixPanelData } from '../../core/protocol';
import { h } from '../common/dom';
import { fmt } from './format';
import { arrowMarker, pathData, s, uid } from '../common/svg';

type Geometry = NonNullable<MatrixPanelData['geometry']>;
type P2 = [number, number];
type P3 = [number, number, number];

const SIZE = 360;
const SUBSCRIPTS = ['₁', '₂', '₃'];

function entry(m: number[][], i: number, j: number): number {
  const v = m[i]?.[j];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function renderGeometry(g: Geometry): HTMLElement {
  const n = g.matrix.length;
  const svg = n === 3 ? draw3(g) : draw2(g);
  const eig = g.eigenvectors;
  const caption =
    eig.length === 0
      ? 'No real eigenvectors: every direction is turned (complex eigenvalues), or the host found none.'
      : `Dashed lines: real eigenvectors (${eig.map((e) => `λ = ${fmt(e.value, 4)}`).join(', ')}), directions the map only stretches.`;
  const det = Number.isFinite(g.det) ? g.det : NaN;
  const legend = h(
    'ul',
    { class: 'geometry-legend' },
    h('li', {}, h('span', { class: 'swatch orig' }), n === 3 ? 'unit cube and sphere' : 'unit grid and circle'),
    h('li', {}, h('span', { class: 'swatch image' }), n === 3 ? 'their images: parallelepiped and ellipsoid' : 'their images: grid and ellipse'),
    h('li', {}, h('span', { class: `swatch ${det < 0 ? 'det-neg' : 'det-pos'}` }), `image of the unit ${n === 3 ? 'cube: signed volume' : 'square: signed area'} = det = ${fmt(det, 4)}${det < 0 ? ' (orientation reversed)' : ''}`),
  );
  return h(
    'section',
    { class: 'geometry', testid: 'geometry', attrs: { 'aria-label': 'The linear map' } },
    h('h2', {}, 'The linear map'),
    svg,
    legend,
    h('p', { class: 'geometry-caption', testid: 'geometry-caption' }, caption),
  );
}

// ---------------------------------------------------------------- 2-D

function draw2(g: Geometry): SVGSVGElement {
  const m = g.matrix;
  const A = (p: P2): P2 => [entry(m, 0, 0) * p[0] + entry(m, 0, 1) * p[1], entry(m, 1, 0) * p[0] + entry(m, 1, 1) * p[1]];
  const circle: P2[] = [];
  for (let i = 0; i <= 96; i++) {
    const t = (2 * Math.PI * i) / 96;
    circle.push([Math.cos(t), Math.sin(t)]);
  }
  const ellipse = circle.map(A);
  const e1 = A([1, 0]);
  const e2 = A([0, 1]);
  const square: P2[] = [[0, 0], e1, A([1, 1]), e2];
  const extent = Math.max(1.6, ...[...ellipse, ...square].flatMap((p) => [Math.abs(p[0]), Math.abs(p[1])]).filter(Number.isFinite)) * 1.12;
  const k = (SIZE / 2 - 6) / extent;
  const px = (p: P2): P2 => [SIZE / 2 + p[0] * k, SIZE / 2 - p[1] * k];
  const N = Math.ceil(extent);

  const arrowId = uid('arrow');
  const origArrowId = uid('arrow-orig');
  const svg = s('svg', {
    class: 'chart geometry-2d',
    'data-testid': 'geometry-svg',
    viewBox: `0 0 ${SIZE} ${SIZE}`,
    role: 'img',
    'aria-label': `The map of the plane: the unit square goes to a parallelogram of signed area det = ${fmt(g.det, 4)}`,
  });
  svg.append(s('defs', {}, arrowMarker(arrowId, 'arrowhead image'), arrowMarker(origArrowId, 'arrowhead orig')));

  // The original grid, axes and circle, faint.
  const orig = s('g', { class: 'orig', 'data-testid': 'geometry-orig' });
  for (let i = -N; i <= N; i++) {
    orig.append(s('path', { class: i === 0 ? 'axis-orig' : 'grid-orig', d: pathData([px([i, -N]), px([i, N])]) }));
    orig.append(s('path', { class: i === 0 ? 'axis-orig' : 'grid-orig', d: pathData([px([-N, i]), px([N, i])]) }));
  }
  orig.append(s('path', { class: 'circle-orig', d: pathData(circle.map(px), true) }));
  orig.append(s('path', { class: 'basis-orig', d: pathData([px([0, 0]), px([1, 0])]), 'marker-end': `url(#${origArrowId})` }));
  orig.append(s('path', { class: 'basis-orig', d: pathData([px([0, 0]), px([0, 1])]), 'marker-end': `url(#${origArrowId})` }));
  svg.append(orig);

  // The image of the grid: lines map to lines (a long segment, clipped by the view).
  const image = s('g', { class: 'image', 'data-testid': 'geometry-image' });
  const K = Math.min(40, 3 * N);
  const L = 4 * K;
  for (let i = -K; i <= K; i++) {
    const cls = i === 0 ? 'axis-image' : 'grid-image';
    image.append(s('path', { class: cls, d: pathData([px(A([i, -L])), px(A([i, L]))]) }));
    image.append(s('path', { class: cls, d: pathData([px(A([-L, i])), px(A([L, i]))]) }));
  }
  svg.append(image);

  // det: the image of the unit square, shaded by the sign of det.
  svg.append(s('path', { class: `det-area ${g.det < 0 ? 'det-neg' : 'det-pos'}`, 'data-testid': 'geometry-det-area', d: pathData(square.map(px), true) }));
  svg.append(s('path', { class: 'ellipse', 'data-testid': 'geometry-ellipse', d: pathData(ellipse.map(px), true) }));

  // Real eigenvectors: lines through the origin.
  for (const [i, e] of g.eigenvectors.entries()) {
    const v: P2 = [e.vector[0] ?? 0, e.vector[1] ?? 0];
    const far = 3 * extent;
    svg.append(s('path', { class: 'eigen', 'data-testid': 'geometry-eigen', d: pathData([px([-far * v[0], -far * v[1]]), px([far * v[0], far * v[1]])]) }));
    const sign = v[0] < 0 ? -1 : 1;
    const at = px([0.82 * extent * sign * v[0], 0.82 * extent * sign * v[1]]);
    svg.append(s('text', { class: 'eigen-label', x: Math.min(SIZE - 70, at[0]), y: Math.max(14, Math.min(SIZE - 6, at[1] + (i ? 14 : -6))) }, `λ = ${fmt(e.value, 4)}`));
  }

  // Images of the basis vectors.
  for (const [i, v] of [e1, e2].entries()) {
    const end = px(v);
    svg.append(s('path', { class: 'basis-image', 'data-testid': `geometry-e${i + 1}`, d: pathData([px([0, 0]), end]), 'marker-end': `url(#${arrowId})` }));
    svg.append(s('text', { class: 'basis-label', x: end[0] + 4, y: end[1] - 4 }, `Ae${SUBSCRIPTS[i]}`));
  }

  const c = px(A([0.5, 0.5]));
  svg.append(s('text', { class: 'det-label', 'data-testid': 'geometry-det', x: c[0], y: c[1] }, `det = ${fmt(g.det, 4)}`));
  return svg;
}

// ---------------------------------------------------------------- 3-D

/** An orthographic view from azimuth 35°, elevation 25°: x to the lower left, y to the lower right, z up. */
const AZ = (35 * Math.PI) / 180;
const EL = (25 * Math.PI) / 180;
const RIGHT: P3 = [-Math.sin(AZ), Math.cos(AZ), 0];
const UP: P3 = [-Math.sin(EL) * Math.cos(AZ), -Math.sin(EL) * Math.sin(AZ), Math.cos(EL)];
const project = (p: P3): P2 => [p[0] * RIGHT[0] + p[1] * RIGHT[1] + p[2] * RIGHT[2], p[0] * UP[0] + p[1] * UP[1] + p[2] * UP[2]];

function draw3(g: Geometry): SVGSVGElement {
  const m = g.matrix;
  const A = (p: P3): P3 => [0, 1, 2].map((i) => entry(m, i, 0) * p[0] + entry(m, i, 1) * p[1] + entry(m, i, 2) * p[2]) as P3;
  const corners: P3[] = [];
  for (let b = 0; b < 8; b++) corners.push([b & 1, (b >> 1) & 1, (b >> 2) & 1]);
  const edges: [number, number][] = [];
  for (let a = 0; a < 8; a++) for (const bit of [1, 2, 4]) if (!(a & bit)) edges.push([a, a | bit]);
  const faces = [
    [0, 1, 3, 2],
    [4, 5, 7, 6],
    [0, 1, 5, 4],
    [2, 3, 7, 6],
    [0, 2, 6, 4],
    [1, 3, 7, 5],
  ];
  const sphere = (lat: number, lon: number): P3 => [Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)];
  const rings: P3[][] = [];
  for (const latDeg of [-60, -30, 0, 30, 60]) {
    const ring: P3[] = [];
    for (let i = 0; i <= 72; i++) ring.push(sphere((latDeg * Math.PI) / 180, (2 * Math.PI * i) / 72));
    rings.push(ring);
  }
  for (const lonDeg of [0, 30, 60, 90, 120, 150]) {
    const ring: P3[] = [];
    for (let i = 0; i <= 72; i++) ring.push(sphere((2 * Math.PI * i) / 72, (lonDeg * Math.PI) / 180));
    rings.push(ring);
  }
  const imgCorners = corners.map(A);
  const imgRings = rings.map((r) => r.map(A));
  const basis: P3[] = [A([1, 0, 0]), A([0, 1, 0]), A([0, 0, 1])];
  const reach = Math.max(1, ...basis.map((v) => Math.hypot(...v)), ...imgCorners.map((v) => Math.hypot(...v)));

  // Fit everything that is drawn (not the eigen lines, which are clipped) into the view.
  const pts = [...corners, ...imgCorners, ...imgRings.flat(), [1.3, 0, 0], [0, 1.3, 0], [0, 0, 1.3], [-1, -1, -1], [1, 1, 1]].map((p) => project(p as P3));
  const xs = pts.map((p) => p[0]).filter(Number.isFinite);
  const ys = pts.map((p) => p[1]).filter(Number.isFinite);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  const pad = 16;
  const top = 26; // room for the det label
  const k = Math.min((SIZE - 2 * pad) / (x1 - x0 || 1), (SIZE - pad - top) / (y1 - y0 || 1));
  const ox = (SIZE - k * (x1 - x0)) / 2 - k * x0;
  const oy = top + (SIZE - pad - top - k * (y1 - y0)) / 2 + k * y1;
  const px = (p: P3): P2 => {
    const [u, v] = project(p);
    return [ox + k * u, oy - k * v];
  };

  const arrowId = uid('arrow');
  const svg = s('svg', {
    class: 'chart geometry-3d',
    'data-testid': 'geometry-svg',
    viewBox: `0 0 ${SIZE} ${SIZE}`,
    role: 'img',
    'aria-label': `The map of space: the unit cube goes to a parallelepiped of signed volume det = ${fmt(g.det, 4)}`,
  });
  svg.append(s('defs', {}, arrowMarker(arrowId, 'arrowhead image')));

  const orig = s('g', { class: 'orig', 'data-testid': 'geometry-orig' });
  for (const [a, b] of edges) orig.append(s('path', { class: 'grid-orig', d: pathData([px(corners[a]!), px(corners[b]!)]) }));
  for (const [i, axis] of (['x', 'y', 'z'] as const).entries()) {
    const end: P3 = [0, 0, 0];
    end[i] = 1.3;
    const e = px(end);
    orig.append(s('path', { class: 'axis-orig', d: pathData([px([0, 0, 0]), e]) }));
    orig.append(s('text', { class: 'axis-label', x: e[0], y: e[1] - 3 }, axis));
  }
  svg.append(orig);

  const sign = g.det < 0 ? 'det-neg' : 'det-pos';
  const solid = s('g', { class: 'image', 'data-testid': 'geometry-image' });
  for (const f of faces) solid.append(s('path', { class: `det-area face ${sign}`, d: pathData(f.map((i) => px(imgCorners[i]!)), true) }));
  for (const [a, b] of edges) solid.append(s('path', { class: 'cube-edge', d: pathData([px(imgCorners[a]!), px(imgCorners[b]!)]) }));
  svg.append(solid);

  const wire = s('g', { class: 'ellipsoid', 'data-testid': 'geometry-ellipse' });
  for (const r of imgRings) wire.append(s('path', { class: 'ellipse wire', d: pathData(r.map(px)) }));
  svg.append(wire);

  for (const e of g.eigenvectors) {
    const v: P3 = [e.vector[0] ?? 0, e.vector[1] ?? 0, e.vector[2] ?? 0];
    const far = 1.25 * reach;
    const a = px([-far * v[0], -far * v[1], -far * v[2]]);
    const b = px([far * v[0], far * v[1], far * v[2]]);
    svg.append(s('path', { class: 'eigen', 'data-testid': 'geometry-eigen', d: pathData([a, b]) }));
    // The label goes at whichever end of the line is further right, kept inside the view.
    const end = b[0] >= a[0] ? b : a;
    const lx = Math.max(4, Math.min(SIZE - 78, end[0]));
    const ly = Math.max(top + 12, Math.min(SIZE - 6, end[1]));
    svg.append(s('text', { class: 'eigen-label', x: lx, y: ly }, `λ = ${fmt(e.value, 4)}`));
  }

  for (const [i, v] of basis.entries()) {
    const end = px(v);
    svg.append(s('path', { class: 'basis-image', 'data-testid': `geometry-e${i + 1}`, d: pathData([px([0, 0, 0]), end]), 'marker-end': `url(#${arrowId})` }));
    svg.append(s('text', { class: 'basis-label', x: end[0] + 4, y: end[1] - 4 }, `Ae${SUBSCRIPTS[i]}`));
  }

  svg.append(s('text', { class: 'det-label corner', 'data-testid': 'geometry-det', x: 8, y: 18 }, `det = volume = ${fmt(g.det, 4)}`));
  return svg;
}
