/**
 * Builds the panel's DOM for each state: empty, loading, result, error.
 * Everything user-provided goes in as text; math goes through KaTeX.
 */
import type { CopyWhat, InsertTarget, LoadingMessage, ResultMessage, ResultSource } from '../../core/protocol';
import type { GradientFail, GradientOk, NumericCheck, PartialDerivative } from '../../core/result';
import type { Lang } from '../../core/parse/types';
import type { VscodeCollapsible } from '@vscode-elements/elements/dist/vscode-collapsible/vscode-collapsible.js';
import { h, type Child } from '../common/dom';
import { math } from '../common/math';
import { derivativeText, expressionLatex, gradientLatex, numpyAssignment, numpyBlock, partialEquationLatex } from '../common/code';

export interface Actions {
  copy(text: string, what: CopyWhat): void;
  insert(code: string, target: InsertTarget): void;
  /** A partial's section was opened or closed by the user. */
  toggled(wrt: string, open: boolean): void;
  /** A disclosure that starts closed was opened or closed: `substituted:<wrt>` (a partial's substituted form), `data`. */
  disclosed?(key: string, open: boolean): void;
}

/** Which closed-by-default disclosures the user opened (see `Actions.disclosed`). */
export type IsDisclosed = (key: string) => boolean;

const LANG_NAMES: Record<Lang, string> = { python: 'Python', javascript: 'JavaScript', latex: 'LaTeX', math: 'Math' };

