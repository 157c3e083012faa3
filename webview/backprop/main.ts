/**
 * The backprop graph panel's script ("MathLens: Show Backprop Graph"). It
 * draws what the host sends (core/protocol.ts, "the backprop graph panel"),
 * plays the engine's steps, keeps the last message, the playback position,
 * the selected node and the collapsed flag in the webview state (so a hidden
 * or reloaded panel re-renders without asking), and turns gestures into
 * messages: reveal a node's source, recompute at entered values, copy, insert.
 * It computes nothing: every number is the engine's.
 */
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../common/panel.css';
import './backprop.css';
import type { BackpropSuccess } from '../../core/backprop/index';
import type { BackpropPanelState, BackpropSource, BackpropToExtension, ExtensionToBackprop } from '../../core/protocol';
import { isBackpropPanelState, isExtensionToBackprop } from '../../core/protocol';
import { h } from '../common/dom';
import { math } from '../common/math';
import { backpropApi } from './api';
import { renderDetail } from './detail';
import { valueText } from './format';
import { createGraph, type GraphView } from './graph';
import { renderInputs } from './inputs';
import { timeline, type Timeline } from './model';
import { s as svgEl } from '../common/svg';

type GraphMessage = Extract<ExtensionToBackprop, { type: 'backprop' }>;

const PLAY_MS = 900;

const api = backpropApi();
const app = document.getElementById('app') ?? document.body.appendChild(h('main', { attrs: { id: 'app' } }));
app.classList.add('backprop');

const saved = api.getState();
let state: BackpropPanelState = isBackpropPanelState(saved) ? saved : { version: 1 };

let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** Coalesced: playback may move the position every second, and the state holds the whole graph. */
function save(): void {
  if (saveTimer !== undefined) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    api.setState(state);
  }, 150);
}
function saveNow(): void {
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = undefined;
  api.setState(state);
}

function post(msg: BackpropToExtension): void {
  api.postMessage(msg);
}

