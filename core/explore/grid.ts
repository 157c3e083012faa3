/**
 * The playground's heat map and contours: f on a regular grid (a tight loop
 * over a compiled closure), contour levels, marching squares joined into
 * polylines, and gradient arrows.
 */
import type { Segment } from './types';
import type { F2, Grad2 } from './optim';

export interface Box {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
}

export interface Grid {
  nx: number;
  ny: number;
  box: Box;
  /** Row-major, ny rows from ymin to ymax, nx columns from xmin to xmax (grid points include the box's edges); NaN where f is not finite. */
  values: Float64Array;
  /** Over the finite values (NaN when there are none). */
  min: number;
  max: number;
  /** Finite values. */
  finite: number;
  /** True when the values span several decades above their minimum (Rosenbrock): colour and contour on log(f − min). */
  log: boolean;
}

/** f on an nx × ny grid over `box`. */
export function contourGrid(f: F2, box: Box, nx = 400, ny = 400): Grid {
  nx = Math.max(2, Math.floor(nx));
  ny = Math.max(2, Math.floor(ny));
  const values = new Float64Array(nx * ny);
  const xs = new Float64Array(nx);
  const dx = (box.xmax - box.xmin) / (nx - 1);
  const dy = (box.ymax - box.ymin) / (ny - 1);
  for (let i = 0; i < nx; i++) xs[i] = box.xmin + i * dx;
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let j = 0; j < ny; j++) {
    const y = box.ymin + j * dy;
    const row = j * nx;
    for (let i = 0; i < nx; i++) {
      const v = f(xs[i]!, y);
      if (v - v === 0) {
        // finite
        values[row + i] = v;
        if (v < min) min = v;
        if (v > max) max = v;
        count++;
      } else values[row + i] = NaN;
    }
  }
  if (count === 0) {
    min = NaN;
    max = NaN;
  }
  const grid: Grid = { nx, ny, box, values, min, max, finite: count, log: false };
  grid.log = suggestLog(grid);
  return grid;
}

/** A sample of the finite values (at most ~4096), sorted. */
function sampleSorted(g: Grid): Float64Array {
  const n = g.values.length;
  const stride = Math.max(1, Math.floor(n / 4096));
  const out: number[] = [];
  for (let i = 0; i < n; i += stride) {
    const v = g.values[i]!;
    if (v === v) out.push(v);
  }
  return Float64Array.from(out).sort();
}

function q(s: Float64Array, p: number): number {
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))]!;
}

/**
 * Log scale when a tenth of the grid lies within 1% of the range above the
 * minimum (Rosenbrock's valley, Beale's plateaus), or f − min spans more than
 * 2.5 decades between its 10th and 90th percentiles: a linear scale would
 * show one colour over much of the picture.
 */
function suggestLog(g: Grid): boolean {
  if (!(g.max > g.min)) return false;
  const s = sampleSorted(g);
  if (s.length < 16) return false;
  const lo = q(s, 0.1) - g.min;
  const hi = q(s, 0.9) - g.min;
  const range = g.max - g.min;
  // A tenth of the picture within 1% of the range above the minimum (Rosenbrock's valley), or a wide spread of decades.
  return hi > 0 && (lo < 0.01 * range || (lo > 0 && hi / lo > 10 ** 2.5));
}

/**
 * Contour levels: on a log grid, log-spaced between the 1st and 99th
 * percentiles of f − min (plus min); otherwise at evenly spaced quantiles of
 * the values (so the lines are spread over the picture, not bunched where f
 * is steep).
 */
export function contourLevels(g: Grid, count = 12): number[] {
  if (!(g.max > g.min) || count < 1) return [];
  const s = sampleSorted(g);
  const out: number[] = [];
  if (g.log) {
    const range = g.max - g.min;
    const lo = Math.max(q(s, 0.01) - g.min, 1e-9 * range);
    const hi = Math.max(q(s, 0.99) - g.min, lo * 10);
    const a = Math.log(lo);
    const b = Math.log(hi);
    for (let k = 0; k < count; k++) out.push(g.min + Math.exp(a + ((b - a) * k) / Math.max(1, count - 1)));
  } else {
    for (let k = 0; k < count; k++) out.push(q(s, (k + 0.5) / count));
  }
  // Distinct and strictly inside (min, max).
  const uniq = [...new Set(out)].filter((v) => v > g.min && v < g.max).sort((a, b) => a - b);
  return uniq.map((v) => Number(v.toPrecision(6)));
}