export function button(label: string, testid: string, onClick: () => void, opts: { secondary?: boolean; title?: string } = {}): HTMLElement {
  const b = h('vscode-button', { testid, attrs: opts.title ? { title: opts.title } : {} }, label);
  if (opts.secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

export function renderEmpty(): HTMLElement {
  return h(
    'section',
    { class: 'empty', testid: 'empty' },
    h('p', {}, 'Select an expression in a Python, JavaScript, LaTeX or Markdown file and run '),
    h('p', {}, h('strong', {}, 'MathLens: Compute Gradient of Selection'), ' (Ctrl+Alt+G).'),
  );
}

export function renderLoading(msg: LoadingMessage): HTMLElement {
  return h(
    'section',
    { class: 'loading', testid: 'loading', attrs: { 'aria-busy': 'true' } },
    h('vscode-progress-ring', { attrs: { 'aria-label': 'Computing' } }),
    h('div', {}, h('p', {}, `Computing the gradient (${LANG_NAMES[msg.lang]})…`), h('pre', { class: 'source' }, msg.text)),
  );
}

export function renderResult(msg: ResultMessage, actions: Actions, isOpen: (wrt: string) => boolean, isDisclosed: IsDisclosed = () => false): HTMLElement {
  return msg.result.ok ? renderOk(msg.result, msg, actions, isOpen, isDisclosed) : renderError(msg.result, msg);
}

// ---------------------------------------------------------------- success

function renderOk(r: GradientOk, msg: ResultMessage, actions: Actions, isOpen: (wrt: string) => boolean, isDisclosed: IsDisclosed): HTMLElement {
  const { source } = msg;
  const meta = h(
    'div',
    { class: 'meta' },
    h('span', { class: 'chip', testid: 'lang' }, LANG_NAMES[r.lang] ?? r.lang),
    r.target ? h('span', { class: 'chip', testid: 'target' }, `target: ${r.target}`) : null,
    h('span', { class: 'chip subtle' }, `${r.variables.length} variable${r.variables.length === 1 ? '' : 's'}`),
    Number.isFinite(r.elapsedMs) ? h('span', { class: 'chip subtle' }, `${Math.round(r.elapsedMs)} ms`) : null,
  );

  const gradientActions = h(
    'div',
    { class: 'actions' },
    button('Copy LaTeX', 'copy-latex', () => actions.copy(gradientLatex(r), { format: 'latex' })),
    button('Copy NumPy', 'copy-numpy', () => actions.copy(numpyBlock(r), { format: 'numpy' })),
    canInsert(msg)
      ? button(
          'Insert NumPy below selection',
          'insert-numpy',
          () => actions.insert(numpyBlock(r), insertTarget(source)),
          { secondary: true, title: `Insert the partial derivatives as NumPy code below line ${source.endLine + 1}` },
        )
      : null,
  );

  return h(
    'article',
    { class: 'result', testid: 'result' },
    h('header', { class: 'header' }, meta, math(expressionLatex(r), true, { class: 'expression', testid: 'expression' })),
    h(
      'section',
      { class: 'gradient', attrs: { 'aria-label': 'Gradient' } },
      h('h2', {}, r.target ? `Gradient of ${r.target}` : 'Gradient'),
      math(gradientLatex(r), true, { testid: 'gradient' }),
      gradientActions,
    ),
    h(
      'section',
      { class: 'partials', attrs: { 'aria-label': 'Partial derivatives' } },
      h('h2', {}, 'Partial derivatives'),
      ...partialsView(r, actions, isOpen, isDisclosed),
    ),
    renderCheck(r.check),
    renderNotes(r.notes),
  );
}

/** The engine's notes as a list (nothing when there are none). */
export function renderNotes(notes: readonly string[]): HTMLElement | null {
  return notes.length ? h('section', { class: 'notes', testid: 'notes' }, h('h2', {}, 'Notes'), h('ul', {}, ...notes.map((n) => h('li', {}, n)))) : null;
}

/** NumPy code can be inserted into the document the selection came from when it is Python. */
export function canInsert(msg: { source: ResultSource }): boolean {
  return !!msg.source.uri && (msg.source.lang === 'python' || msg.source.languageId === 'python');
}

/** Where "Insert NumPy below selection" writes for a result (only when `canInsert`). */
export function insertTarget(source: ResultSource): InsertTarget {
  return { uri: source.uri!, startLine: source.start.line, endLine: source.endLine };
}

/** Style fixes inside vscode-collapsible's shadow root: case-sensitive, math-friendly header. */
let headerSheet: CSSStyleSheet | undefined;
export function adoptHeaderFix(el: VscodeCollapsible): void {
  if (!headerSheet) {
    headerSheet = new CSSStyleSheet();
    headerSheet.replaceSync(`
      .title { text-transform: none; font-size: var(--vscode-font-size, 13px); font-weight: 600; flex-shrink: 0; }
      .collapsible-header { height: auto; min-height: 26px; line-height: normal; padding: 2px 0; }
      .header-slots { height: auto; margin-left: 8px; min-width: 0; }
      .header-slots slot { max-height: none; }
      .decorations { min-width: 0; }
    `);
  }
  const apply = () => {
    const root = el.shadowRoot;
    if (root && !root.adoptedStyleSheets.includes(headerSheet!)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, headerSheet!];
  };
  if (el.shadowRoot) apply();
  else void customElements.whenDefined('vscode-collapsible').then(() => el.updateComplete).then(apply);
}

/**
 * The partials of a forward pass, parameters first; those with respect to the data (inputs,
 * targets: `group: 'data'`) under a collapsed "with respect to the data" section, still all there.
 */
function partialsView(r: GradientOk, actions: Actions, isOpen: (wrt: string) => boolean, isDisclosed: IsDisclosed): HTMLElement[] {
  const partial = (p: PartialDerivative) => renderPartial(r, p, actions, isOpen(p.wrt), isDisclosed);
  const params = r.gradient.filter((p) => p.group !== 'data');
  const data = r.gradient.filter((p) => p.group === 'data');
  if (!params.length || !data.length) return r.gradient.map(partial);
  const coll = h('vscode-collapsible', {
    class: 'data-partials',
    testid: 'data-partials',
    attrs: { heading: `With respect to the data (${data.map((p) => p.wrt).join(', ')})` },
  });
  coll.open = isDisclosed('data');
  adoptHeaderFix(coll);
  coll.append(...data.map(partial));
  wireCollapsible(coll, 'data', { toggled: (key, open) => actions.disclosed?.(key, open) }, () => undefined);
  return [...params.map(partial), coll];
}

/** A native disclosure button (Enter and Space work, aria-expanded says its state) for `panel`. */
function disclosure(key: string, testid: string, labels: [closed: string, open: string], panel: HTMLElement, open: boolean, actions: Actions): HTMLElement {
  const id = `${testid}-panel`;
  panel.id = id;
  panel.hidden = !open;
  const b = h('button', { class: 'disclosure', testid, attrs: { type: 'button', 'aria-expanded': String(open), 'aria-controls': id } }, open ? labels[1] : labels[0]);
  // Looks like a link (styled through the CSSOM: the panel's CSP allows no inline style attributes).
  Object.assign(b.style, { background: 'none', border: 'none', padding: '2px 0', font: 'inherit', cursor: 'pointer', color: 'var(--vscode-textLink-foreground)' });
  b.addEventListener('click', () => {
    const now = panel.hidden !== false;
    panel.hidden = !now;
    b.setAttribute('aria-expanded', String(now));
    b.textContent = now ? labels[1] : labels[0];
    actions.disclosed?.(key, now);
  });
  return b;
}

function renderPartial(r: GradientOk, p: PartialDerivative, actions: Actions, open: boolean, isDisclosed: IsDisclosed = () => false): HTMLElement {
  const title = derivativeText(r, p.wrt);
  const coll = h('vscode-collapsible', { class: 'partial', testid: `partial-${p.wrt}`, attrs: { heading: title } });
  coll.open = open;
  adoptHeaderFix(coll);

  const decorations = h(
    'div',
    { class: 'partial-head', attrs: { slot: 'decorations' } },
    h('span', { class: 'eq' }, '='),
    math(p.named?.latex ?? p.latex, false, { class: 'partial-result' }),
    p.kinks.length ? h('span', { class: 'kink-flag', attrs: { title: 'Not differentiable everywhere', 'aria-label': 'has kinks' } }, '⚠') : null,
  );

  const substituted: HTMLElement[] = [
    math(partialEquationLatex(r, p), true, { class: 'partial-eq' }),
    h(
      'div',
      { class: 'actions' },
      button('Copy LaTeX', `copy-latex-${p.wrt}`, () => actions.copy(partialEquationLatex(r, p), { format: 'latex', wrt: p.wrt }), { secondary: true }),
      button('Copy NumPy', `copy-numpy-${p.wrt}`, () => actions.copy(numpyAssignment(r, p), { format: 'numpy', wrt: p.wrt }), { secondary: true }),
    ),
  ];
  let shown: HTMLElement[] = substituted;
  if (p.named) {
    // The forward pass's own names first; the fully substituted form one click away.
    const named = { ...p, latex: p.named.latex, numpy: p.named.numpy };
    const panel = h('div', { class: 'substituted', testid: `substituted-${p.wrt}` }, ...substituted);
    const key = `substituted:${p.wrt}`;
    shown = [
      math(partialEquationLatex(r, named), true, { class: 'partial-eq named', testid: `named-${p.wrt}` }),
      h(
        'div',
        { class: 'actions' },
        button('Copy LaTeX', `copy-named-latex-${p.wrt}`, () => actions.copy(partialEquationLatex(r, named), { format: 'latex', wrt: p.wrt }), { secondary: true }),
        button('Copy NumPy', `copy-named-numpy-${p.wrt}`, () => actions.copy(numpyAssignment(r, named), { format: 'numpy', wrt: p.wrt }), {
          secondary: true,
          title: "In the forward pass's own names: run it where they are bound, after the forward pass",
        }),
      ),
      disclosure(key, `substituted-toggle-${p.wrt}`, ['Show the fully substituted form', 'Hide the fully substituted form'], panel, isDisclosed(key), actions),
      panel,
    ];
  }
  const body = h(
    'div',
    { class: 'partial-body' },
    ...shown,
    p.kinks.length
      ? h(
          'ul',
          { class: 'kinks', testid: `kinks-${p.wrt}` },
          ...p.kinks.map((k) => h('li', {}, h('span', { class: 'warn-icon', attrs: { 'aria-hidden': 'true' } }, '⚠'), math(k.latex, false), ' ', h('span', {}, k.text))),
        )
      : null,
  );
  const steps = h('ol', { class: 'steps', testid: `steps-${p.wrt}`, attrs: { 'aria-label': `Derivation of ${title}` } });
  body.append(steps);
  // Steps are rendered when first shown: long derivations cost nothing while collapsed.
  wireCollapsible(coll, p.wrt, actions, () => fillSteps(steps, p.steps));
  coll.append(decorations, body);
  return coll;
}

/** One derivation step: its rule, an optional detail, its LaTeX, and the intermediate's shape; indented by depth. */
export interface StepView {
  rule: string;
  latex: string;
  depth: number;
  detail?: string;
  /** the intermediate's shape as LaTeX (`n \times d`, `scalar`) */
  shape?: string;
}

/** Appends the steps to `list` (or says there are none). */
export function fillSteps(list: HTMLElement, steps: readonly StepView[]): void {
  if (!steps.length) list.append(h('li', { class: 'step none' }, 'No derivation steps recorded.'));
  for (const s of steps) {
    const li = h(
      'li',
      { class: 'step' },
      h('span', { class: 'rule' }, s.rule),
      s.detail ? renderDetail(s.detail) : null,
      s.shape ? h('span', { class: 'step-shape', attrs: { title: 'shape of the intermediate' } }, s.shape === 'scalar' ? 'scalar' : math(s.shape, false)) : null,
      math(s.latex, true, { class: 'step-math' }),
    );
    li.style.setProperty('--depth', String(Math.max(0, Math.min(20, Math.floor(s.depth) || 0))));
    list.append(li);
  }
}

/**
 * Wires a vscode-collapsible whose `open` is already set: `fill` runs when it is first shown (now, if
 * open), toggles are reported as `key`, and Space toggles the header as Enter does (as on a button).
 */
export function wireCollapsible(coll: VscodeCollapsible, key: string, actions: Pick<Actions, 'toggled'>, fill: () => void): void {
  let filled = false;
  const show = () => {
    if (filled) return;
    filled = true;
    fill();
  };
  if (coll.open) show();
  coll.addEventListener('vsc-collapsible-toggle', (e) => {
    // A collapsible inside this one reports its own toggles.
    if (e.target !== coll) return;
    if (coll.open) show();
    actions.toggled(key, coll.open);
  });
  coll.addEventListener('keydown', (e) => {
    const origin = e.composedPath()[0];
    if (e.key !== ' ' || !(origin instanceof HTMLElement) || !origin.classList.contains('collapsible-header')) return;
    // Only this collapsible's own header (not one nested inside it).
    if (origin.getRootNode() !== coll.shadowRoot) return;
    e.preventDefault();
    coll.open = !coll.open;
    coll.dispatchEvent(new CustomEvent('vsc-collapsible-toggle', { detail: { open: coll.open } }));
  });
}

/** A chain-rule step's detail, `rule name: LaTeX formula`: the name as text, the formula as math. */
function renderDetail(detail: string): HTMLElement {
  const colon = detail.indexOf(': ');
  return colon < 0
    ? h('span', { class: 'detail' }, detail)
    : h('span', { class: 'detail' }, `${detail.slice(0, colon)}: `, math(detail.slice(colon + 2), false));
}

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(4))) : x.toExponential(2);
}

