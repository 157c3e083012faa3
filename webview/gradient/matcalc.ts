/**
 * The gradient panel's view of a matrix-calculus result (core/matcalc): the
 * gradient of an expression over shaped variables, a Jacobian or a Hessian.
 * It shares the scalar view's pieces (render.ts) and text (code.ts): the
 * header states where each shape came from and the layout convention; each
 * entry shows its LaTeX, shape, NumPy code, numeric check (a failed check is
 * a warning not to trust the result) and a collapsible derivation.
 */
import type { MatcalcResultMessage, ShapeOrigin } from '../../core/protocol';
import type { MatCheck, MatEntry, MatOk } from '../../core/matcalc';
import { nameLatex } from '../../core/matcalc/print';
import { h } from '../common/dom';
import { math } from '../common/math';
import {
  matEntryLabelLatex,
  matEntryLatex,
  matEntryText,
  matExpressionLatex,
  matKindText,
  matLatexBlock,
  matNumpyAssignment,
  matNumpyBlock,
  matNumpyEntryBlock,
  matNumpyName,
  matSpaceLatex,
  matWholeText,
} from '../common/code';
import { adoptHeaderFix, button, canInsert, fillSteps, insertTarget, renderNotes, renderSourceError, wireCollapsible, type Actions } from './render';

/** A matrix-calculus result, or its located error. `isOpen(wrt)`: whether the entry's derivation starts open. */
export function renderMatcalc(msg: MatcalcResultMessage, actions: Actions, isOpen: (wrt: string) => boolean): HTMLElement {
  return msg.result.ok ? renderOk(msg.result, msg, actions, isOpen) : renderSourceError(msg.result.error, msg.source);
}

function renderOk(r: MatOk, msg: MatcalcResultMessage, actions: Actions, isOpen: (wrt: string) => boolean): HTMLElement {
  const insert = canInsert(msg);
  const failed = r.gradient.filter((e) => !e.check.passed && !e.check.cut);
  const meta = h(
    'div',
    { class: 'meta' },
    h('span', { class: 'chip kind', testid: 'mat-kind' }, matKindText(r)),
    r.expression.target ? h('span', { class: 'chip', testid: 'target' }, `target: ${r.expression.target}`) : null,
    h('span', { class: 'chip subtle' }, `${r.variables.length} variable${r.variables.length === 1 ? '' : 's'}`),
    Number.isFinite(r.elapsedMs) ? h('span', { class: 'chip subtle' }, `${Math.round(r.elapsedMs)} ms`) : null,
  );
  const f = nameLatex(r.expression.target ?? 'f');

  return h(
    'article',
    { class: 'result matcalc', testid: 'matcalc-result', attrs: { 'data-kind': r.kind } },
    h(
      'header',
      { class: 'header' },
      meta,
      math(matExpressionLatex(r), true, { class: 'expression', testid: 'expression' }),
      h('p', { class: 'mat-line' }, h('span', { class: 'label' }, 'Shape '), math(`${f} \\in ${matSpaceLatex(r.expression.shape)}`, false, { testid: 'mat-expression-shape' })),
      h(
        'ul',
        { class: 'mat-vars', testid: 'mat-variables', attrs: { 'aria-label': 'Variables' } },
        ...r.variables.map((v) =>
          h(
            'li',
            { class: `chip var ${v.role === 'target' ? 'data' : ''}`, testid: `mat-var-${v.name}`, attrs: { 'data-role': v.role } },
            math(`${nameLatex(v.name)} \\in ${matSpaceLatex(v.shape)}`, false),
            h('span', { class: 'role' }, v.role === 'target' ? 'data (target)' : 'variable'),
          ),
        ),
      ),
      renderShapes(msg.shapes),
      h('p', { class: 'mat-line layout', testid: 'mat-layout' }, h('span', { class: 'label' }, 'Layout '), r.layoutText),
    ),
    failed.length
      ? h(
          'div',
          { class: 'callout warning', testid: 'mat-check-failed', attrs: { role: 'alert' } },
          h('span', { class: 'warn-icon', attrs: { 'aria-hidden': 'true' } }, '⚠'),
          ` The numeric check failed for ${failed.map((e) => matEntryText(r, e.wrt)).join(', ')}: do not trust ${failed.length === 1 ? 'this result' : 'these results'}.`,
        )
      : null,
    h(
      'section',
      { class: 'gradient', attrs: { 'aria-label': matKindText(r) } },
      h('h2', {}, r.expression.target ? `${matKindText(r)} of ${r.expression.target}` : matKindText(r)),
      h(
        'div',
        { class: 'actions' },
        button('Copy LaTeX', 'copy-latex', () => actions.copy(matLatexBlock(r), { format: 'latex' }), { title: `Copy ${matWholeText(r)} as LaTeX` }),
        button('Copy NumPy', 'copy-numpy', () => actions.copy(matNumpyBlock(r), { format: 'numpy' }), { title: `Copy ${matWholeText(r)} as NumPy code` }),
        insert
          ? button('Insert NumPy below selection', 'insert-numpy', () => actions.insert(matNumpyBlock(r), insertTarget(msg.source)), {
              secondary: true,
              title: `Insert ${matWholeText(r)} as NumPy code below line ${msg.source.endLine + 1}`,
            })
          : null,
      ),
      ...r.gradient.map((e) => renderEntry(r, e, msg, actions, isOpen(e.wrt), insert)),
    ),
    renderNotes(r.notes),
  );
}

