/**
 * The detail pane of the selected node: its expression and source, value,
 * gradient, local derivative, and for each incoming edge the upstream
 * gradient, the local derivative and their product (the chain rule with the
 * numbers in); then how the node's own gradient adds up over its uses.
 * Shaped values are shown as a badge and a small matrix (elided past 6 × 6).
 */
import type { BackpropNode, BackpropSuccess, Numeric } from '../../core/backprop/index';
import type { BackpropSource } from '../../core/protocol';
import { append, h } from '../common/dom';
import { math } from '../common/math';
import { fmtLong, fmtShort, gridOf, shapeBadge, shapeOf, shapeText } from './format';
import type { Item } from './graph';

export interface DetailActions {
  reveal(node: number): void;
  select(node: number): void;
  copyLatex(text: string): void;
}

/** A number as text, or an array as a shape badge and an elided matrix. */
export function numericView(v: Numeric | null, testid: string, shape?: readonly number[]): HTMLElement {
  if (v === null) return h('span', { class: 'muted', testid }, '—');
  if (typeof v === 'number') return h('span', { class: 'num', testid, attrs: { title: String(v) } }, fmtLong(v));
  const grid = gridOf(v, 6, shape);
  const table = h('table', { class: 'matrix', testid: `${testid}-matrix`, attrs: { 'aria-label': `array of shape ${shapeText(grid.shape)}` } });
  for (const row of grid.rows) {
    table.append(h('tr', {}, ...row.map((c) => (c.kind === 'gap' ? h('td', { class: 'gap' }, c.text) : h('td', { attrs: { title: String(c.value) } }, fmtShort(c.value))))));
  }
  return h(
    'span',
    { class: 'array', testid, attrs: { title: `array of shape ${shapeText(grid.shape)}` } },
    h('span', { class: 'shape-badge', testid: `${testid}-shape` }, shapeBadge(grid.shape)),
    h('span', { class: 'matrix-scroll' }, table),
    grid.elided ? h('span', { class: 'muted small' }, 'elided') : null,
    grid.slice ? h('span', { class: 'muted small' }, `slice [${grid.slice.join(', ')}, :, :]`) : null,
  );
}

const nodeName = (n: BackpropNode) => n.name ?? n.label;

function row(label: string, ...content: (Node | string | null)[]): HTMLElement {
  return h('div', { class: 'kv' }, h('span', { class: 'k' }, label), h('span', { class: 'v' }, ...content));
}

function nodeLink(r: BackpropSuccess, id: number, actions: DetailActions, testid: string): HTMLElement {
  const n = r.nodes[id]!;
  const b = h('button', { class: 'link', testid, attrs: { type: 'button', title: `Select ${nodeName(n)} (line ${n.line})` } }, nodeName(n));
  b.addEventListener('click', () => actions.select(id));
  return b;
}

