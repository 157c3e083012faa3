/**
 * The PCA scatter of a data matrix: the samples' first two principal-component
 * scores as dots (one path, so thousands of points stay cheap), the principal
 * axes as arrows from the mean, round ticks, labelled axes. Both axes use
 * the same scale, so the spread along each component is shown honestly.
 */
import type { MatrixPanelData } from '../../core/protocol';
import { h } from '../common/dom';
import { fmt, niceTicks } from './format';
import { arrowMarker, num, pathData, s, uid } from '../common/svg';

type Scatter = NonNullable<MatrixPanelData['scatter']>;

const W = 420;
const H = 320;
const M = { left: 48, right: 14, top: 12, bottom: 40 };

export function renderScatter(sc: Scatter): HTMLElement {
  const finite = (p: readonly number[]) => Number.isFinite(p[0]) && Number.isFinite(p[1]);
  const points = sc.points.filter(finite);
  const axes = sc.axes.filter((a) => finite(a.from) && finite(a.to));
  const all = [...points, ...axes.flatMap((a) => [a.from, a.to])];
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  let x0 = Math.min(0, ...xs);
  let x1 = Math.max(0, ...xs);
  let y0 = Math.min(0, ...ys);
  let y1 = Math.max(0, ...ys);
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  // Equal scale on both axes, the data centred in the plot.
  const k = Math.min(plotW / ((x1 - x0) * 1.08), plotH / ((y1 - y0) * 1.08));
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const px = (p: readonly number[]): [number, number] => [M.left + plotW / 2 + (p[0]! - cx) * k, M.top + plotH / 2 - (p[1]! - cy) * k];
  const vx0 = cx - plotW / 2 / k;
  const vx1 = cx + plotW / 2 / k;
  const vy0 = cy - plotH / 2 / k;
  const vy1 = cy + plotH / 2 / k;

  const arrowId = uid('pc-arrow');
  const svg = s('svg', {
    class: 'chart scatter',
    'data-testid': 'scatter-svg',
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-label': `Scatter of ${points.length} samples on ${sc.xLabel} and ${sc.yLabel}, with ${axes.length} principal axes`,
  });
  svg.append(s('defs', {}, arrowMarker(arrowId, 'arrowhead pc')));
  const grid = s('g', { class: 'grid' });
  const axis = s('g', { class: 'axis' });
  for (const t of niceTicks(vx0, vx1, 6)) {
    const [x] = px([t, 0]);
    grid.append(s('line', { x1: x, x2: x, y1: M.top, y2: H - M.bottom }));
    axis.append(s('text', { class: 'tick-label x', x, y: H - M.bottom + 14 }, fmt(t, 3)));
  }
  for (const t of niceTicks(vy0, vy1, 5)) {
    const [, y] = px([0, t]);
    grid.append(s('line', { x1: M.left, x2: W - M.right, y1: y, y2: y }));
    axis.append(s('text', { class: 'tick-label y', x: M.left - 6, y }, fmt(t, 3)));
  }
  axis.append(s('rect', { class: 'frame', x: M.left, y: M.top, width: plotW, height: plotH }));
  axis.append(s('text', { class: 'axis-title', 'data-testid': 'scatter-x-label', x: M.left + plotW / 2, y: H - 6 }, sc.xLabel));
  axis.append(
    s('text', { class: 'axis-title', 'data-testid': 'scatter-y-label', x: 14, y: M.top + plotH / 2, transform: `rotate(-90 14 ${num(M.top + plotH / 2)})` }, sc.yLabel),
  );

  const clip = uid('scatter-clip');
  svg.append(s('defs', {}, s('clipPath', { id: clip }, s('rect', { x: M.left, y: M.top, width: plotW, height: plotH }))));
  const dots = s('path', {
    class: 'dots',
    'data-testid': 'scatter-points',
    'clip-path': `url(#${clip})`,
    d: points.map((p) => `M${num(px(p)[0])} ${num(px(p)[1])}h0`).join(''),
  });
  const arrows = s('g', { class: 'pc-axes' });
  for (const a of axes) {
    const end = px(a.to);
    arrows.append(s('path', { class: 'pc-axis', 'data-testid': 'scatter-axis', d: pathData([px(a.from), end]), 'marker-end': `url(#${arrowId})` }));
    arrows.append(s('text', { class: 'pc-label', x: end[0] + 4, y: end[1] - 4 }, a.label));
  }
  svg.append(grid, axis, dots, arrows);
  return h(
    'section',
    { class: 'scatter-section', testid: 'scatter', attrs: { 'aria-label': 'Principal components' } },
    h('h2', {}, 'Principal components'),
    svg,
    sc.note ? h('p', { class: 'note', testid: 'scatter-note' }, sc.note) : null,
  );
}