/** `Shapes  X (n, d) from a comment, line 3 · w (d,) from the code, line 5`. */
function renderShapes(shapes: readonly ShapeOrigin[]): HTMLElement | null {
  if (!shapes.length) return null;
  const from = { comment: 'from a comment', code: 'from the code', cli: 'from the command line', assumed: 'assumed (no shape declared)' } as const;
  return h(
    'p',
    { class: 'mat-line shapes', testid: 'mat-shapes' },
    h('span', { class: 'label' }, 'Shapes '),
    ...shapes.flatMap((s, i) => [
      i ? ' · ' : null,
      h(
        'span',
        { class: 'shape-origin', testid: `mat-shape-origin-${s.name}`, attrs: { 'data-from': s.from } },
        h('code', {}, s.name),
        ' ',
        h('code', {}, s.shape),
        ` ${from[s.from] ?? `from ${s.from}`}${s.line !== undefined ? `, line ${s.line}` : ''}`,
      ),
    ]),
  );
}

function renderEntry(r: MatOk, e: MatEntry, msg: MatcalcResultMessage, actions: Actions, open: boolean, insert: boolean): HTMLElement {
  const title = matEntryText(r, e.wrt);
  const c = e.check;
  const bad = !c.passed && !c.cut;

  const derivation = h('vscode-collapsible', {
    class: 'derivation',
    testid: `mat-derivation-${e.wrt}`,
    attrs: { heading: `Derivation of ${title}` },
  });
  derivation.open = open;
  adoptHeaderFix(derivation);
  const steps = h('ol', { class: 'steps', testid: `mat-steps-${e.wrt}`, attrs: { 'aria-label': `Derivation of ${title}` } });
  derivation.append(
    h('span', { class: 'step-count', attrs: { slot: 'decorations' } }, `${e.steps.length} step${e.steps.length === 1 ? '' : 's'}`),
    h('div', { class: 'partial-body' }, steps),
  );
  // Steps are rendered when first shown: long derivations cost nothing while collapsed.
  wireCollapsible(derivation, e.wrt, actions, () => fillSteps(steps, e.steps));

  return h(
    'section',
    { class: `mat-entry${bad ? ' failed' : ''}`, testid: `mat-entry-${e.wrt}`, attrs: { 'aria-label': title } },
    h('h3', { class: 'mat-title', testid: `mat-title-${e.wrt}` }, title, bad ? h('span', { class: 'warn-icon', attrs: { title: 'The numeric check failed', 'aria-label': 'check failed' } }, ' ⚠') : null),
    bad
      ? h(
          'div',
          { class: 'callout warning', testid: `mat-check-warning-${e.wrt}` },
          h('strong', {}, 'Do not trust this result.'),
          ` It does not agree with central finite differences (${checkSummary(c)}).`,
        )
      : c.cut
        ? h('div', { class: 'callout caution', testid: `mat-check-warning-${e.wrt}` }, 'The numeric check was cut by the time budget: the result is derived but unchecked.')
        : null,
    math(matEntryLatex(r, e), true, { class: 'partial-eq', testid: `mat-latex-${e.wrt}` }),
    h(
      'p',
      { class: 'mat-line' },
      h('span', { class: 'label' }, 'Shape '),
      math(`${matEntryLabelLatex(r, e.wrt)} \\in ${e.shapeLatex === 'scalar' ? '\\mathbb{R}' : `\\mathbb{R}^{${e.shapeLatex}}`}`, false, { testid: `mat-shape-${e.wrt}` }),
    ),
    h(
      'pre',
      { class: 'source code', testid: `mat-code-${e.wrt}` },
      h('span', { class: 'lhs' }, `${matNumpyName(r, e.wrt)} = `),
      h('span', { testid: `mat-numpy-${e.wrt}` }, e.numpy),
    ),
    h(
      'div',
      { class: 'actions' },
      button('Copy LaTeX', `copy-latex-${e.wrt}`, () => actions.copy(matEntryLatex(r, e), { format: 'latex', wrt: e.wrt }), { secondary: true }),
      button('Copy NumPy', `copy-numpy-${e.wrt}`, () => actions.copy(matNumpyAssignment(r, e), { format: 'numpy', wrt: e.wrt }), { secondary: true }),
      insert
        ? button('Insert NumPy below selection', `insert-numpy-${e.wrt}`, () => actions.insert(matNumpyEntryBlock(r, e), insertTarget(msg.source)), {
            secondary: true,
            title: `Insert ${title} as NumPy code below line ${msg.source.endLine + 1}`,
          })
        : null,
    ),
    h(
      'p',
      { class: 'check-line', testid: `mat-check-${e.wrt}` },
      h('vscode-badge', { class: c.passed ? 'pass' : c.cut ? 'cut' : 'fail', testid: `mat-check-badge-${e.wrt}` }, c.passed ? 'passed' : c.cut ? 'unchecked' : 'FAILED'),
      ' ',
      h('span', { testid: `mat-check-summary-${e.wrt}` }, `Numeric check: ${checkSummary(c)}`),
    ),
    derivation,
  );
}

function relError(x: number): string {
  return x === 0 ? '0' : x.toExponential(1);
}

/** `max relative error 1.5e-10 (printed NumPy 1.5e-10) at 2 points`, or why there is no number. */
function checkSummary(c: MatCheck): string {
  if (c.cut) return 'cut by the time budget';
  if (c.maxRelError === null) return 'no point where the expression and the result are finite';
  const code = c.numpyMaxRelError === null ? 'the printed NumPy could not be evaluated' : `printed NumPy ${relError(c.numpyMaxRelError)}`;
  return `max relative error ${relError(c.maxRelError)} (${code}) at ${c.points} point${c.points === 1 ? '' : 's'}`;
}
