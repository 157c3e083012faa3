/**
 * The side view (activity bar → MathLens): a WebviewView with the tabs Plot, Optimize, Statistics,
 * Distributions and History. It follows the editor: when the selection changes (debounced), what is
 * selected is classified by core/side.ts and the matching tab is brought up to date. The webview asks
 * for what depends on its own view (samples of a zoomed range, a point, trajectories for new
 * settings, a distribution's curves) and the host answers from the session it keeps. No math here.
 */
import * as vscode from 'vscode';
import type { ExtensionToSide, SideTab, SideToExtension } from '../../core/protocol';
import { isLang, isSideToExtension } from '../../core/protocol';
import { SideSession, bayesData, classifySelection, distributionData, galleryItems } from '../../core/side';
import { selectedText } from '../common/selection';
import { makeNonce, panelHtml } from '../common/html';
import type { Lang } from '../../core/parse/types';
import { chooseLang } from '../common/language';
import type { History } from './history';

/** How long the selection must stay still before the view follows it (a drag-selection is one update; the whole update stays under 100 ms). */
const FOLLOW_DELAY_MS = 60;
/** Larger selections are not followed (a whole file selected with Ctrl+A). */
const MAX_FOLLOW_CHARS = 200_000;

export class SideViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewType = 'mathlens.sideView';

  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** The latest message of each kind not yet delivered to a ready webview. */
  private readonly pending = new Map<string, ExtensionToSide>();
  private readonly session = new SideSession();
  private followTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFollowed = '';
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly history: History,
    /** Reopens a History entry of another command (gradient, matrix). */
    private readonly reopen: (id: string) => Promise<boolean>,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.scheduleFollow(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.scheduleFollow(e)),
      history.onDidChange((entries) => this.post({ type: 'history', entries })),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const webview = view.webview;
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')] };
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', name)).toString();
    webview.html = panelHtml({ cspSource: webview.cspSource, nonce: makeNonce(), scriptUri: asset('side.js'), styleUris: [asset('katex.min.css'), asset('side.css')], title: 'MathLens' });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      view.onDidChangeVisibility(() => {
        // a hidden view is unloaded (no retainContextWhenHidden): it says `ready` again when shown
        if (!view.visible) this.ready = false;
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
    this.post({ type: 'history', entries: this.history.list() });
    const editor = vscode.window.activeTextEditor;
    if (editor) this.scheduleFollow(editor, 0);
  }

  /** Shows the view (the "MathLens: Open Side Panel" command), optionally on a tab. */
  async show(tab?: SideTab): Promise<void> {
    await vscode.commands.executeCommand(`${SideViewProvider.viewType}.focus`);
    if (tab) this.post({ type: 'sideTab', tab });
  }

  /** Shows the current selection now (the command run with a selection). */
  followNow(): void {
    const editor = vscode.window.activeTextEditor;
    if (editor) this.follow(editor, true);
  }

  dispose(): void {
    if (this.followTimer) clearTimeout(this.followTimer);
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  private post(message: ExtensionToSide): void {
    const key = 'requestId' in message ? `${message.type}` : message.type;
    this.pending.set(key, message);
    if (!this.view || !this.ready) return;
    void this.view.webview.postMessage(message).then((delivered) => {
      if (delivered && this.pending.get(key) === message) this.pending.delete(key);
    });
  }

  private scheduleFollow(editor: vscode.TextEditor, delay = FOLLOW_DELAY_MS): void {
    if (!this.view?.visible || editor.document.uri.scheme === 'output') return;
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => this.follow(editor, false), delay);
  }

  /** Classifies the selection (or the current line) and updates the matching tab. */
  private follow(editor: vscode.TextEditor, explicit: boolean): void {
    try {
      const sel = selectedText(editor);
      const text = sel.text;
      if (!text.trim() || text.length > MAX_FOLLOW_CHARS) return;
      // Following the cursor line by line: only what is clearly math or data is shown; a plain
      // line of code is ignored quietly unless the user asked (command) or selected it.
      const selected = !editor.selection.isEmpty;
      // The same text seen again is skipped, but a selection of the line the cursor was quietly on
      // is new: it must say why it is not shown.
      const key = `${editor.document.uri.toString()}\0${selected ? 'selected' : 'cursor'}\0${text}`;
      if (!explicit && key === this.lastFollowed) return;
      this.lastFollowed = key;
      const lang = languageOf(editor.document.languageId);
      const source = { text, uri: editor.document.uri.toString(), start: sel.start };
      const kind = classifySelection(text, lang);
      switch (kind.kind) {
        case 'plot': {
          const r = this.session.plot(text, lang, source);
          if (r.ok) {
            this.post({ type: 'plot', data: r.data });
            this.post({ type: 'sideTab', tab: 'plot' });
            this.history.add({ kind: 'plot', title: text.trim(), text, lang, uri: source.uri });
          } else if (explicit || selected) this.post({ type: 'sideNotice', tab: 'plot', message: r.message });
          return;
        }
        case 'optimize': {
          const r = this.session.objective(text, lang, source);
          if (r.ok) {
            this.post({ type: 'optimize', data: r.data });
            this.post({ type: 'sideTab', tab: 'optimize' });
            this.history.add({ kind: 'optimize', title: text.trim(), text, lang, uri: source.uri });
          } else if (explicit || selected) this.post({ type: 'sideNotice', tab: 'optimize', message: r.message });
          return;
        }
        case 'data': {
          const r = this.session.statistics(text, source);
          if (r.ok) {
            this.post({ type: 'statistics', data: r.data });
            this.post({ type: 'sideTab', tab: 'statistics' });
            this.history.add({ kind: 'statistics', title: text.trim().slice(0, 80), text, uri: source.uri });
          } else if (explicit || selected) this.post({ type: 'sideNotice', tab: 'statistics', message: r.message });
          return;
        }
        case 'none':
          if (explicit || selected) this.post({ type: 'sideNotice', tab: 'plot', message: kind.reason });
          return;
      }
    } catch (e) {
      console.error('MathLens: the side view could not follow the selection:', e);
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isSideToExtension(raw)) return;
    const m: SideToExtension = raw;
    try {
      switch (m.type) {
        case 'ready':
          this.ready = true;
          for (const message of [...this.pending.values()]) this.post(message);
          return;
        case 'samplePlot': {
          const samples = this.session.samples(m.xmin, m.xmax);
          if (samples) this.post({ type: 'plotSamples', samples, requestId: m.requestId });
          return;
        }
        case 'pointAt': {
          const point = this.session.point(m.x);
          if (point) this.post({ type: 'pointValues', point, requestId: m.requestId });
          return;
        }
        case 'gallery':
          this.post({ type: 'gallery', items: galleryItems() });
          return;
        case 'preset': {
          const r = this.session.preset(m.key);
          if (r.ok) this.post({ type: 'optimize', data: r.data });
          else this.post({ type: 'sideNotice', tab: 'optimize', message: r.message });
          return;
        }
        case 'runOptimizers': {
          const r = this.session.run(m.settings);
          if (r) this.post({ type: 'trajectories', trajectories: r, settings: m.settings, requestId: m.requestId });
          return;
        }
        case 'distribution':
          this.post({ type: 'distribution', data: distributionData(m.name, m.params), requestId: m.requestId });
          return;
        case 'bayes':
          this.post({ type: 'bayes', data: bayesData(m.prior, m.likelihood, m.likelihoodNot), requestId: m.requestId });
          return;
        case 'reopen':
          await this.reopenEntry(m.id);
          return;
        case 'export':
          await this.export(m.format, m.data, m.name);
          return;
        case 'tabChanged':
          return;
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`MathLens: ${m.type} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async reopenEntry(id: string): Promise<void> {
    const e = this.history.get(id);
    if (!e) return;
    if (e.kind === 'gradient' || e.kind === 'matrix') {
      if (!(await this.reopen(id))) void vscode.window.showInformationMessage('MathLens: that result can no longer be opened.');
      return;
    }
    if (!e.text) return;
    const lang: Lang = isLang(e.lang) ? e.lang : 'python';
    const source = { text: e.text, ...(e.uri ? { uri: e.uri } : {}) };
    const r = e.kind === 'plot' ? this.session.plot(e.text, lang, source) : e.kind === 'optimize' ? this.session.objective(e.text, lang, source) : this.session.statistics(e.text, source);
    if (!r.ok) {
      this.post({ type: 'sideNotice', tab: e.kind === 'plot' ? 'plot' : e.kind === 'optimize' ? 'optimize' : 'statistics', message: r.message });
      return;
    }
    if ('samples' in r.data) this.post({ type: 'plot', data: r.data });
    else if ('trajectories' in r.data) this.post({ type: 'optimize', data: r.data });
    else this.post({ type: 'statistics', data: r.data });
    this.post({ type: 'sideTab', tab: e.kind === 'plot' ? 'plot' : e.kind === 'optimize' ? 'optimize' : 'statistics' });
  }

  private async export(format: 'png' | 'svg', data: string, name: string): Promise<void> {
    const safe = name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'plot';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${safe}.${format}`) : undefined,
      filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
      saveLabel: 'Export plot',
    });
    if (!target) return;
    const bytes = format === 'png' ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8');
    await vscode.workspace.fs.writeFile(target, bytes);
    this.post({ type: 'exported', ok: true, text: `Saved ${target.path.split('/').pop()}` });
  }
}

/** The language the selection is read in: the gradient command's setting, else the document's. */
function languageOf(languageId: string): Lang {
  return chooseLang(vscode.workspace.getConfiguration('mathlens.gradient').get('language'), languageId);
}
