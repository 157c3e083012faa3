/**
 * Builds the matrix panel's DOM for each state: empty, loading, a matrix, an
 * error. Everything user-provided goes in as text; math goes through KaTeX
 * (webview/math.ts: trust false, our own fallback on a parse error).
 */
import type { CopyWhat, DecompositionView, MatrixPanelData, MatrixToWebview } from '../../core/protocol';
import { h } from '../common/dom';
import { math } from '../common/math';
import { renderBars } from './bars';
import { renderFileInfo, renderSliceControls, sliceText } from './file';
import { dims, shapeText } from './format';
import { renderGeometry } from './geometry';
import { renderHeatmap } from './heatmap';
import { renderScatter } from './scatter';

export interface MatrixActions {
  copy(text: string, what: CopyWhat): void;
  slice(index: number[], array?: string): void;
  /** The user chose another decomposition tab. */
  tab(key: string): void;
}

export interface Rendered {
  node: HTMLElement;
  /** Redraw canvases (the theme changed). */
  redraw(): void;
  dispose(): void;
}

const still = (node: HTMLElement): Rendered => ({ node, redraw() {}, dispose() {} });

function button(label: string, testid: string, onClick: () => void, opts: { secondary?: boolean; disabled?: string } = {}): HTMLElement {
  const b = h('vscode-button', { testid }, label);
  if (opts.secondary) b.setAttribute('secondary', '');
  if (opts.disabled !== undefined) {
    b.setAttribute('disabled', '');
    // A disabled control gets no pointer events: the tooltip goes on a wrapper, and is announced too.
    return h('span', { class: 'disabled-wrap', testid: `${testid}-wrap`, attrs: { title: opts.disabled } }, b, h('span', { class: 'sr-only' }, opts.disabled));
  }
  b.addEventListener('click', onClick);
  return b;
}

export function renderEmpty(): Rendered {
  return still(
    h(
      'section',
      { class: 'empty', testid: 'empty' },
      h('p', {}, 'Select a matrix (a NumPy array, a nested list or LaTeX) and run ', h('strong', {}, 'MathLens: Visualize Matrix'), ','),
      h('p', {}, 'or open a .npy or .npz file.'),
    ),
  );
}

export function renderLoading(title: string): Rendered {
  return still(
    h(
      'section',
      { class: 'loading', testid: 'loading', attrs: { 'aria-busy': 'true' } },
      h('vscode-progress-ring', { attrs: { 'aria-label': 'Computing' } }),
      h('p', {}, 'Analyzing ', h('strong', {}, title), '…'),
    ),
  );
}

// ---------------------------------------------------------------- error

const KIND_TITLES: Record<string, string> = {
  // the kinds of core/linalg's MatrixError
  parse: 'Could not read the matrix',
  file: 'Could not read the file',
  size: 'Too large',
  value: 'Cannot analyze this array',
  budget: 'Time budget exceeded',
  internal: 'Internal error',
};

