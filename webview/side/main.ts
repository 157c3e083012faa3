/**
 * The side view's script (the activity bar's MathLens view): tabs Plot,
 * Optimize, Statistics, Distributions and History. It draws what the host
 * sends, keeps the last data and the open tab in the webview state (so a
 * hidden or reloaded view re-renders without asking), and turns the user's
 * gestures into messages (core/protocol.ts, "the side view").
 */
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../common/panel.css';
import './side.css';
import type { ExtensionToSide, SideTab, SideToExtension } from '../../core/protocol';
import { isExtensionToSide, isSideState } from '../../core/protocol';
import { h } from '../common/dom';
import { sideApi, type SavedState, type SideUi } from './api';
import { setExportHandler } from './chart';
import { createDistTab } from './dist';
import { createHistoryTab } from './history';
import { createOptimizeTab } from './optimize';
import { createPlotTab } from './plot';
import { createStatsTab } from './stats';

const api = sideApi();
const app = document.getElementById('app') ?? document.body.appendChild(h('main', { attrs: { id: 'app' } }));
app.classList.add('side');

const saved = api.getState();
let state: SavedState = isSideState(saved) ? (saved as SavedState) : { version: 1, tab: 'plot' };
if (typeof state.ui !== 'object' || state.ui === null) state = { ...state, ui: {} };

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function save(): void {
  // Coalesced: a slider or a drag may change the state many times a second.
  if (saveTimer !== undefined) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    api.setState(state);
  }, 50);
}
function saveNow(): void {
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = undefined;
  api.setState(state);
}

// Messages wait until `ready` has gone out (the host listens from then on).
let readySent = false;
const queue: SideToExtension[] = [];
function post(msg: SideToExtension): void {
  if (readySent) api.postMessage(msg);
  else queue.push(msg);
}

const ui = (): SideUi => state.ui ?? {};
const setUi = (patch: Partial<SideUi>) => {
  state = { ...state, ui: { ...ui(), ...patch } };
  save();
};

