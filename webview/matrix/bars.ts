/**
 * Bar charts (singular values, eigenvalue moduli, explained variance,
 * low-rank errors) as SVG: labelled axes, round ticks, one <title> per bar.
 */
import type { DecompositionView } from '../../core/protocol';
import { fmt, niceTicks } from './format';
import { s } from '../common/svg';

type Bars = NonNullable<DecompositionView['bars']>;

const W = 480;
const H = 220;
const M = { left: 56, right: 12, top: 12, bottom: 44 };

export function renderBars(bars: Bars, testid: string): SVGSVGElement {
  const values = bars.values.map((v) => (Number.isFinite(v) ? v : 0));
  const n = values.length;
  const lo = Math.min(0, ...values);
  const hi0 = Math.max(0, ...values);
  const hi = hi0 === lo ? lo + 1 : hi0;
  const ticks = niceTicks(lo, hi, 4);
  // The axis ends on a tick at or beyond the largest bar.
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 0;
  if (step > 0 && ticks.at(-1)! < hi - step * 1e-9) ticks.push(ticks.at(-1)! + step);
  if (step > 0 && ticks[0]! > lo + step * 1e-9) ticks.unshift(ticks[0]! - step);
  const top = Math.max(hi, ticks.at(-1) ?? hi);
  const bottom = Math.min(lo, ticks[0] ?? lo);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const y = (v: number) => M.top + plotH * (1 - (v - bottom) / (top - bottom || 1));
  const slot = plotW / Math.max(1, n);
  const barW = Math.max(1, Math.min(48, slot * (n > 40 ? 0.9 : 0.7)));
  const name = (i: number) => bars.names?.[i] ?? String(i + 1);
  // Label at most ~16 bars along the x axis.
  const every = Math.max(1, Math.ceil(n / 16));

  const svg = s('svg', {
    class: 'chart bars',
    'data-testid': testid,
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-label': `${bars.label}: ${values.map((v, i) => `${name(i)} ${fmt(v, 4)}`).join(', ')}`,
  });
  const grid = s('g', { class: 'grid' });
  const axis = s('g', { class: 'axis' });
  for (const t of ticks) {
    grid.append(s('line', { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t) }));
    axis.append(s('text', { x: M.left - 6, y: y(t), class: 'tick-label y' }, fmt(t, 3)));
  }
  const zero = y(0);
  axis.append(s('line', { class: 'axis-line', x1: M.left, x2: W - M.right, y1: zero, y2: zero }));
  axis.append(s('line', { class: 'axis-line', x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom }));
  const g = s('g', { class: 'bar-set' });
  values.forEach((v, i) => {
    const x = M.left + slot * i + (slot - barW) / 2;
    const y0 = y(Math.max(0, v));
    const y1 = y(Math.min(0, v));
    g.append(
      s('rect', { class: 'bar', x, y: y0, width: barW, height: Math.max(0, y1 - y0), 'data-value': String(v) }, s('title', {}, `${name(i)}: ${fmt(v)}`)),
    );
    if (i % every === 0 || i === n - 1) {
      axis.append(s('text', { x: x + barW / 2, y: H - M.bottom + 14, class: 'tick-label x' }, name(i)));
    }
  });
  if (!bars.names) axis.append(s('text', { class: 'axis-title', x: M.left + plotW / 2, y: H - 6 }, 'index'));
  axis.append(s('text', { class: 'axis-title', x: 14, y: M.top + plotH / 2, transform: `rotate(-90 14 ${M.top + plotH / 2})` }, bars.label));
  svg.append(grid, g, axis);
  return svg;
}