/**
 * Marching squares: for each level, the contour as polylines (x0, y0, x1,
 * y1, …) in the box's coordinates. Cells with a non-finite corner are skipped.
 * Saddle cells are resolved by the value at the cell's centre (the corners'
 * mean). A closed contour is returned closed (its last point equals its first).
 */
export function contourLines(g: Grid, levels: readonly number[]): { level: number; lines: Segment[] }[] {
  return levels.map((level) => ({ level, lines: contourLevel(g, level) }));
}

function contourLevel(g: Grid, level: number): Segment[] {
  const { nx, ny, values: v, box } = g;
  const dx = (box.xmax - box.xmin) / (nx - 1);
  const dy = (box.ymax - box.ymin) / (ny - 1);
  // Edge ids: horizontal edge (i, j)–(i+1, j) → j*(nx−1) + i; vertical edge (i, j)–(i, j+1) → H + j*nx + i.
  const H = (nx - 1) * ny;
  // Segments as pairs of edge ids.
  const segA: number[] = [];
  const segB: number[] = [];
  for (let j = 0; j < ny - 1; j++) {
    const r0 = j * nx;
    const r1 = r0 + nx;
    for (let i = 0; i < nx - 1; i++) {
      const a = v[r0 + i]!; // (i, j)
      const b = v[r0 + i + 1]!; // (i+1, j)
      const c = v[r1 + i + 1]!; // (i+1, j+1)
      const d = v[r1 + i]!; // (i, j+1)
      if (!(a === a && b === b && c === c && d === d)) continue;
      const idx = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (c > level ? 4 : 0) | (d > level ? 8 : 0);
      if (idx === 0 || idx === 15) continue;
      const bottom = j * (nx - 1) + i;
      const top = (j + 1) * (nx - 1) + i;
      const left = H + j * nx + i;
      const right = H + j * nx + i + 1;
      switch (idx) {
        case 1:
        case 14:
          segA.push(bottom);
          segB.push(left);
          break;
        case 2:
        case 13:
          segA.push(bottom);
          segB.push(right);
          break;
        case 3:
        case 12:
          segA.push(left);
          segB.push(right);
          break;
        case 4:
        case 11:
          segA.push(right);
          segB.push(top);
          break;
        case 6:
        case 9:
          segA.push(bottom);
          segB.push(top);
          break;
        case 7:
        case 8:
          segA.push(left);
          segB.push(top);
          break;
        case 5:
        case 10: {
          // Saddle: a and c on one side, b and d on the other.
          const centre = 0.25 * (a + b + c + d) > level;
          const aHigh = idx === 5;
          if (centre === aHigh) {
            // The high corners a, c are joined through the centre: cut off b and d.
            segA.push(bottom, left);
            segB.push(right, top);
          } else {
            segA.push(bottom, right);
            segB.push(left, top);
          }
          break;
        }
      }
    }
  }
  const nseg = segA.length;
  if (nseg === 0) return [];
  // The point on each edge used, by linear interpolation.
  const point = (e: number, out: number[]) => {
    if (e < H) {
      const j = Math.floor(e / (nx - 1));
      const i = e - j * (nx - 1);
      const va = v[j * nx + i]!;
      const vb = v[j * nx + i + 1]!;
      const t = va === vb ? 0.5 : (level - va) / (vb - va);
      out.push(box.xmin + (i + t) * dx, box.ymin + j * dy);
    } else {
      const k = e - H;
      const j = Math.floor(k / nx);
      const i = k - j * nx;
      const va = v[j * nx + i]!;
      const vb = v[(j + 1) * nx + i]!;
      const t = va === vb ? 0.5 : (level - va) / (vb - va);
      out.push(box.xmin + i * dx, box.ymin + (j + t) * dy);
    }
  };
  // Each edge is shared by at most two segments: link them.
  const ends = new Map<number, number>(); // edge → first segment seen (or −1 − s for the second)
  const link0 = new Int32Array(nseg).fill(-1); // neighbour of segA[s]'s end
  const link1 = new Int32Array(nseg).fill(-1); // neighbour of segB[s]'s end
  const attach = (edge: number, s: number, side: 0 | 1) => {
    const other = ends.get(edge);
    if (other === undefined) {
      ends.set(edge, s * 2 + side);
      return;
    }
    const os = other >> 1;
    const oside = other & 1;
    if (side === 0) link0[s] = os;
    else link1[s] = os;
    if (oside === 0) link0[os] = s;
    else link1[os] = s;
  };
  for (let s = 0; s < nseg; s++) {
    attach(segA[s]!, s, 0);
    attach(segB[s]!, s, 1);
  }
  const used = new Uint8Array(nseg);
  const lines: Segment[] = [];
  const walk = (start: number, fromEdge: number): number[] => {
    // Edges along the chain, starting with fromEdge's opposite end.
    const edges: number[] = [];
    let s = start;
    let entry = fromEdge;
    while (s >= 0 && !used[s]) {
      used[s] = 1;
      const exit = segA[s] === entry ? segB[s]! : segA[s]!;
      const next = segA[s] === entry ? link1[s]! : link0[s]!;
      edges.push(exit);
      entry = exit;
      s = next;
    }
    return edges;
  };
  for (let s = 0; s < nseg; s++) {
    if (used[s]) continue;
    const [first, entry] = chainStart(s);
    const edges = [entry, ...walk(first, entry)];
    const pts: number[] = [];
    for (const e of edges) point(e, pts);
    if (pts.length >= 4) lines.push(pts);
  }
  return lines;

  /**
   * The first segment of the chain through s and the open edge it starts
   * from: follow the neighbours back from s's first edge to an open end (or,
   * for a closed contour, all the way round to s).
   */
  function chainStart(s: number): [number, number] {
    let first = s;
    let entry = segA[s]!;
    let cur = link0[s]!;
    for (let k = 0; k <= nseg && cur >= 0 && cur !== s && !used[cur]; k++) {
      const viaA = segA[cur] === entry;
      const other = viaA ? segB[cur]! : segA[cur]!;
      first = cur;
      cur = viaA ? link1[cur]! : link0[cur]!;
      entry = other;
    }
    return [first, entry];
  }
}