const status = h('div', { class: 'status', testid: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
let statusTimer: ReturnType<typeof setTimeout> | undefined;
function flash(text: string): void {
  status.textContent = text;
  if (statusTimer !== undefined) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => (status.textContent = ''), 4000);
}

setExportHandler((format, data, name) => {
  post({ type: 'export', format, data, name });
  flash(`Exporting ${name}.${format}…`);
});

// ---------------------------------------------------------------- tabs

const plot = createPlotTab({
  post,
  ui,
  setUi,
  savePlot: (d) => {
    state = { ...state, plot: d };
    save();
  },
});
const optimize = createOptimizeTab({
  post,
  saveOptimize: (d) => {
    state = { ...state, optimize: d };
    save();
  },
});
const stats = createStatsTab();
const dist = createDistTab({
  post,
  ui,
  setUi,
  saveDistribution: (d) => {
    state = { ...state, distribution: d };
    save();
  },
  saveBayes: (b) => {
    state = { ...state, bayes: b };
    save();
  },
});
const history = createHistoryTab((id) => post({ type: 'reopen', id }));

const TABS: { key: SideTab; label: string; body: HTMLElement; redraw?: () => void; shown?: () => void }[] = [
  { key: 'plot', label: 'Plot', body: plot.element, redraw: plot.redraw },
  { key: 'optimize', label: 'Optimize', body: optimize.element, redraw: optimize.redraw },
  { key: 'statistics', label: 'Statistics', body: stats.element, redraw: stats.redraw },
  { key: 'distributions', label: 'Distributions', body: dist.element, redraw: dist.redraw, shown: dist.shown },
  { key: 'history', label: 'History', body: history.element },
];

const notices = new Map<SideTab, HTMLElement>();
/** "Below: the previous selection", shown with a notice while the tab still holds an earlier result. */
const staleLabels = new Map<SideTab, HTMLElement>();
const tabs = h('vscode-tabs', { testid: 'side-tabs', attrs: { 'aria-label': 'MathLens' } });
for (const t of TABS) {
  const notice = h('div', { class: 'notice', testid: `notice-${t.key}`, attrs: { role: 'status' } });
  notice.hidden = true;
  notices.set(t.key, notice);
  const stale = h('p', { class: 'stale-label', testid: `stale-${t.key}` }, 'Below: the previous selection, not the current one.');
  stale.hidden = true;
  staleLabels.set(t.key, stale);
  tabs.append(h('vscode-tab-header', { testid: `tab-${t.key}`, attrs: { slot: 'header' } }, t.label), h('vscode-tab-panel', { testid: `panel-${t.key}` }, notice, stale, t.body));
}

/** Marks (or unmarks) what a tab shows as belonging to an earlier selection: dimmed, with a label. */
function setStale(tab: SideTab, stale: boolean): void {
  const t = TABS.find((x) => x.key === tab);
  const label = staleLabels.get(tab);
  if (!t || !label) return;
  t.body.classList.toggle('stale', stale);
  label.hidden = !stale;
}

/** Does the tab show a result of a selection (which a later notice makes stale)? */
function holdsResult(tab: SideTab): boolean {
  return (tab === 'plot' && state.plot !== undefined) || (tab === 'optimize' && state.optimize !== undefined) || (tab === 'statistics' && state.statistics !== undefined);
}

function clearNotice(tab: SideTab): void {
  const n = notices.get(tab);
  if (n) {
    n.hidden = true;
    n.textContent = '';
  }
  setStale(tab, false);
}

function tabShown(key: SideTab): void {
  const t = TABS.find((x) => x.key === key);
  t?.shown?.();
  // Charts drawn while their panel was hidden had no width: draw them now.
  requestAnimationFrame(() => t?.redraw?.());
}

function selectTab(key: SideTab, fromUser: boolean): void {
  const i = TABS.findIndex((t) => t.key === key);
  if (i < 0) return;
  if (tabs.selectedIndex !== i) tabs.selectedIndex = i;
  const changed = state.tab !== key;
  state = { ...state, tab: key };
  saveNow();
  if (fromUser && changed) post({ type: 'tabChanged', tab: key });
  tabShown(key);
}

tabs.addEventListener('vsc-tabs-select', (e) => {
  const t = TABS[e.detail.selectedIndex];
  if (t) selectTab(t.key, true);
});
// vscode-tabs selects on Enter only; Space should work too (as on a button).
tabs.addEventListener('keydown', (e) => {
  if (e.key !== ' ') return;
  const header = e.composedPath().find((t): t is HTMLElement => t instanceof HTMLElement && t.tagName === 'VSCODE-TAB-HEADER');
  if (!header) return;
  const i = [...tabs.querySelectorAll(':scope > vscode-tab-header')].indexOf(header);
  if (i < 0 || !TABS[i]) return;
  e.preventDefault();
  selectTab(TABS[i]!.key, true);
});

app.replaceChildren(tabs, status);

// ---------------------------------------------------------------- messages

function onMessage(msg: ExtensionToSide): void {
  switch (msg.type) {
    case 'sideTab':
      selectTab(msg.tab, false);
      return;
    case 'plot': {
      const t0 = performance.now();
      clearNotice('plot');
      state = { ...state, plot: msg.data };
      save();
      plot.show(msg.data);
      app.dataset.plotRenderMs = (performance.now() - t0).toFixed(2);
      return;
    }
    case 'plotSamples':
      plot.samples(msg.samples, msg.requestId);
      return;
    case 'pointValues':
      plot.point(msg.point, msg.requestId);
      return;
    case 'gallery':
      plot.gallery(msg.items);
      return;
    case 'optimize':
      clearNotice('optimize');
      state = { ...state, optimize: msg.data };
      save();
      optimize.show(msg.data);
      return;
    case 'trajectories':
      optimize.trajectories(msg.trajectories, msg.settings, msg.requestId);
      return;
    case 'statistics':
      clearNotice('statistics');
      state = { ...state, statistics: msg.data };
      save();
      stats.show(msg.data);
      return;
    case 'distribution':
      clearNotice('distributions');
      dist.distribution(msg.data, msg.requestId);
      return;
    case 'bayes':
      dist.bayes(msg.data, msg.requestId);
      return;
    case 'history':
      state = { ...state, history: msg.entries };
      save();
      history.show(msg.entries);
      return;
    case 'sideNotice': {
      const n = notices.get(msg.tab);
      if (n) {
        n.textContent = msg.message;
        n.hidden = false;
      }
      // The selection was not shown: what the tab holds is of an earlier one, and says so.
      setStale(msg.tab, holdsResult(msg.tab));
      return;
    }
    case 'exported':
      flash(msg.text);
      return;
  }
}

function safely(f: () => void, what: string): void {
  try {
    f();
  } catch (e) {
    flash(`MathLens could not display ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isExtensionToSide(event.data)) {
    const msg = event.data;
    safely(() => onMessage(msg), msg.type);
  }
});

// A theme change restyles the page (variables on <html>, a class on <body>): canvases are redrawn with its colours.
let themeFrame = 0;
const onTheme = () => {
  if (themeFrame) return;
  themeFrame = requestAnimationFrame(() => {
    themeFrame = 0;
    for (const t of TABS) t.redraw?.();
  });
};
const themeObserver = new MutationObserver(onTheme);
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });

// ---------------------------------------------------------------- start: restore, then ready

const restored = state;
if (restored.plot) safely(() => plot.show(restored.plot!, true), 'the saved plot');
if (restored.ui?.gallery) safely(() => plot.gallery(restored.ui!.gallery!), 'the saved gallery');
if (restored.optimize) safely(() => optimize.show(restored.optimize!), 'the saved playground');
if (restored.statistics) safely(() => stats.show(restored.statistics!), 'the saved statistics');
if (restored.distribution) safely(() => dist.distribution(restored.distribution!, 0), 'the saved distribution');
if (restored.bayes) safely(() => dist.bayes(restored.bayes!, 0), "the saved Bayes' rule");
if (Array.isArray(restored.history)) safely(() => history.show(restored.history!), 'the saved history');

api.postMessage({ type: 'ready' });
readySent = true;
for (const m of queue.splice(0)) api.postMessage(m);
selectTab(state.tab, false);
