/**
 * One shape analysis per open Python document. Edits are analyzed after a
 * quiet time (`mathlens.shapes.debounceMs`); a hover or inlay-hint request for
 * a newer version analyzes at once (the engine is incremental, so that is
 * cheap). Entries are dropped when their document closes. Every analysis is
 * announced on `onDidAnalyze`, which feeds diagnostics and refreshes hints.
 *
 * Workspace files (issue 12): a saved `file:` document of a trusted workspace
 * gets a host over Node's fs (core/shapes/host.ts), one per workspace folder,
 * which reads open editors' text before the disk; np.load headers and
 * imported modules are read through it. Untrusted or virtual workspaces get
 * none (those values stay unknown). When another Python file is edited or a
 * .py/.npy/.npz file changes on disk, the open documents are analyzed again:
 * the engine re-analyzes only the statements whose files changed.
 */
import * as nodeFs from 'node:fs';
import * as vscode from 'vscode';
import { type FsLike, type ShapeHost, fsShapeHost, normalizePath } from '../../core/shapes/host';
import type { ShapeAnalysis, ShapeOptions } from '../../core/shapes/types';
import { LineIndex } from './lines';
import type { ShapeSettings } from './settings';

/** What the extension needs from the engine's incremental document (`core/shapes` `ShapeDocument`). */
export interface ShapeEngineDocument {
  update(text: string, options?: ShapeOptions): ShapeAnalysis;
}

/** An analysis together with the exact text (and version) it was made from. */
export interface AnalyzedDocument {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly lines: LineIndex;
  readonly analysis: ShapeAnalysis;
}

/** `result` is undefined when the document's analysis was dropped (closed, disabled, failed). */
export interface AnalysisEvent {
  readonly uri: vscode.Uri;
  readonly result: AnalyzedDocument | undefined;
}

interface Entry {
  engine: ShapeEngineDocument;
  current: AnalyzedDocument | undefined;
  /** The version whose analysis failed, so it is not retried on every request. */
  failedVersion?: number;
  /** Another file changed (an import, a data file): analyze again even at the same version. */
  stale?: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

export function isShapeDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'python';
}

export class ShapeDocuments implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly emitter = new vscode.EventEmitter<AnalysisEvent>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidAnalyze = this.emitter.event;

  constructor(
    private readonly createEngine: () => ShapeEngineDocument,
    private readonly settings: (scope?: vscode.TextDocument) => ShapeSettings,
  ) {
    this.disposables.push(
      this.emitter,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        this.schedule(e.document);
        if (isShapeDocument(e.document)) this.othersChanged(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.drop(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mathlens.shapes')) this.refreshAll();
      }),
    );
    // files on disk: modules and data the open documents may read
    if (typeof vscode.workspace.createFileSystemWatcher === 'function') {
      const watcher = vscode.workspace.createFileSystemWatcher('**/*.{py,npy,npz}');
      const changed = () => this.othersChanged(undefined);
      this.disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
    }
    this.refreshAll();
  }

  private readonly hosts = new Map<string, ShapeHost>();

  /** Where the analysis of `document` may read workspace files: only saved files of a trusted workspace. */
  optionsFor(document: vscode.TextDocument): ShapeOptions | undefined {
    const uri = document.uri as vscode.Uri | undefined;
    if (!uri || uri.scheme !== 'file' || vscode.workspace.isTrusted !== true) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder?.(uri);
    const root = folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : '';
    let host = this.hosts.get(root);
    if (!host) {
      host = fsShapeHost(nodeFs as unknown as FsLike, root || undefined, (path) => {
        // an open editor's text is what the user sees, saved or not
        for (const d of vscode.workspace.textDocuments) {
          if (d.uri.scheme === 'file' && !d.isClosed && normalizePath(d.uri.fsPath) === path) return { text: d.getText(), version: `${d.uri.toString()}#${d.version}` };
        }
        return undefined;
      });
      this.hosts.set(root, host);
    }
    return { host, file: uri.fsPath };
  }

  /** Another file changed: the open documents (but `except`) may read it; analyze them again after the quiet time. */
  private othersChanged(except: vscode.Uri | undefined): void {
    const key = except?.toString();
    for (const document of vscode.workspace.textDocuments) {
      if (!isShapeDocument(document) || document.uri.toString() === key) continue;
      const entry = this.entries.get(document.uri.toString());
      if (!entry) continue;
      entry.stale = true;
      this.schedule(document);
    }
  }

  /**
   * The analysis of the document as it is now, or undefined (not Python,
   * disabled, or the engine failed). Analyzes synchronously when the document
   * is newer than the last analysis.
   */
  get(document: vscode.TextDocument): AnalyzedDocument | undefined {
    if (!isShapeDocument(document) || document.isClosed || !this.settings(document).enabled) return undefined;
    const entry = this.entries.get(document.uri.toString());
    if (entry?.current?.version === document.version && !entry.stale) return entry.current;
    if (entry?.failedVersion === document.version) return undefined;
    return this.analyze(document);
  }

  /** The last analysis made, whatever the document's version now (no work). */
  latest(uri: vscode.Uri): AnalyzedDocument | undefined {
    return this.entries.get(uri.toString())?.current;
  }

  /** Analyzes `document` after `delayMs` (default: the debounce setting), replacing a pending run. */
  schedule(document: vscode.TextDocument, delayMs?: number): void {
    if (!isShapeDocument(document)) return;
    const settings = this.settings(document);
    if (!settings.enabled) {
      this.drop(document.uri);
      return;
    }
    const entry = this.entry(document.uri);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (document.isClosed || this.entries.get(document.uri.toString()) !== entry) return;
      if ((entry.current?.version === document.version && !entry.stale) || entry.failedVersion === document.version) return;
      this.analyze(document);
    }, delayMs ?? settings.debounceMs);
  }

  dispose(): void {
    for (const e of this.entries.values()) if (e.timer !== undefined) clearTimeout(e.timer);
    this.entries.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private analyze(document: vscode.TextDocument): AnalyzedDocument | undefined {
    const entry = this.entry(document.uri);
    if (entry.timer !== undefined) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
    }
    const text = document.getText();
    const version = document.version;
    let result: AnalyzedDocument | undefined;
    try {
      entry.stale = false;
      const options = this.optionsFor(document);
      result = { uri: document.uri, version, lines: new LineIndex(text), analysis: options ? entry.engine.update(text, options) : entry.engine.update(text) };
      entry.failedVersion = undefined;
    } catch (e) {
      // Never into the host: the document simply has no shapes until the next edit.
      console.error(`MathLens: shape analysis of ${document.uri.toString()} failed:`, e);
      entry.failedVersion = version;
      entry.engine = this.createEngine(); // its incremental state may be inconsistent
    }
    entry.current = result;
    this.emitter.fire({ uri: document.uri, result });
    return result;
  }

  private entry(uri: vscode.Uri): Entry {
    const key = uri.toString();
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { engine: this.createEngine(), current: undefined };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private drop(uri: vscode.Uri): void {
    const key = uri.toString();
    const entry = this.entries.get(key);
    if (!entry) return;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    this.entries.delete(key);
    this.emitter.fire({ uri, result: undefined });
  }

  /** After a settings change (and at start): drop everything if disabled, else analyze the open Python documents. */
  private refreshAll(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (!isShapeDocument(document)) continue;
      if (this.settings(document).enabled) this.schedule(document, 0);
      else this.drop(document.uri);
    }
  }
}
