/**
 * The MathLens panel's script. It renders what the extension sends, keeps
 * the last result in the webview state (so a reloaded or re-shown panel
 * re-renders without asking), and turns button presses into messages.
 */
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '../common/panel.css';
import type { CopyWhat, ExtensionToWebview, MatcalcResultMessage, PanelState, ResultMessage } from '../../core/protocol';
import { isExtensionToWebview, isPanelState } from '../../core/protocol';
import { h } from '../common/dom';
import { derivativeText, matEntryText, matWholeText } from '../common/code';
import { renderMatcalc } from './matcalc';
import { renderEmpty, renderLoading, renderResult, type Actions } from './render';
import { vscodeApi } from '../common/vscodeApi';

const api = vscodeApi();
const app = document.getElementById('app') ?? document.body.appendChild(h('main', { attrs: { id: 'app' } }));
const status = h('div', { class: 'status', testid: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
let statusTimer: ReturnType<typeof setTimeout> | undefined;

const saved = api.getState();
let state: PanelState = isPanelState(saved) ? saved : { version: 1 };

function save(): void {
  api.setState(state);
}

function flash(text: string, kind: 'info' | 'error' = 'info'): void {
  status.textContent = text;
  status.classList.toggle('error', kind === 'error');
  if (statusTimer !== undefined) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => (status.textContent = ''), 2500);
}

function show(node: HTMLElement): void {
  app.replaceChildren(node, status);
}

const actions: Actions = {
  copy: (text, what) => api.postMessage({ type: 'copy', text, what }),
  insert: (code, target) => api.postMessage({ type: 'insert', code, target }),
  toggled: (wrt, open) => {
    state = { ...state, open: { ...state.open, [wrt]: open } };
    save();
  },
  disclosed: (key, open) => {
    state = { ...state, disclosed: { ...state.disclosed, [key]: open } };
    save();
  },
};

function showResult(msg: ResultMessage | MatcalcResultMessage): void {
  try {
    const isOpen = (wrt: string) => state.open?.[wrt] ?? msg.view.showSteps;
    const isDisclosed = (key: string) => state.disclosed?.[key] ?? false;
    show(msg.type === 'matcalc' ? renderMatcalc(msg, actions, isOpen) : renderResult(msg, actions, isOpen, isDisclosed));
  } catch (e) {
    show(h('section', { class: 'error', testid: 'error', attrs: { role: 'alert' } }, `MathLens could not display this result: ${e instanceof Error ? e.message : String(e)}`));
  }
}

function copiedText(what: CopyWhat): string {
  const kind = what.format === 'latex' ? 'LaTeX' : 'NumPy';
  return `Copied ${kind} of ${copiedOf(what)}.`;
}

/** What was copied, named as the panel names it: `∂f/∂x`, `∇_W f`, `the Jacobian`. */
function copiedOf(what: CopyWhat): string {
  const last = state.last;
  if (last?.type === 'matcalc') {
    const r = last.result;
    if (!r.ok) return what.wrt ?? 'the result';
    return what.wrt === undefined ? matWholeText(r) : matEntryText(r, what.wrt);
  }
  const r = last?.result;
  return what.wrt === undefined ? 'the gradient' : r?.ok ? derivativeText(r, what.wrt) : what.wrt;
}

function onMessage(msg: ExtensionToWebview): void {
  switch (msg.type) {
    case 'loading':
      show(renderLoading(msg));
      return;
    case 'result':
    case 'matcalc':
      state = { version: 1, last: msg };
      save();
      showResult(msg);
      return;
    case 'copied':
      flash(copiedText(msg.what));
      return;
    case 'inserted':
      flash(msg.text, msg.ok ? 'info' : 'error');
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isExtensionToWebview(event.data)) onMessage(event.data);
});

if (state.last) showResult(state.last);
else show(renderEmpty());
api.postMessage({ type: 'ready' });