const status = h('div', { class: 'status', testid: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
let statusTimer: ReturnType<typeof setTimeout> | undefined;
function flash(text: string, ms = 4000, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
  if (statusTimer !== undefined) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => (status.textContent = ''), ms);
}

/** Playback icons drawn as SVG (the media-control characters are missing from many fonts). */
const ICONS: Record<string, string> = {
  reset: 'M3 3h2v10H3zM13 3v10L6 8z',
  back: 'M12 3v10L5 8z',
  step: 'M4 3v10l7-5z',
  play: 'M4 2.5v11L13 8z',
  pause: 'M4 3h3v10H4zM9 3h3v10H9z',
  all: 'M3 3v10l7-5zM11 3h2v10h-2z',
};
function icon(name: keyof typeof ICONS): SVGSVGElement {
  return svgEl('svg', { class: 'icon', viewBox: '0 0 16 16', width: 14, height: 14, 'aria-hidden': 'true', focusable: 'false' }, svgEl('path', { d: ICONS[name]!, fill: 'currentColor' }));
}

function button(label: string | Node, testid: string, title: string, onClick: () => void, opts: { secondary?: boolean; disabled?: string; aria?: string } = {}): HTMLElement {
  const b = h('vscode-button', { testid, attrs: { title, 'aria-label': opts.aria ?? title } }, label);
  if (opts.secondary) b.setAttribute('secondary', '');
  if (opts.disabled !== undefined) {
    b.setAttribute('disabled', '');
    // A disabled control gets no pointer events: the tooltip goes on a wrapper, and is announced too.
    return h('span', { class: 'disabled-wrap', testid: `${testid}-wrap`, attrs: { title: opts.disabled } }, b, h('span', { class: 'sr-only' }, opts.disabled));
  }
  b.addEventListener('click', onClick);
  return b;
}

// ---------------------------------------------------------------- the current view

interface View {
  msg: GraphMessage;
  r: BackpropSuccess;
  t: Timeline;
  graph: GraphView;
  graphHost: HTMLElement;
  detailHost: HTMLElement;
  counter: HTMLElement;
  stepMath: HTMLElement;
  stepText: HTMLElement;
  playButton: HTMLElement;
}

let view: View | undefined;
let playTimer: ReturnType<typeof setInterval> | undefined;

function stopPlay(): void {
  if (playTimer !== undefined) clearInterval(playTimer);
  playTimer = undefined;
  if (view) {
    view.playButton.replaceChildren(icon('play'));
    view.playButton.setAttribute('aria-pressed', 'false');
    view.playButton.title = 'Play the steps (Space)';
  }
}

function isCollapsed(r: BackpropSuccess): boolean {
  return !!r.collapsed && state.collapsed !== false;
}

function setStep(step: number | undefined): void {
  if (!view) return;
  const total = view.r.steps.length;
  const next = step === undefined ? undefined : Math.max(0, Math.min(total, step));
  state = { ...state };
  if (next === undefined) delete state.step;
  else state.step = next;
  save();
  showStep();
}

function showStep(): void {
  if (!view) return;
  const { r, graph, counter, stepMath, stepText } = view;
  const step = state.step;
  const total = r.steps.length;
  const t0 = performance.now();
  graph.update(step, state.selected);
  app.dataset.updateMs = (performance.now() - t0).toFixed(1);
  const cur = step === undefined || step <= 0 ? undefined : r.steps[step - 1];
  app.dataset.step = step === undefined ? 'all' : String(step);
  if (step === undefined) {
    counter.textContent = `All ${total} steps: the forward and the backward pass are done.`;
    stepMath.replaceChildren();
    stepText.textContent = '';
  } else if (!cur) {
    counter.textContent = `Step 0 of ${total}: nothing computed yet. Press ▶ to start the forward pass.`;
    stepMath.replaceChildren();
    stepText.textContent = '';
  } else {
    counter.textContent = `Step ${step} of ${total} · ${cur.phase === 'forward' ? 'forward pass' : 'backward pass'}`;
    counter.dataset.phase = cur.phase;
    stepMath.replaceChildren(math(cur.latex, true, { class: 'step-latex', testid: 'step-latex' }));
    stepText.textContent = cur.text;
  }
  if (step === undefined || !cur) delete counter.dataset.phase;
}

function select(node: number, reveal: boolean): void {
  if (!view) return;
  const n = view.r.nodes[node];
  if (!n) return;
  state = { ...state, selected: node };
  save();
  if (reveal) post({ type: 'reveal', from: n.from, to: n.to });
  view.graph.update(state.step, node);
  renderDetailPane();
}

function revealNode(node: number): void {
  const n = view?.r.nodes[node];
  if (n) post({ type: 'reveal', from: n.from, to: n.to });
}

function renderDetailPane(): void {
  if (!view) return;
  const { r, msg, graph, detailHost } = view;
  const sel = state.selected;
  if (sel === undefined || !r.nodes[sel]) {
    detailHost.replaceChildren(
      h(
        'section',
        { class: 'detail empty-detail', testid: 'detail-empty' },
        h('h2', {}, 'Selected node'),
        h('p', {}, 'Click a node (or Tab to the graph, move with the arrow keys and press Enter) to see its value, its gradient and the chain rule on each of its inputs. Its code is selected in the editor.'),
      ),
    );
    return;
  }
  const itemIndex = graph.itemOf(sel);
  const item = itemIndex === undefined ? undefined : graph.items[itemIndex];
  detailHost.replaceChildren(
    renderDetail(r, msg.source, sel, item, {
      reveal: revealNode,
      select: (id) => {
        select(id, true);
        view?.graph.focusNode(id);
      },
      copyLatex: (text) => post({ type: 'copy', text, what: { format: 'latex' } }),
    }),
  );
}

function buildGraph(): void {
  if (!view) return;
  view.graph.dispose();
  view.graph = createGraph(view.r, view.t, isCollapsed(view.r), (item) => select(item.node, true));
  view.graphHost.replaceChildren(view.graph.element);
  showStep();
  renderDetailPane();
}

// ---------------------------------------------------------------- playback controls

function stepForward(): void {
  if (!view) return;
  const total = view.r.steps.length;
  const cur = state.step ?? total;
  if (cur >= total) return;
  setStep(cur + 1);
}
function stepBack(): void {
  if (!view) return;
  const total = view.r.steps.length;
  const cur = state.step ?? total;
  if (cur <= 0) return;
  setStep(cur - 1);
}
function reset(): void {
  stopPlay();
  setStep(0);
}
function showAll(): void {
  stopPlay();
  setStep(undefined);
}
function togglePlay(): void {
  if (!view) return;
  if (playTimer !== undefined) {
    stopPlay();
    saveNow();
    return;
  }
  const total = view.r.steps.length;
  if (!total) return;
  if (state.step === undefined || state.step >= total) setStep(0);
  view.playButton.replaceChildren(icon('pause'));
  view.playButton.setAttribute('aria-pressed', 'true');
  view.playButton.title = 'Pause (Space)';
  playTimer = setInterval(() => {
    if (!view) return stopPlay();
    stepForward();
    if ((state.step ?? total) >= view.r.steps.length) {
      stopPlay();
      saveNow();
    }
  }, PLAY_MS);
}

function renderPlayer(r: BackpropSuccess): { bar: HTMLElement; counter: HTMLElement; stepMath: HTMLElement; stepText: HTMLElement; playButton: HTMLElement } {
  const counter = h('div', { class: 'step-counter', testid: 'step-counter', attrs: { 'aria-live': 'polite' } });
  const stepMath = h('div', { class: 'step-math', testid: 'step-math' });
  const stepText = h('div', { class: 'step-text sr-only', testid: 'step-text' });
  const playButton = h('vscode-button', { testid: 'play', attrs: { title: 'Play the steps (Space)', 'aria-label': 'Play or pause', 'aria-pressed': 'false' } }, icon('play'));
  playButton.addEventListener('click', togglePlay);
  const none = r.steps.length ? undefined : 'This graph has no steps to play.';
  const bar = h(
    'div',
    { class: 'player', testid: 'player' },
    h(
      'div',
      { class: 'player-buttons', attrs: { role: 'toolbar', 'aria-label': 'Playback' } },
      button(icon('reset'), 'step-reset', 'Reset: nothing computed (Home)', reset, { secondary: true, aria: 'Reset', ...(none ? { disabled: none } : {}) }),
      button(icon('back'), 'step-back', 'Step back (← or ,)', stepBack, { secondary: true, aria: 'Step back', ...(none ? { disabled: none } : {}) }),
      button(icon('step'), 'step-forward', 'Step (→ or .)', stepForward, { secondary: true, aria: 'Step', ...(none ? { disabled: none } : {}) }),
      none ? h('span', { class: 'disabled-wrap', attrs: { title: none } }, playButton) : playButton,
      button(icon('all'), 'step-all', 'Show all steps (End)', showAll, { secondary: true, aria: 'All steps', ...(none ? { disabled: none } : {}) }),
      counter,
    ),
    stepMath,
    stepText,
  );
  if (none) playButton.setAttribute('disabled', '');
  return { bar, counter, stepMath, stepText, playButton };
}

// ---------------------------------------------------------------- whole views

function renderEmpty(): void {
  view = undefined;
  app.replaceChildren(
    h(
      'section',
      { class: 'empty', testid: 'empty' },
      h('p', {}, 'Select a forward pass such as ', h('code', {}, 'z = w*x + b; a = sigmoid(z); loss = (a - y)**2'), ' and run ', h('strong', {}, 'MathLens: Show Backprop Graph'), '.'),
    ),
    status,
  );
}

const COMPUTING = 'Computing the graph…';

function renderLoading(text: string): void {
  if (view) {
    // Keep the graph on screen while the new one is computed.
    app.setAttribute('aria-busy', 'true');
    flash(COMPUTING, 10000);
    return;
  }
  const preview = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  app.replaceChildren(
    h('section', { class: 'loading', testid: 'loading', attrs: { 'aria-busy': 'true' } }, h('vscode-progress-ring', { attrs: { 'aria-label': 'Computing' } }), h('p', {}, 'Building the graph of ', h('code', {}, preview), '…')),
    status,
  );
}

function errorWhere(source: BackpropSource, offset: number): string {
  const pos = source.errorPosition;
  if (pos) return `Line ${pos.line + 1}, column ${pos.character + 1} (offset ${offset} in the selection).`;
  const before = source.text.slice(0, offset).split('\n');
  const line = source.start.line + before.length - 1;
  const character = (before.length === 1 ? source.start.character : 0) + before[before.length - 1]!.length;
  return `Line ${line + 1}, column ${character + 1} (offset ${offset} in the selection).`;
}

function renderError(msg: GraphMessage): void {
  view = undefined;
  if (msg.result.ok) return;
  const e = msg.result.error;
  const text = msg.source.text;
  const offset = Number.isFinite(e.offset) ? Math.max(0, Math.min(Math.floor(e.offset), text.length)) : 0;
  const length = Number.isFinite(e.length) ? Math.max(0, Math.min(Math.floor(e.length), text.length - offset)) : 0;
  const mark =
    length > 0
      ? h('mark', { testid: 'error-mark' }, text.slice(offset, offset + length))
      : h('mark', { class: 'point', testid: 'error-mark', attrs: { title: offset === text.length ? 'end of input' : 'here' } });
  app.replaceChildren(
    h(
      'section',
      { class: 'error', testid: 'error', attrs: { role: 'alert' } },
      h('h2', {}, 'Could not build the graph'),
      h('p', { class: 'error-message', testid: 'error-message' }, e.message),
      h('pre', { class: 'source', testid: 'error-source' }, text.slice(0, offset), mark, text.slice(offset + length)),
      h('p', { class: 'error-where muted', testid: 'error-where' }, errorWhere(msg.source, offset)),
    ),
    status,
  );
}

function renderGraph(msg: GraphMessage, r: BackpropSuccess): void {
  stopPlay();
  const t0 = performance.now();
  const t = timeline(r);
  const player = renderPlayer(r);
  const graphHost = h('div', { class: 'graph-host' });
  const detailHost = h('div', { class: 'detail-host', testid: 'detail-host' });

  const collapse = r.collapsed ? (h('vscode-checkbox', { testid: 'collapsed-toggle', attrs: { title: 'Fold repeated structure (×k nodes)' } }, 'Collapsed view') as HTMLElement & { checked: boolean }) : null;
  if (collapse) {
    if (isCollapsed(r)) collapse.setAttribute('checked', '');
    collapse.addEventListener('change', () => {
      state = { ...state, collapsed: !!collapse.checked };
      saveNow();
      buildGraph();
    });
  }
  const header = h(
    'header',
    { class: 'header' },
    h('h1', { class: 'title', testid: 'title' }, 'Backprop graph of ', h('code', {}, r.output)),
    h(
      'div',
      { class: 'meta' },
      h('span', { class: 'chip', testid: 'node-count' }, `${r.nodes.length} nodes`),
      h('span', { class: 'chip', testid: 'edge-count' }, `${r.edges.length} edges`),
      h('span', { class: 'chip subtle', testid: 'leaf-count' }, `${r.leaves.length} inputs`),
      h('span', { class: 'chip subtle', testid: 'output-value', attrs: { title: `The value of ${r.output}` } }, `${r.output} = ${valueText(r.nodes[r.outputId]?.value ?? NaN, 40)}`),
      collapse,
    ),
  );

  const uri = msg.source.uri;
  const code = h(
    'section',
    { class: 'code', attrs: { 'aria-label': 'NumPy backward pass' } },
    h('h2', {}, 'NumPy backward pass (micrograd style)'),
    h(
      'div',
      { class: 'actions' },
      button('Copy NumPy', 'copy-numpy', 'Copy the forward and backward pass as NumPy code', () => post({ type: 'copy', text: r.numpy, what: { format: 'numpy' } })),
      button(
        'Insert below selection',
        'insert-numpy',
        'Insert the NumPy code below the selection in the editor',
        () => {
          if (uri) post({ type: 'insert', code: r.numpy, target: { uri, startLine: msg.source.start.line, endLine: msg.source.endLine } });
        },
        { secondary: true, ...(uri ? {} : { disabled: 'The forward pass did not come from a document: nothing to insert into.' }) },
      ),
    ),
    h('pre', { class: 'numpy', testid: 'numpy', attrs: { tabindex: '0', 'aria-label': 'NumPy code' } }, r.numpy),
  );
  const notes = r.notes.length ? h('section', { class: 'notes' }, h('h2', {}, 'Notes'), h('ul', { testid: 'notes' }, ...r.notes.map((n) => h('li', {}, n)))) : null;

  view = {
    msg,
    r,
    t,
    graph: createGraph(r, t, isCollapsed(r), (item) => select(item.node, true)),
    graphHost,
    detailHost,
    counter: player.counter,
    stepMath: player.stepMath,
    stepText: player.stepText,
    playButton: player.playButton,
  };
  graphHost.append(view.graph.element);
  const t1 = performance.now();
  const inputs = renderInputs(r, msg.at, (at) => post({ type: 'recompute', at }));
  const t2 = performance.now();
  app.replaceChildren(header, player.bar, h('div', { class: 'workspace' }, graphHost, detailHost), inputs, code, ...(notes ? [notes] : []), status);
  showStep();
  renderDetailPane();
  // Timings for the tests and for profiling (ms): the graph, the inputs form, everything.
  app.dataset.graphMs = (t1 - t0).toFixed(1);
  app.dataset.inputsMs = (t2 - t1).toFixed(1);
  app.dataset.renderMs = (performance.now() - t0).toFixed(1);
}

function showLast(msg: GraphMessage): void {
  app.removeAttribute('aria-busy');
  try {
    if (msg.result.ok) renderGraph(msg, msg.result);
    else renderError(msg);
  } catch (e) {
    view = undefined;
    app.replaceChildren(h('section', { class: 'error', testid: 'error', attrs: { role: 'alert' } }, `MathLens could not display this graph: ${e instanceof Error ? e.message : String(e)}`), status);
  }
}

// ---------------------------------------------------------------- messages

function onMessage(msg: ExtensionToBackprop): void {
  switch (msg.type) {
    case 'backpropLoading':
      renderLoading(msg.text);
      return;
    case 'backprop': {
      if (status.textContent === COMPUTING) flash('', 0); // the graph is here
      const prev = state.last;
      const same = prev !== undefined && prev.source.text === msg.source.text && prev.result.ok && msg.result.ok;
      const next: BackpropPanelState = { version: 1, last: msg };
      if (state.collapsed !== undefined) next.collapsed = state.collapsed;
      // A recompute of the same code keeps the selection and the playback position.
      if (same && msg.result.ok) {
        if (state.selected !== undefined && state.selected < msg.result.nodes.length) next.selected = state.selected;
        if (state.step !== undefined && state.step <= msg.result.steps.length) next.step = state.step;
      }
      state = next;
      saveNow();
      showLast(msg);
      // (The host also re-sends its last graph when a hidden panel is shown again: nothing to announce then.)
      if (same && JSON.stringify(prev.at) !== JSON.stringify(msg.at)) flash('Recomputed at the new values.');
      return;
    }
    case 'copied':
      flash(msg.what.format === 'latex' ? 'Copied the LaTeX.' : 'Copied the NumPy code.');
      return;
    case 'inserted':
      flash(msg.text, msg.ok ? 4000 : 6000, !msg.ok);
      return;
    case 'revealed':
      flash(msg.text, msg.ok ? 4000 : 6000, !msg.ok);
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isExtensionToBackprop(event.data)) onMessage(event.data);
});

// Playback keys, wherever focus is except in text fields and on buttons (where they mean what they usually do).
window.addEventListener('keydown', (e) => {
  if (!view || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.composedPath()[0];
  if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  const onControl = e.composedPath().some((t) => t instanceof HTMLElement && /^(VSCODE-BUTTON|VSCODE-CHECKBOX|VSCODE-TEXTFIELD|BUTTON|A)$/.test(t.tagName));
  // A focused code block scrolls with the arrow keys, Home and End.
  if (target instanceof HTMLElement && target.closest('pre')) return;
  switch (e.key) {
    case 'ArrowRight':
    case '.':
      stepForward();
      break;
    case 'ArrowLeft':
    case ',':
      stepBack();
      break;
    case ' ':
      if (onControl) return;
      togglePlay();
      break;
    case 'Home':
      reset();
      break;
    case 'End':
      showAll();
      break;
    default:
      return;
  }
  e.preventDefault();
});

// ---------------------------------------------------------------- start: restore, then ready

if (state.last) showLast(state.last);
else renderEmpty();
post({ type: 'ready' });