function renderCheck(c: NumericCheck): HTMLElement {
  const summary: Child =
    c.maxRelError === null
      ? 'no valid point found for a numeric check'
      : `max relative error ${c.maxRelError === 0 ? '0' : c.maxRelError.toExponential(1)} at ${c.points} point${c.points === 1 ? '' : 's'}`;
  const badge = h('vscode-badge', { class: c.passed ? 'pass' : 'fail', testid: 'check-badge' }, c.passed ? 'pass' : 'fail');
  const vars = [...new Set(c.at.flatMap((p) => Object.keys(p)))];
  const table = c.at.length
    ? h(
        'details',
        { class: 'points' },
        h('summary', {}, 'Points'),
        h(
          'table',
          {},
          h('thead', {}, h('tr', {}, ...vars.map((v) => h('th', { attrs: { scope: 'col' } }, v)))),
          h('tbody', {}, ...c.at.map((p) => h('tr', {}, ...vars.map((v) => h('td', {}, p[v] === undefined ? '' : formatNumber(p[v])))))),
        ),
      )
    : null;
  return h(
    'section',
    { class: 'check', testid: 'check' },
    h('h2', {}, 'Numeric check'),
    h('p', { class: 'check-line' }, badge, ' ', h('span', { testid: 'check-summary' }, summary), ' (central finite differences)'),
    table,
  );
}