export function renderMatrixError(msg: Extract<MatrixToWebview, { type: 'matrixError' }>): Rendered {
  const e = msg.error;
  const text = msg.source?.text;
  let sourceView: HTMLElement | null = null;
  let where: string | null = null;
  if (typeof text === 'string') {
    const hasOffset = typeof e.offset === 'number' && Number.isFinite(e.offset);
    const offset = hasOffset ? Math.max(0, Math.min(Math.floor(e.offset!), text.length)) : 0;
    const rawLength = typeof e.length === 'number' && Number.isFinite(e.length) ? Math.floor(e.length) : 0;
    const length = Math.max(0, Math.min(rawLength, text.length - offset));
    if (hasOffset) {
      const marked =
        length > 0
          ? h('mark', { testid: 'error-mark' }, text.slice(offset, offset + length))
          : h('mark', { class: 'point', testid: 'error-mark', attrs: { title: offset === text.length ? 'end of input' : 'here' } });
      sourceView = h('pre', { class: 'source', testid: 'error-source' }, text.slice(0, offset), marked, text.slice(offset + length));
      const start = msg.source?.start;
      if (start) {
        const before = text.slice(0, offset).split('\n');
        const line = start.line + before.length - 1;
        const character = (before.length === 1 ? start.character : 0) + before[before.length - 1]!.length;
        where = `Line ${line + 1}, column ${character + 1} (offset ${offset} in the selection).`;
      } else {
        where = `Offset ${offset} in the selection.`;
      }
    } else {
      sourceView = h('pre', { class: 'source', testid: 'error-source' }, text);
    }
  }
  return still(
    h(
      'section',
      { class: 'error', testid: 'error', attrs: { role: 'alert' } },
      h('h2', {}, KIND_TITLES[e.kind] ?? 'Error'),
      h('p', { class: 'error-title', testid: 'error-title' }, msg.title),
      h('p', { class: 'error-message', testid: 'error-message' }, e.message),
      sourceView,
      where ? h('p', { class: 'error-where', testid: 'error-where' }, where) : null,
    ),
  );
}

// ---------------------------------------------------------------- a matrix

/** The text a decomposition tab's "Copy LaTeX" copies: each block under a LaTeX comment with its title. */
export function decompositionLatex(d: DecompositionView): string {
  return d.blocks.map((b) => `% ${b.title.replace(/\n/g, ' ')}\n${b.latex}`).join('\n\n');
}

export function renderMatrix(d: MatrixPanelData, actions: MatrixActions, tab: string | undefined): Rendered {
  const disposers: (() => void)[] = [];
  const [rows, cols] = d.shape;
  const sameShape = d.inputShape.length === 2 && d.inputShape[0] === rows && d.inputShape[1] === cols;
  const meta = h(
    'div',
    { class: 'meta' },
    h('span', { class: 'chip', testid: 'shape' }, dims(rows, cols)),
    sameShape ? null : h('span', { class: 'chip subtle', testid: 'input-shape' }, `input ${shapeText(d.inputShape)}`),
    d.format ? h('span', { class: 'chip subtle', testid: 'format' }, d.format) : null,
    d.slice ? h('span', { class: 'chip', testid: 'slice-chip' }, `slice ${sliceText(d.slice.index)}`) : null,
    d.source.kind === 'file' ? h('span', { class: 'chip subtle', testid: 'file-name' }, d.source.name) : null,
  );
  const header = h(
    'header',
    { class: 'header' },
    h('h1', { class: 'title', testid: 'title' }, d.title),
    meta,
    d.notes.length ? h('ul', { class: 'notes', testid: 'notes' }, ...d.notes.map((n) => h('li', {}, n))) : null,
  );

  const slice = d.slice && d.slice.shape.length > 2 ? renderSliceControls(d.slice, (index) => actions.slice(index, d.file?.array)) : null;
  if (slice) disposers.push(slice.dispose);
  const file = d.file ? renderFileInfo(d.file, (name) => actions.slice([], name)) : null;

  const heatmap = renderHeatmap(d.heatmap, { slicePrefix: d.slice?.index });
  disposers.push(heatmap.dispose);

  const matrix = h(
    'section',
    { class: 'matrix', attrs: { 'aria-label': 'The matrix' } },
    h('h2', {}, 'Matrix'),
    math(d.latex, true, { testid: 'matrix-latex' }),
    h(
      'div',
      { class: 'actions' },
      button('Copy LaTeX', 'copy-latex', () => actions.copy(d.latex, { format: 'latex' })),
      d.numpy === null
        ? button('Copy NumPy', 'copy-numpy', () => {}, { disabled: 'Too large to copy as NumPy code: open the file in NumPy instead.' })
        : button('Copy NumPy', 'copy-numpy', () => actions.copy(d.numpy!, { format: 'numpy' })),
    ),
  );

  const properties = d.properties.length
    ? h(
        'section',
        { class: 'properties', attrs: { 'aria-label': 'Properties' } },
        h('h2', {}, 'Properties'),
        h(
          'table',
          { class: 'kv', testid: 'properties' },
          h(
            'tbody',
            {},
            ...d.properties.map((p) =>
              h(
                'tr',
                p.hint ? { attrs: { title: p.hint } } : {},
                h('th', { attrs: { scope: 'row' } }, p.label),
                h('td', {}, p.value),
                h('td', { class: 'hint' }, p.hint ?? ''),
              ),
            ),
          ),
        ),
      )
    : null;

  const node = h(
    'article',
    { class: 'matrix-panel', testid: 'matrix' },
    header,
    file,
    slice?.element,
    heatmap.element,
    matrix,
    properties,
    d.geometry ? renderGeometry(d.geometry) : null,
    d.scatter ? renderScatter(d.scatter) : null,
    renderDecompositions(d.decompositions, actions, tab),
  );
  return {
    node,
    redraw: () => heatmap.redraw(),
    dispose: () => disposers.forEach((f) => f()),
  };
}

