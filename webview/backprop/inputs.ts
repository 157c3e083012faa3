/**
 * The inputs form: one row per leaf (name, value, where the value came
 * from, its gradient). Editing a value and pressing Recompute (or Enter)
 * asks the host to compute the graph again at those values; a value that
 * does not parse gets an inline message and nothing is posted.
 */
import type { BackpropSuccess, Numeric } from '../../core/backprop/index';
import { h } from '../common/dom';
import { inputText, parseInput, shapeBadge, shapeOf, valueText } from './format';

type TextField = HTMLElement & { value: string; invalid?: boolean };

const SOURCE_TEXT: Record<string, { text: string; title: string }> = {
  at: { text: 'entered', title: 'The value you entered in this panel.' },
  code: { text: 'code', title: 'The value assigned in the code (x = 0.5).' },
  default: { text: 'default', title: 'A default seeded by the name (the code gives no value).' },
};

export function renderInputs(r: BackpropSuccess, at: Record<string, Numeric>, recompute: (at: Record<string, Numeric>) => void): HTMLElement {
  const rows: { name: string; field: TextField; shape: number[] | undefined; initial: string; error: HTMLElement; partial: boolean }[] = [];
  const table = h('div', { class: `inputs-grid${r.leaves.length > 10 ? ' many' : ''}`, testid: 'inputs', attrs: { role: 'group', 'aria-label': 'Input values' } });
  for (const leaf of r.leaves) {
    const shape = leaf.shape ?? (typeof leaf.value === 'number' ? undefined : shapeOf(leaf.value));
    // An array the host sent only the corners of (too large to show whole) cannot be edited here.
    const partial = shape !== undefined && typeof leaf.value !== 'number' && shapeOf(leaf.value).join() !== shape.join();
    const initial = partial ? `${shapeBadge(shape)} array: too large to edit here` : inputText(leaf.value);
    const fieldId = `bp-input-${leaf.id}`;
    const field = h('vscode-textfield', {
      testid: `input-${leaf.name}`,
      attrs: { id: fieldId, value: initial, 'aria-label': `Value of ${leaf.name}${shape ? ` (JSON array of shape ${shapeBadge(shape)})` : ''}`, spellcheck: 'false', inputmode: shape ? 'text' : 'decimal' },
    }) as TextField;
    if (partial) field.setAttribute('readonly', '');
    const error = h('div', { class: 'field-error', testid: `input-error-${leaf.name}`, attrs: { role: 'alert' } });
    error.hidden = true;
    const src = SOURCE_TEXT[leaf.source] ?? { text: leaf.source, title: '' };
    table.append(
      h('label', { class: 'input-name', attrs: { for: fieldId } }, h('code', {}, leaf.name), shape ? h('span', { class: 'shape-badge', testid: `input-shape-${leaf.name}` }, shapeBadge(shape)) : null),
      h('div', { class: 'input-field' }, field, error),
      h('span', { class: `chip source-${leaf.source}`, testid: `input-source-${leaf.name}`, attrs: { title: src.title } }, src.text),
      // An array's gradient is summarised by its shape here (the node's detail pane shows its entries).
      h(
        'span',
        { class: 'input-grad muted', testid: `input-grad-${leaf.name}`, attrs: { title: `∂${r.output}/∂${leaf.name}${shape ? ` = ${valueText(leaf.grad, 600)}` : ''}` } },
        shape ? `∂ ${shapeBadge(shape)} array` : `∂ ${valueText(leaf.grad, 40)}`,
      ),
    );
    const row = { name: leaf.name, field, shape, initial, error, partial };
    rows.push(row);
    field.addEventListener('input', () => {
      field.invalid = false;
      error.hidden = true;
      error.textContent = '';
    });
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        submit();
      }
    });
  }

  const status = h('span', { class: 'muted small', testid: 'inputs-status' });
  function submit(): void {
    const next: Record<string, Numeric> = { ...at };
    let bad = 0;
    for (const row of rows) {
      const text = String(row.field.value ?? '');
      if (row.partial) continue; // not editable here: keeps its value (in `at` when it was entered)
      if (text.trim() === row.initial && !(row.name in at)) continue; // unchanged and not ours: keep the code's value
      const p = parseInput(text, row.shape);
      if (!p.ok) {
        bad++;
        row.field.invalid = true;
        row.error.textContent = p.message;
        row.error.hidden = false;
        continue;
      }
      next[row.name] = p.value;
    }
    if (bad) {
      status.textContent = bad === 1 ? 'One value is not valid: nothing was recomputed.' : `${bad} values are not valid: nothing was recomputed.`;
      return;
    }
    status.textContent = 'Recomputing…';
    recompute(next);
  }

  const go = h('vscode-button', { testid: 'recompute', attrs: { title: 'Compute the graph again at these values (Enter in a field)' } }, 'Recompute');
  go.addEventListener('click', submit);
  const reset = h('vscode-button', { testid: 'reset-inputs', attrs: { secondary: '', title: 'Forget the entered values: use the code’s values and the defaults' } }, 'Use code values');
  reset.addEventListener('click', () => recompute({}));
  if (!Object.keys(at).length) reset.setAttribute('disabled', '');

  return h(
    'section',
    { class: 'inputs', testid: 'inputs-section', attrs: { 'aria-label': 'Inputs' } },
    h('h2', {}, 'Inputs'),
    r.leaves.length ? table : h('p', { class: 'muted' }, 'This graph has no inputs.'),
    r.leaves.length ? h('div', { class: 'actions' }, go, reset, status) : null,
  );
}
