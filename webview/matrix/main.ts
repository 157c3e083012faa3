/**
 * The matrix panel's script ("MathLens: Visualize Matrix" and the .npy/.npz
 * viewer). It draws what the extension sends, keeps the last message and the
 * open tab in the webview state (so a reloaded or re-shown panel re-renders
 * without asking), and turns clicks into messages.
 */
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../common/panel.css';
import './matrix.css';
import type { CopyWhat, MatrixPanelState, MatrixToWebview } from '../../core/protocol';
import { isMatrixPanelState, isMatrixToWebview } from '../../core/protocol';
import { h } from '../common/dom';
import { matrixApi } from './api';
import { renderEmpty, renderLoading, renderMatrix, renderMatrixError, type MatrixActions, type Rendered } from './render';

const api = matrixApi();
const app = document.getElementById('app') ?? document.body.appendChild(h('main', { attrs: { id: 'app' } }));
const status = h('div', { class: 'status', testid: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
let statusTimer: ReturnType<typeof setTimeout> | undefined;

const saved = api.getState();
let state: MatrixPanelState = isMatrixPanelState(saved) ? saved : { version: 1 };
let current: Rendered | undefined;

function save(): void {
  api.setState(state);
}

function flash(text: string): void {
  status.textContent = text;
  if (statusTimer !== undefined) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => (status.textContent = ''), 2500);
}

function show(r: Rendered): void {
  current?.dispose();
  current = r;
  app.replaceChildren(r.node, status);
}

const actions: MatrixActions = {
  copy: (text, what) => api.postMessage({ type: 'copy', text, what }),
  slice: (index, array) => api.postMessage(array === undefined ? { type: 'slice', index } : { type: 'slice', index, array }),
  tab: (key) => {
    state = { ...state, tab: key };
    save();
  },
};

function showLast(last: NonNullable<MatrixPanelState['last']>): void {
  try {
    show(last.type === 'matrix' ? renderMatrix(last.data, actions, state.tab) : renderMatrixError(last));
  } catch (e) {
    show({
      node: h('section', { class: 'error', testid: 'error', attrs: { role: 'alert' } }, `MathLens could not display this matrix: ${e instanceof Error ? e.message : String(e)}`),
      redraw() {},
      dispose() {},
    });
  }
}

function copiedText(what: CopyWhat): string {
  const kind = what.format === 'latex' ? 'LaTeX' : 'NumPy';
  if (what.wrt === undefined) return `Copied ${kind} of the matrix.`;
  const last = state.last;
  const d = last?.type === 'matrix' ? last.data.decompositions.find((x) => x.key === what.wrt) : undefined;
  return `Copied ${kind} of the ${d?.label ?? what.wrt}.`;
}

function onMessage(msg: MatrixToWebview): void {
  switch (msg.type) {
    case 'matrixLoading':
      show(renderLoading(msg.title));
      return;
    case 'matrix':
    case 'matrixError':
      state = { version: 1, last: msg, ...(state.tab === undefined ? {} : { tab: state.tab }) };
      save();
      showLast(msg);
      return;
    case 'copied':
      flash(copiedText(msg.what));
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isMatrixToWebview(event.data)) onMessage(event.data);
});

// A theme change restyles the page (variables on <html>, a class on <body>): canvases are redrawn with its colours.
let themeFrame = 0;
const onTheme = () => {
  if (themeFrame) return;
  themeFrame = requestAnimationFrame(() => {
    themeFrame = 0;
    current?.redraw();
  });
};
const themeObserver = new MutationObserver(onTheme);
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });

if (state.last) showLast(state.last);
else show(renderEmpty());
api.postMessage({ type: 'ready' });