export function renderDetail(r: BackpropSuccess, source: BackpropSource, node: number, item: Item | undefined, actions: DetailActions): HTMLElement {
  const n = r.nodes[node];
  const pane = h('section', { class: 'detail', testid: 'detail', attrs: { 'aria-label': 'Selected node' } });
  if (!n) return pane;

  // A folded group (collapsed view): its members, each revealing its source.
  if (item && item.count > 1) {
    const list = h('ol', { class: 'members', testid: 'folded-members' });
    for (const m of item.members.slice(0, 200)) {
      const mn = r.nodes[m];
      if (!mn) continue;
      const b = h('button', { class: 'link', testid: 'folded-member', attrs: { type: 'button', 'data-id': String(m), title: `Show line ${mn.line} in the editor` } }, `${nodeName(mn)}`);
      b.addEventListener('click', () => actions.reveal(m));
      list.append(h('li', {}, b, h('span', { class: 'muted' }, ` ${mn.op} · line ${mn.line}`)));
    }
    append(pane, 
      h('h2', {}, 'Folded node'),
      h('p', { class: 'detail-title', testid: 'detail-title' }, item.label),
      h('p', { class: 'muted', testid: 'folded-summary' }, `${item.count} repetitions (${item.kind}), ${item.members.length} nodes. Click a member to show it in the editor; turn off “Collapsed view” to inspect each one.`),
      list,
      item.members.length > 200 ? h('p', { class: 'muted' }, `… and ${item.members.length - 200} more.`) : null,
    );
    return pane;
  }

  const title = h('div', { class: 'detail-head' });
  append(title, 
    h('span', { class: 'detail-title', testid: 'detail-title' }, n.name && n.name !== n.label ? `${n.name} = ${n.label}` : n.label),
    h('span', { class: 'chip', testid: 'detail-op' }, n.op),
    n.shape ? h('span', { class: 'chip shape-badge', testid: 'detail-shape' }, shapeBadge(n.shape)) : typeof n.value !== 'number' ? h('span', { class: 'chip shape-badge', testid: 'detail-shape' }, shapeBadge(shapeOf(n.value))) : null,
    n.id === r.outputId ? h('span', { class: 'chip', testid: 'detail-output' }, 'output') : null,
  );
  const go = h('button', { class: 'link', testid: 'detail-reveal', attrs: { type: 'button', title: 'Select this node’s code in the editor' } }, `line ${n.line}`);
  go.addEventListener('click', () => actions.reveal(n.id));
  const code = source.text.slice(n.from, n.to);
  append(pane, 
    h('h2', {}, 'Selected node'),
    title,
    h('div', { class: 'detail-source' }, h('code', { testid: 'detail-source' }, code.length > 300 ? `${code.slice(0, 300)}…` : code), ' ', go),
  );
  const shape = n.shape ?? shapeOf(n.value);
  const texValue = typeof n.value === 'number' ? `= ${fmtLong(n.value)}` : `\\in \\mathbb{R}^{${shape.join(' \\times ')}}`;
  append(pane, math(`${n.tex} ${texValue}`, true, { class: 'detail-tex', testid: 'detail-tex' }));

  const gradLabel = `∂${r.output}/∂${nodeName(n)}`;
  append(pane, row('value', numericView(n.value, 'detail-value', n.shape)), row(gradLabel, numericView(n.grad, 'detail-grad', n.shape)));
  if (n.grad === null) pane.append(h('p', { class: 'muted small' }, 'No gradient: this value depends on no input.'));

  if (n.local) {
    append(pane, h('h3', {}, 'Local derivatives'), math(n.local, true, { class: 'detail-local', testid: 'detail-local' }));
  }

  // The chain rule on each incoming edge: one card per input (works for numbers and for arrays).
  const incoming = r.edges.map((e, k) => ({ e, k })).filter(({ e }) => e.to === n.id);
  if (incoming.length) {
    const cards = h('div', { class: 'edge-cards', testid: 'detail-edges' });
    for (const { e, k } of incoming) {
      const local =
        e.local !== null
          ? h('span', {}, h('span', { class: 'num', testid: 'edge-local' }, fmtLong(e.local)), e.localLatex ? math(e.localLatex, false, { class: 'local-latex' }) : null)
          : e.localLatex
            ? math(e.localLatex, false, { class: 'local-latex', testid: 'edge-local' })
            : h('span', { class: 'muted', testid: 'edge-local' }, '—');
      cards.append(
        h(
          'div',
          { class: 'edge-card', testid: 'detail-edge', attrs: { 'data-index': String(k), 'data-from': String(e.from), role: 'group', 'aria-label': `Input ${nodeName(r.nodes[e.from]!)}` } },
          h('div', { class: 'edge-card-head' }, 'input ', nodeLink(r, e.from, actions, 'edge-input'), e.chain === null && e.product === null ? h('span', { class: 'muted small' }, ' (no gradient: a constant)') : null),
          row(`upstream ∂${r.output}/∂${nodeName(n)}`, numericView(e.upstream as Numeric | null, 'edge-upstream', n.shape)),
          row('local', local),
          row('product', numericView(e.product as Numeric | null, 'edge-product-value', r.nodes[e.from]?.shape)),
          e.chain ? math(e.chain, true, { class: 'chain', testid: 'edge-chain' }) : null,
        ),
      );
    }
    append(pane, h('h3', {}, 'Backward through this node: upstream × local = contribution'), cards);
  }

  // How this node's gradient adds up over its uses (fan-out).
  const uses = r.edges.map((e, k) => ({ e, k })).filter(({ e }) => e.from === n.id && e.product !== null);
  if (uses.length && n.grad !== null) {
    const list = h('ul', { class: 'contributions', testid: 'detail-contributions' });
    for (const { e, k } of uses) {
      list.append(h('li', { attrs: { 'data-index': String(k) } }, 'from ', nodeLink(r, e.to, actions, 'contribution-node'), ': ', numericView(e.product as Numeric | null, 'contribution-value', n.shape)));
    }
    append(pane, h('h3', {}, uses.length > 1 ? `${gradLabel}: the sum of ${uses.length} contributions` : `${gradLabel} comes from one use`), list);
  }

  const latexLines = [n.local, ...incoming.map(({ e }) => e.chain).filter((c): c is string => !!c)].filter(Boolean);
  if (latexLines.length) {
    const b = h('vscode-button', { testid: 'copy-node-latex', attrs: { secondary: '', title: 'Copy this node’s local derivatives and chain-rule products as LaTeX' } }, 'Copy LaTeX');
    b.addEventListener('click', () => actions.copyLatex(latexLines.join('\n')));
    append(pane, h('div', { class: 'actions' }, b));
  }
  return pane;
}