// ---------------------------------------------------------------- decomposition tabs

function renderDecompositions(list: DecompositionView[], actions: MatrixActions, tab: string | undefined): HTMLElement | null {
  if (!list.length) return null;
  const selected = Math.max(0, list.findIndex((d) => d.key === tab));
  const tabs = h('vscode-tabs', { testid: 'decompositions-tabs', attrs: { 'selected-index': String(selected) } });
  const panels: HTMLElement[] = [];
  const built = new Set<number>();
  const build = (i: number) => {
    if (built.has(i)) return;
    built.add(i);
    panels[i]!.append(renderDecompositionBody(list[i]!, actions));
  };
  for (const d of list) {
    const header = h('vscode-tab-header', { testid: `tab-${d.key}`, attrs: { slot: 'header' } }, d.label);
    const panel = h('vscode-tab-panel', { testid: `panel-${d.key}` });
    panels.push(panel);
    tabs.append(header, panel);
  }
  // Panels are built when first shown: KaTeX for every decomposition costs nothing until asked for.
  build(selected);
  const select = (i: number) => {
    build(i);
    actions.tab(list[i]!.key);
  };
  tabs.addEventListener('vsc-tabs-select', (e) => select(e.detail.selectedIndex));
  // vscode-tabs selects on Enter only; Space should work too (as on a button).
  tabs.addEventListener('keydown', (e) => {
    if (e.key !== ' ') return;
    const header = e.composedPath().find((t): t is HTMLElement => t instanceof HTMLElement && t.tagName === 'VSCODE-TAB-HEADER');
    if (!header) return;
    const i = [...tabs.querySelectorAll(':scope > vscode-tab-header')].indexOf(header);
    if (i < 0) return;
    e.preventDefault();
    tabs.selectedIndex = i;
    select(i);
  });
  return h('section', { class: 'decompositions', attrs: { 'aria-label': 'Decompositions' } }, h('h2', {}, 'Decompositions'), tabs);
}

function renderDecompositionBody(d: DecompositionView, actions: MatrixActions): HTMLElement {
  return h(
    'div',
    { class: 'decomposition', testid: `decomposition-${d.key}` },
    d.note ? h('p', { class: 'note', testid: `note-${d.key}` }, d.note) : null,
    ...d.blocks.map((b) =>
      h(
        'div',
        { class: 'block' },
        h('h3', {}, b.title),
        math(b.latex, true, { class: 'block-math' }),
        b.note ? h('p', { class: 'note' }, b.note) : null,
      ),
    ),
    d.bars ? h('figure', { class: 'bars-figure' }, renderBars(d.bars, `bars-${d.key}`)) : null,
    d.blocks.length
      ? h('div', { class: 'actions' }, button('Copy LaTeX', `copy-latex-${d.key}`, () => actions.copy(decompositionLatex(d), { format: 'latex', wrt: d.key }), { secondary: true }))
      : null,
  );
}
