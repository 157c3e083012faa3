/**
 * The .npy/.npz viewer's extras: the header table (dtype, shape, order, the
 * archive's arrays), the whole-array statistics, and the slicing controls of
 * an N-D array (one number field per leading axis; also used for N-D text
 * selections).
 */
import type { MatrixPanelData } from '../../core/protocol';
import { h } from '../common/dom';
import { fmt, shapeText } from './format';

type FileInfo = NonNullable<MatrixPanelData['file']>;
type Slice = NonNullable<MatrixPanelData['slice']>;

/** Quiet time after typing in a slice field before the new slice is asked for. */
export const SLICE_DEBOUNCE_MS = 300;

function row(label: string, value: Node | string, testid?: string): HTMLTableRowElement {
  return h('tr', {}, h('th', { attrs: { scope: 'row' } }, label), h('td', { testid }, value));
}

export function renderFileInfo(file: FileInfo, onArray: (name: string) => void): HTMLElement {
  let arrays: HTMLElement | null = null;
  if (file.arrays && file.arrays.length) {
    const select = h('vscode-single-select', { testid: 'npz-array', attrs: { 'aria-label': 'Array in the archive' } });
    for (const name of file.arrays) {
      const opt = h('vscode-option', { attrs: { value: name } }, name);
      if (name === file.array) opt.setAttribute('selected', '');
      select.append(opt);
    }
    select.addEventListener('change', () => {
      const name = select.value;
      if (name && name !== file.array) onArray(name);
    });
    arrays = select;
  }
  const st = file.stats;
  const header = h(
    'table',
    { class: 'kv', testid: 'file-header' },
    h(
      'tbody',
      {},
      arrays ? row('array', arrays) : file.array ? row('array', file.array, 'file-array') : null,
      row('dtype', file.dtype, 'file-dtype'),
      row('shape', shapeText(file.shape), 'file-shape'),
      row('order', file.fortranOrder ? 'Fortran (column-major)' : 'C (row-major)', 'file-order'),
    ),
  );
  const stats = h(
    'table',
    { class: 'kv', testid: 'file-stats' },
    h(
      'tbody',
      {},
      row('count', String(st.count), 'stat-count'),
      row('NaN', String(st.nanCount), 'stat-nan'),
      row('±∞', String(st.infCount), 'stat-inf'),
      row('min', st.min === null ? '—' : fmt(st.min), 'stat-min'),
      row('max', st.max === null ? '—' : fmt(st.max), 'stat-max'),
      row('mean', st.mean === null ? '—' : fmt(st.mean), 'stat-mean'),
      row('std', st.std === null ? '—' : fmt(st.std), 'stat-std'),
    ),
  );
  return h(
    'section',
    { class: 'file-info', testid: 'file-info', attrs: { 'aria-label': 'File' } },
    h('div', { class: 'kv-group' }, h('h2', {}, 'Header'), header),
    h('div', { class: 'kv-group' }, h('h2', {}, 'Statistics'), stats),
  );
}

/** `[1, 2, :, :]` for the slice with leading indices [1, 2]. */
export function sliceText(index: readonly number[]): string {
  return `[${[...index.map(String), ':', ':'].join(', ')}]`;
}

export interface SliceControls {
  element: HTMLElement;
  dispose(): void;
}

export function renderSliceControls(slice: Slice, onSlice: (index: number[]) => void): SliceControls {
  const lead = Math.max(0, slice.shape.length - 2);
  const current = slice.shape.slice(0, lead).map((_, k) => Math.floor(slice.index[k] ?? 0));
  let posted = current.join(',');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fields: HTMLElement[] = [];
  const message = h('p', { class: 'slice-message', testid: 'slice-message', attrs: { 'aria-live': 'polite' } });
  const preview = h('code', { class: 'slice-preview', testid: 'slice-preview' }, sliceText(current));

  const read = (): number[] | null => {
    const index: number[] = [];
    let bad: string | null = null;
    for (const [k, f] of fields.entries()) {
      const field = f as HTMLElement & { value: string; invalid: boolean };
      const n = slice.shape[k]!;
      const text = field.value.trim();
      const v = Number(text);
      const ok = text !== '' && Number.isInteger(v) && v >= 0 && v < n;
      field.invalid = !ok;
      if (!ok && bad === null) bad = `Axis ${k} takes an index from 0 to ${n - 1}.`;
      index.push(v);
    }
    message.textContent = bad ?? '';
    return bad === null ? index : null;
  };
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const index = read();
    if (!index) return;
    preview.textContent = sliceText(index);
    const key = index.join(',');
    if (key === posted) return;
    posted = key;
    onSlice(index);
  };
  const schedule = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(flush, SLICE_DEBOUNCE_MS);
  };

  const controls = h('div', { class: 'slice-fields' });
  for (let k = 0; k < lead; k++) {
    const n = slice.shape[k]!;
    const id = `slice-axis-${k}`;
    const field = h('vscode-textfield', {
      testid: id,
      attrs: { id, type: 'number', min: '0', max: String(n - 1), step: '1', value: String(current[k]), 'aria-label': `Index on axis ${k} (0 to ${n - 1})` },
    });
    field.addEventListener('input', schedule);
    field.addEventListener('change', flush);
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') flush();
    });
    fields.push(field);
    controls.append(h('label', { class: 'slice-field', attrs: { for: id } }, h('span', {}, `axis ${k}`), field, h('span', { class: 'slice-of' }, `of ${n}`)));
  }
  const element = h(
    'section',
    { class: 'slice', testid: 'slice', attrs: { 'aria-label': 'Slice' } },
    h('h2', {}, 'Slice'),
    h('p', { class: 'slice-line' }, `Showing `, preview, ` of shape ${shapeText(slice.shape)}.`),
    controls,
    message,
  );
  return {
    element,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