// ---------------------------------------------------------------- failure

const KIND_TITLES: Record<string, string> = {
  parse: 'Could not parse the selection',
  shape: 'Shape error',
  budget: 'Time budget exceeded',
  unsupported: 'Not supported',
  internal: 'Internal error',
};

function renderError(r: GradientFail, msg: ResultMessage): HTMLElement {
  return renderSourceError(r.error, msg.source);
}

/** A located error: its kind as the title, the message, the source with the problem marked, and where it is. */
export function renderSourceError(e: { message: string; offset: number; length: number; kind?: string }, source: ResultSource): HTMLElement {
  const { text, errorPosition } = source;
  const offset = Math.max(0, Math.min(Number.isFinite(e.offset) ? Math.floor(e.offset) : 0, text.length));
  const length = Math.max(0, Math.min(Number.isFinite(e.length) ? Math.floor(e.length) : 0, text.length - offset));
  const marked =
    length > 0
      ? h('mark', { testid: 'error-mark' }, text.slice(offset, offset + length))
      : h('mark', { class: 'point', testid: 'error-mark', attrs: { title: offset === text.length ? 'end of input' : 'here' } });
  const where = errorPosition
    ? `Line ${errorPosition.line + 1}, column ${errorPosition.character + 1} (offset ${offset} in the selection).`
    : `Offset ${offset} in the selection.`;
  return h(
    'section',
    { class: 'error', testid: 'error', attrs: { role: 'alert', 'data-kind': e.kind ?? 'parse' } },
    h('h2', { testid: 'error-kind' }, KIND_TITLES[e.kind ?? 'parse'] ?? 'Error'),
    h('p', { class: 'error-message', testid: 'error-message' }, e.message),
    h('pre', { class: 'source', testid: 'error-source' }, text.slice(0, offset), marked, text.slice(offset + length)),
    h('p', { class: 'error-where', testid: 'error-where' }, where),
  );
}
