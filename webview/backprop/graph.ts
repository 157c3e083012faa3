/**
 * The computational graph as SVG, left to right, at the engine's layout:
 * node boxes (label, value, gradient below), edge polylines with arrowheads.
 * Built once per result and view (full or collapsed); `update` only toggles
 * classes and texts for a playback position and a selection, so stepping
 * through a large graph stays cheap.
 *
 * Keyboard: the graph is one tab stop (roving tabindex); ←/→ move to an
 * input/a consumer, ↑/↓ within a column, Home/End to the first node/the
 * output, Enter or Space selects. Zoom with the toolbar or Ctrl+wheel; pan by
 * scrolling or dragging the background.
 */
import type { BackpropSuccess } from '../../core/backprop/index';
import { h } from '../common/dom';
import { fmtLong, valueShort, valueText } from './format';
import type { Timeline } from './model';
import { nodeState } from './model';
import { arrowMarker, num, pathData, s, uid } from '../common/svg';

/** One box in the view: an engine node, or a folded group (collapsed view). */
export interface Item {
  index: number;
  /** The engine node it stands for (a folded group: its first member). */
  node: number;
  members: number[];
  count: number;
  kind: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

interface ViewEdge {
  from: number;
  to: number;
  points: { x: number; y: number }[];
}

export interface GraphView {
  element: HTMLElement;
  items: Item[];
  /** The view item showing an engine node. */
  itemOf(node: number): number | undefined;
  update(step: number | undefined, selected: number | undefined): void;
  /** Moves keyboard focus to the item showing `node` (scrolling it into view). */
  focusNode(node: number): void;
  dispose(): void;
}

/** An edge's tooltip: which input feeds which node, and the chain rule's numbers on it. */
function edgeTitle(r: BackpropSuccess, k: number): string {
  const e = r.edges[k]!;
  const name = (id: number) => r.nodes[id]?.name ?? r.nodes[id]?.label ?? String(id);
  const parts = [`${name(e.from)} → ${name(e.to)}`];
  if (e.local !== null) parts.push(`local ${fmtLong(e.local)}`);
  else if (e.localLatex) parts.push(`local ${e.localLatex}`);
  if (e.upstream !== null) parts.push(`upstream ${valueText(e.upstream, 40)}`);
  if (e.product !== null) parts.push(`product ${valueText(e.product, 40)}`);
  return parts.join(' · ');
}

const PAD = { left: 14, top: 12, right: 14, bottom: 28 };
const CHAR = 6.4; // approximate advance of the 10.5px monospace value line

export function createGraph(r: BackpropSuccess, t: Timeline, collapsed: boolean, onActivate: (item: Item) => void): GraphView {
  const folded = collapsed && r.collapsed ? r.collapsed : undefined;
  const items: Item[] = folded
    ? folded.nodes.map((v, i) => ({ index: i, node: v.members[0] ?? 0, members: v.members, count: v.count, kind: v.kind, label: v.label, x: v.x, y: v.y, width: v.width, height: v.height }))
    : r.nodes.map((n, i) => ({ index: i, node: n.id, members: [n.id], count: 1, kind: 'node', label: n.label, x: n.x, y: n.y, width: n.width, height: n.height }));
  const viewEdges: ViewEdge[] = folded ? folded.edges : r.edges;
  const itemOfNode = new Map<number, number>();
  for (const it of items) for (const m of it.members) itemOfNode.set(m, it.index);
  // Engine edge k → the view edge drawn for it (none when both ends are folded together).
  const viewEdgeKey = new Map<string, number>();
  viewEdges.forEach((e, i) => viewEdgeKey.set(`${e.from}>${e.to}`, i));
  const edgeView = r.edges.map((e) => {
    const a = itemOfNode.get(e.from);
    const b = itemOfNode.get(e.to);
    return a === undefined || b === undefined ? undefined : viewEdgeKey.get(`${a}>${b}`);
  });

  const W = (folded ? folded.width : r.width) + PAD.left + PAD.right;
  const H = (folded ? folded.height : r.height) + PAD.top + PAD.bottom;
  const markerId = uid('bp-arrow');
  const markerFwd = uid('bp-arrow-fwd');
  const markerBwd = uid('bp-arrow-bwd');
  const svg = s('svg', {
    class: 'graph-svg',
    'data-testid': 'graph-svg',
    viewBox: `${-PAD.left} ${-PAD.top} ${num(W)} ${num(H)}`,
    width: num(W),
    height: num(H),
    role: 'group',
    'aria-label': `Computational graph of ${r.output}: ${items.length} nodes. Arrow keys move between nodes, Enter selects.`,
  });
  svg.append(s('defs', {}, arrowMarker(markerId, 'arrow', 8), arrowMarker(markerFwd, 'arrow fwd', 8), arrowMarker(markerBwd, 'arrow bwd', 8)));

  // Edges below nodes.
  const edgeLayer = s('g', { class: 'edges' });
  const edgeEls = viewEdges.map((e, i) => {
    const p = s('path', { class: 'edge', 'data-testid': 'edge', 'data-index': i, 'data-from': e.from, 'data-to': e.to, d: pathData(e.points.map((q) => [q.x, q.y] as const)), 'marker-end': `url(#${markerId})` });
    if (!folded) p.append(s('title', {}, edgeTitle(r, i)));
    edgeLayer.append(p);
    return p;
  });
  const labelLayer = s('g', { class: 'edge-labels' });
  svg.append(edgeLayer);

  const nodeLayer = s('g', { class: 'nodes' });
  interface NodeEls {
    g: SVGGElement;
    value: SVGTextElement;
    grad: SVGTextElement;
    lastValue: string;
    lastGrad: string;
  }
  const els: NodeEls[] = items.map((it) => {
    const n = r.nodes[it.node]!;
    const kindClass = it.count > 1 ? 'folded' : n.op === 'input' ? 'leaf' : n.op === 'const' ? 'const' : 'op';
    const g = s('g', {
      class: `node ${kindClass}${it.node === r.outputId && it.count === 1 ? ' output' : ''}`,
      'data-testid': 'node',
      'data-id': it.node,
      'data-item': it.index,
      tabindex: '-1',
      role: 'button',
      'aria-pressed': 'false',
    });
    const cx = it.x + it.width / 2;
    g.append(
      s('rect', { class: 'box', x: it.x, y: it.y, width: it.width, height: it.height, rx: 5, ry: 5 }),
      s('text', { class: 'label', 'data-testid': 'node-label', x: cx, y: it.y + 15, 'text-anchor': 'middle' }, it.label),
    );
    const value = s('text', { class: 'value', 'data-testid': 'node-value', x: cx, y: it.y + 29, 'text-anchor': 'middle' });
    const grad = s('text', { class: 'grad', 'data-testid': 'node-grad', x: cx, y: it.y + it.height + 12, 'text-anchor': 'middle' });
    g.append(value, grad);
    if (it.count > 1) value.textContent = `${it.kind} ×${it.count}`;
    g.addEventListener('click', () => {
      setFocusItem(it.index, false);
      onActivate(it);
    });
    nodeLayer.append(g);
    return { g, value, grad, lastValue: '', lastGrad: '' };
  });
  svg.append(nodeLayer, labelLayer);

  // ---------------------------------------------------------------- keyboard (roving tabindex)

  const ins: number[][] = items.map(() => []);
  const outs: number[][] = items.map(() => []);
  for (const e of viewEdges) {
    if (!ins[e.to] || !outs[e.from]) continue;
    ins[e.to]!.push(e.from);
    outs[e.from]!.push(e.to);
  }
  const columns = new Map<number, number[]>();
  for (const it of items) {
    const key = Math.round(it.x);
    const col = columns.get(key) ?? [];
    col.push(it.index);
    columns.set(key, col);
  }
  for (const col of columns.values()) col.sort((a, b) => items[a]!.y - items[b]!.y);
  const centre = (i: number) => items[i]!.y + items[i]!.height / 2;
  const nearest = (from: number, list: number[]) => list.reduce((best, i) => (Math.abs(centre(i) - centre(from)) < Math.abs(centre(best) - centre(from)) ? i : best), list[0]!);

  let focusItem = itemOfNode.get(r.outputId) ?? 0;
  function setFocusItem(i: number, focus: boolean): void {
    if (!els[i]) return;
    els[focusItem]?.g.setAttribute('tabindex', '-1');
    focusItem = i;
    els[i]!.g.setAttribute('tabindex', '0');
    if (focus) els[i]!.g.focus();
  }
  if (els.length) els[focusItem]!.g.setAttribute('tabindex', '0');

  svg.addEventListener('keydown', (e) => {
    const cur = focusItem;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowLeft':
        next = ins[cur]!.length ? nearest(cur, ins[cur]!) : undefined;
        break;
      case 'ArrowRight':
        next = outs[cur]!.length ? nearest(cur, outs[cur]!) : undefined;
        break;
      case 'ArrowUp':
      case 'ArrowDown': {
        const col = columns.get(Math.round(items[cur]!.x))!;
        const k = col.indexOf(cur) + (e.key === 'ArrowUp' ? -1 : 1);
        next = col[k];
        break;
      }
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = itemOfNode.get(r.outputId);
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        e.stopPropagation();
        if (items[cur]) onActivate(items[cur]!);
        return;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
    if (next !== undefined) setFocusItem(next, true);
  });

  // ---------------------------------------------------------------- zoom and pan

  let zoom = 1;
  const zoomLabel = h('span', { class: 'zoom-label', testid: 'zoom-label', attrs: { 'aria-live': 'polite' } }, '100%');
  const scroller = h('div', { class: 'graph-scroll', testid: 'graph-scroll' });
  scroller.append(svg);
  function setZoom(z: number, anchor?: { x: number; y: number }): void {
    const old = zoom;
    zoom = Math.min(4, Math.max(0.05, z));
    svg.setAttribute('width', num(W * zoom));
    svg.setAttribute('height', num(H * zoom));
    zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
    if (anchor) {
      // Keep the point under the pointer in place.
      scroller.scrollLeft = ((scroller.scrollLeft + anchor.x) * zoom) / old - anchor.x;
      scroller.scrollTop = ((scroller.scrollTop + anchor.y) * zoom) / old - anchor.y;
    }
  }
  const fit = () => setZoom(Math.min(1, (scroller.clientWidth - 4) / W, Math.max(0.2, (scroller.clientHeight - 4) / H)));
  const zoomButton = (label: string, testid: string, title: string, f: () => void) => {
    const b = h('vscode-button', { testid, attrs: { secondary: '', title, 'aria-label': title } }, label);
    b.addEventListener('click', f);
    return b;
  };
  const toolbar = h(
    'div',
    { class: 'graph-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Zoom' } },
    zoomButton('−', 'zoom-out', 'Zoom out (Ctrl+wheel)', () => setZoom(zoom / 1.25)),
    zoomLabel,
    zoomButton('+', 'zoom-in', 'Zoom in (Ctrl+wheel)', () => setZoom(zoom * 1.25)),
    zoomButton('Fit', 'zoom-fit', 'Fit the graph in the view', fit),
    zoomButton('1:1', 'zoom-reset', 'Actual size', () => setZoom(1)),
  );
  scroller.addEventListener(
    'wheel',
    (e) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const box = scroller.getBoundingClientRect();
      setZoom(zoom * Math.exp(-e.deltaY / 300), { x: e.clientX - box.left, y: e.clientY - box.top });
    },
    { passive: false },
  );
  let drag: { x: number; y: number; left: number; top: number; id: number } | undefined;
  scroller.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || (e.target instanceof Element && e.target.closest('.node'))) return;
    drag = { x: e.clientX, y: e.clientY, left: scroller.scrollLeft, top: scroller.scrollTop, id: e.pointerId };
    scroller.setPointerCapture(e.pointerId);
    scroller.classList.add('dragging');
  });
  scroller.addEventListener('pointermove', (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    scroller.scrollLeft = drag.left - (e.clientX - drag.x);
    scroller.scrollTop = drag.top - (e.clientY - drag.y);
  });
  const endDrag = () => {
    drag = undefined;
    scroller.classList.remove('dragging');
  };
  scroller.addEventListener('pointerup', endDrag);
  scroller.addEventListener('pointercancel', endDrag);

  const element = h('div', { class: 'graph', testid: 'graph', attrs: { 'data-view': folded ? 'collapsed' : 'full' } }, toolbar, scroller);
  // A small graph starts enlarged to the view's width (up to 150%); a large one at 100%, scrolled.
  requestAnimationFrame(() => {
    const room = scroller.clientWidth - 4;
    if (room > W) setZoom(Math.min(1.5, room / W));
  });

  // ---------------------------------------------------------------- playback and selection

  const estimate = (text: string) => text.length * CHAR;
  function setText(el: SVGTextElement, text: string, width: number): void {
    el.textContent = text;
    if (estimate(text) > width - 6) {
      el.setAttribute('textLength', num(width - 6));
      el.setAttribute('lengthAdjust', 'spacingAndGlyphs');
    } else {
      el.removeAttribute('textLength');
      el.removeAttribute('lengthAdjust');
    }
  }

  /** Scrolls the graph so that an item is in view (centred along an axis where it was out of view). */
  function scrollToItem(i: number): void {
    const it = items[i];
    if (!it || scroller.clientWidth === 0) return;
    const x0 = it.x * zoom;
    const x1 = (it.x + it.width) * zoom;
    const y0 = it.y * zoom;
    const y1 = (it.y + it.height) * zoom;
    if (x0 < scroller.scrollLeft || x1 > scroller.scrollLeft + scroller.clientWidth) scroller.scrollLeft = (x0 + x1) / 2 - scroller.clientWidth / 2;
    if (y0 < scroller.scrollTop || y1 > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = (y0 + y1) / 2 - scroller.clientHeight / 2;
  }

  let shownLabels: SVGElement[] = [];
  let lastCurItem: number | undefined;
  let lastSelItem: number | undefined;
  function update(step: number | undefined, selected: number | undefined): void {
    const cur = step === undefined || step <= 0 ? undefined : r.steps[step - 1];
    const curItem = cur ? itemOfNode.get(cur.node) : undefined;
    const selItem = selected === undefined ? undefined : itemOfNode.get(selected);
    // Follow the playback and the selection: the node they move to comes into view.
    if (curItem !== undefined && curItem !== lastCurItem) scrollToItem(curItem);
    else if (selItem !== undefined && selItem !== lastSelItem) scrollToItem(selItem);
    lastCurItem = curItem;
    lastSelItem = selItem;
    items.forEach((it, i) => {
      const el = els[i]!;
      const g = el.g;
      g.classList.toggle('current', i === curItem);
      g.classList.toggle('current-bwd', i === curItem && cur?.phase === 'backward');
      g.classList.toggle('selected', i === selItem);
      const pressed = i === selItem ? 'true' : 'false';
      if (g.getAttribute('aria-pressed') !== pressed) g.setAttribute('aria-pressed', pressed);
      if (it.count > 1) {
        if (!g.hasAttribute('aria-label')) g.setAttribute('aria-label', `${it.label}: ${it.count} repetitions folded (${it.members.length} nodes)`);
        return;
      }
      const n = r.nodes[it.node]!;
      const st = nodeState(t, n.id, step);
      const showName = n.name !== undefined && n.op !== 'input';
      // A constant's label is its value.
      const valueStr = !st.value || n.op === 'const' ? '' : `${showName ? `${n.name} = ` : n.op === 'input' ? '' : '= '}${valueShort(n.value, n.shape)}`;
      let gradStr = '';
      if (n.grad !== null) {
        if (st.grad) gradStr = `∂ ${valueShort(n.grad, n.shape)}`;
        else if (st.received > 0) gradStr = `∂ … ${st.received}/${st.expected}`;
      }
      if (valueStr !== el.lastValue) {
        setText(el.value, valueStr, it.width);
        el.lastValue = valueStr;
      }
      if (gradStr !== el.lastGrad) {
        el.grad.textContent = gradStr;
        el.lastGrad = gradStr;
      }
      g.classList.toggle('pending', !st.value);
      g.classList.toggle('grad-partial', n.grad !== null && !st.grad && st.received > 0);
      g.classList.toggle('has-grad', n.grad !== null && st.grad);
      const parts = [`${n.name && n.name !== n.label ? `${n.name} = ` : ''}${n.label}`, n.op];
      parts.push(st.value ? `value ${valueText(n.value, 60)}` : 'value not computed yet');
      if (n.grad !== null) parts.push(st.grad ? `gradient ${valueText(n.grad, 60)}` : st.received ? `gradient partial (${st.received} of ${st.expected})` : 'gradient not computed yet');
      const aria = parts.join(', ');
      if (g.getAttribute('aria-label') !== aria) g.setAttribute('aria-label', aria);
    });
    // Edges: active in the current step (forward: inputs read; backward: gradients sent), and gradients already sent.
    const active = new Set(cur?.edges ?? []);
    const activeView = new Map<number, number>();
    for (const k of active) {
      const v = edgeView[k];
      if (v !== undefined) activeView.set(v, k);
    }
    const flowedView = new Set<number>();
    r.edges.forEach((_, k) => {
      const v = edgeView[k];
      if (v !== undefined && (step === undefined ? Number.isFinite(t.edgeFlow[k]!) : t.edgeFlow[k]! < step)) flowedView.add(v);
    });
    edgeEls.forEach((p, i) => {
      const on = activeView.has(i);
      const fwd = on && cur?.phase === 'forward';
      const bwd = on && cur?.phase === 'backward';
      p.classList.toggle('active-fwd', fwd);
      p.classList.toggle('active-bwd', bwd);
      p.classList.toggle('flowed', flowedView.has(i) && !on);
      const marker = `url(#${fwd ? markerFwd : bwd ? markerBwd : markerId})`;
      if (p.getAttribute('marker-end') !== marker) p.setAttribute('marker-end', marker);
    });
    // The products travelling down the current backward step's edges, at each edge's midpoint.
    for (const l of shownLabels) l.remove();
    shownLabels = [];
    if (cur?.phase === 'backward') {
      for (const [v, k] of activeView) {
        const e = r.edges[k]!;
        if (e.product === null) continue;
        const pts = viewEdges[v]!.points;
        const a = pts[Math.floor((pts.length - 1) / 2)]!;
        const b = pts[Math.min(pts.length - 1, Math.floor((pts.length - 1) / 2) + 1)]!;
        const label = s('text', { class: 'edge-product', 'data-testid': 'edge-product', 'data-index': k, x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 4, 'text-anchor': 'middle' }, typeof e.product === 'number' ? fmtLong(e.product) : valueShort(e.product, r.nodes[e.from]?.shape));
        labelLayer.append(label);
        shownLabels.push(label);
      }
    }
  }

  return {
    element,
    items,
    itemOf: (node) => itemOfNode.get(node),
    update,
    focusNode(node) {
      const i = itemOfNode.get(node);
      if (i !== undefined) setFocusItem(i, true);
    },
    dispose() {
      drag = undefined;
    },
  };
}