/**
 * Gradient arrows at the centres of an n × n grid of cells: x, y, −∂f/∂x,
 * −∂f/∂y per arrow, scaled for display. The direction is exact; the length
 * is 0.9 × the cell size × √(|∇f| / max |∇f|) (at least a quarter cell, so
 * directions stay visible where the gradient is small). Arrows where the
 * gradient is not finite or zero are left out.
 */
export function gradientArrows(grad: Grad2, box: Box, n = 20): { arrows: number[]; maxNorm: number } {
  n = Math.max(1, Math.floor(n));
  const cw = (box.xmax - box.xmin) / n;
  const ch = (box.ymax - box.ymin) / n;
  const cell = Math.min(cw, ch);
  const g = new Float64Array(2);
  const raw: number[] = [];
  let maxNorm = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = box.xmin + (i + 0.5) * cw;
      const y = box.ymin + (j + 0.5) * ch;
      grad(x, y, g);
      const gx = g[0]!;
      const gy = g[1]!;
      const norm = Math.hypot(gx, gy);
      if (!Number.isFinite(norm) || norm === 0) continue;
      raw.push(x, y, gx, gy, norm);
      if (norm > maxNorm) maxNorm = norm;
    }
  }
  const arrows: number[] = [];
  for (let k = 0; k < raw.length; k += 5) {
    const norm = raw[k + 4]!;
    const len = 0.9 * cell * Math.max(0.25, Math.sqrt(norm / maxNorm));
    arrows.push(raw[k]!, raw[k + 1]!, (-raw[k + 2]! / norm) * len, (-raw[k + 3]! / norm) * len);
  }
  return { arrows, maxNorm };
}
