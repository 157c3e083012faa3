/**
 * "MathLens: Show Backprop Graph": the panel (dist/webview/backprop.js) and
 * the command. The engine (core/backprop) computes the graph, its layout,
 * values, gradients, playback steps and NumPy code; this file reads the
 * selection and the shapes around it, shows the result, and answers the
 * webview: reveal a node's source span in the editor, recompute at values
 * entered in the panel, copy, insert.
 */
import * as vscode from 'vscode';
import { backpropGraph } from '../../core/backprop/index';
import type { BackpropOptions, BackpropResult, Numeric } from '../../core/backprop/index';
import type { BackpropSource, BackpropToExtension, ExtensionToBackprop } from '../../core/protocol';
import { isBackpropToExtension, isExtensionToBackprop } from '../../core/protocol';
import { selectionNames, selectionShapes } from '../../core/selection';
import { valuesAbove } from '../../core/backprop/context';
import { forPanel } from '../../core/backprop/panel';
import { selectedText } from '../common/selection';
import { insertBelow } from '../common/insert';
import { PanelHost, PanelSlot } from '../common/panelHost';
import { positionInDocument } from '../common/positions';
import type { AnalysisOf, ModulesOf } from '../shapes';

type Shapes = NonNullable<BackpropOptions['shapes']>;
type GraphMessage = Extract<ExtensionToBackprop, { type: 'backprop' }>;

/** What the last graph was computed from, to compute it again at other values (kept with the panel's memento). */
interface Shown {
  message: GraphMessage;
  shapes: Record<string, (number | string)[]>;
  /** Values written in the code above the selection. */
  values?: Record<string, Numeric>;
  /** The document's text: the selection's calls of functions it defines are expanded through their bodies. */
  definitions?: string | string[];
}

/** The engine never throws by contract; this keeps the extension host safe even if it did. */
function runBackprop(text: string, options: BackpropOptions): BackpropResult {
  try {
    return backpropGraph(text, options);
  } catch (e) {
    return { ok: false, error: { message: `Internal error: ${e instanceof Error ? e.message : String(e)}`, offset: 0, length: 0 } };
  }
}

function isShown(x: unknown): x is Shown {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return isExtensionToBackprop(s.message) && s.message.type === 'backprop' && typeof s.shapes === 'object' && s.shapes !== null;
}

const LAST_KEY = 'mathlens.backprop.last';

export class BackpropPanel extends PanelHost<ExtensionToBackprop, BackpropToExtension> {
  static readonly viewType = 'mathlens.backprop';
  static readonly title = 'MathLens: Backprop Graph';
  private shown: Shown | undefined;

  /** @param memento where the last graph is kept, so a revived panel can compute again at other values. */
  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly memento: vscode.Memento, onGone: () => void) {
    super(panel, extensionUri, {
      script: 'backprop.js',
      styles: ['backprop.css'],
      title: BackpropPanel.title,
      keep: (m) => m.type === 'backpropLoading' || m.type === 'backprop',
      isMessage: isBackpropToExtension,
    }, onGone);
  }

  /** The one backprop panel of a window. */
  static slot(extensionUri: vscode.Uri, memento: vscode.Memento): PanelSlot<BackpropPanel> {
    return new PanelSlot(BackpropPanel.viewType, BackpropPanel.title, (panel, onGone) => new BackpropPanel(panel, extensionUri, memento, onGone));
  }

  /** A restored panel: the webview re-renders from its own state; the memento brings it up to date. */
  restoreLast(): void {
    const last = this.memento.get<unknown>(LAST_KEY);
    if (isShown(last)) {
      this.shown = last;
      this.channel.setPending(last.message);
    }
  }

  /** Computes the graph and shows it (or the located error). */
  show(source: BackpropSource, shapes: Shown['shapes'], at: Record<string, Numeric> = {}, values: Record<string, Numeric> = {}, definitions?: string | string[]): BackpropResult {
    const options: BackpropOptions = { shapes: shapes as Shapes, values };
    if (definitions !== undefined) options.definitions = definitions;
    if (Object.keys(at).length) options.at = at;
    const result = runBackprop(source.text, options);
    // The panel shows arrays by their corners: a large batch is not sent whole (panel.ts).
    const shown = result.ok ? forPanel(result) : result;
    const src: BackpropSource = { ...source };
    delete src.errorPosition;
    if (!result.ok) src.errorPosition = positionInDocument(source.text, result.error.offset, source.start);
    const message: GraphMessage = { type: 'backprop', result: shown, source: src, at };
    this.shown = definitions !== undefined ? { message, shapes, values, definitions } : { message, shapes, values };
    void this.memento.update(LAST_KEY, this.shown);
    this.post(message);
    return result;
  }

  protected async handle(message: BackpropToExtension): Promise<void> {
    switch (message.type) {
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        this.post({ type: 'copied', what: message.what });
        return;
      case 'insert':
        this.post(await insertBelow(message));
        return;
      case 'reveal':
        this.post(await this.reveal(message.from, message.to));
        return;
      case 'recompute':
        if (this.shown) this.show(this.shown.message.source, this.shown.shapes, message.at, this.shown.values, this.shown.definitions);
        return;
    }
  }

  /** Selects a node's source span in the editor it came from (click-to-source). */
  private async reveal(from: number, to: number): Promise<ExtensionToBackprop> {
    const source = this.shown?.message.source;
    if (!source?.uri) return { type: 'revealed', ok: false, text: 'This graph did not come from a document.' };
    const start = positionInDocument(source.text, from, source.start);
    const end = positionInDocument(source.text, to, source.start);
    const uri = vscode.Uri.parse(source.uri, true);
    const doc = await vscode.workspace.openTextDocument(uri);
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    if (doc.getText(range) !== source.text.slice(from, to)) {
      return { type: 'revealed', ok: false, text: 'The document has changed since the graph was made: run Show Backprop Graph again.' };
    }
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === source.uri);
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: true,
      selection: range,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return { type: 'revealed', ok: true, text: `Line ${start.line + 1}: ${source.text.slice(from, to).slice(0, 80)}` };
  }
}

/** What the backprop command works with, given by extension.ts. */
export interface BackpropDeps {
  extensionUri: vscode.Uri;
  panels: PanelSlot<BackpropPanel>;
  analysisOf: AnalysisOf;
  modulesOf: ModulesOf;
}

export async function showBackpropGraph(deps: BackpropDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('MathLens: open a file and select a forward pass (for example z = w*x + b; loss = (z - y)**2).');
    return;
  }
  const doc = editor.document;
  const selected = selectedText(editor);
  if (selected.text.trim() === '') {
    void vscode.window.showInformationMessage('MathLens: select a forward pass (one or more assignments) first.');
    return;
  }
  const panel = deps.panels.show(deps.extensionUri);
  panel.post({ type: 'backpropLoading', text: selected.text });
  const source: BackpropSource = { text: selected.text, uri: doc.uri.toString(), languageId: doc.languageId, start: selected.start, endLine: selected.endLine };
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MathLens: building the backprop graph…' }, async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const analysis = deps.analysisOf(doc);
    const found = selectionShapes(selected.text, {
      documentText: doc.getText(),
      startLine: selected.start.line,
      endLine: selected.endLine,
      ...(analysis ? { analysis } : {}),
    });
    const shapes: Shown['shapes'] = {};
    for (const [name, shape] of found.shapes) shapes[name] = [...shape];
    const values = valuesAbove(doc.getText(), selected.start.line, selectionNames(selected.text));
    panel.show(source, shapes, {}, values, doc.languageId === 'python' ? [...deps.modulesOf(doc), doc.getText()] : undefined);
  });
}
