/**
 * "MathLens: Compute Gradient of Selection": reads the selection (or the
 * current line), runs the engine with the user's settings and shows the
 * result in the panel. No math here: the engine in core/ does all of it.
 */
import * as vscode from 'vscode';
import { computeGradient } from '../core/gradient';
import type { GradientResult } from '../core/result';
import type { Lang } from '../core/parse/types';
import type { DocPosition, ResultSource } from '../core/protocol';
import { GradientPanel } from './gradientPanel';
import { positionInDocument, trimmedLine } from './positions';
import { readGradientSettings } from './settings';
import type { History } from './side/history';

/** Budgets from this size up get a notification (with its own progress) instead of the status bar spinner. */
const NOTIFICATION_BUDGET_MS = 5000;

let latestRequest = 0;

export interface Selected {
  text: string;
  start: DocPosition;
  endLine: number;
}

/** The selection's text, or the current line's (trimmed) when the selection is empty. */
export function selectedText(editor: vscode.TextEditor): Selected {
  const { document: doc, selection: sel } = editor;
  if (sel.isEmpty) {
    const line = sel.active.line;
    const t = trimmedLine(doc.lineAt(line).text);
    return { text: t.text, start: { line, character: t.character }, endLine: line };
  }
  // A selection ending at column 0 of a line does not include that line.
  const endLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
  return { text: doc.getText(sel), start: { line: sel.start.line, character: sel.start.character }, endLine };
}

/** The engine never throws by contract; this keeps the extension host safe even if it did. */
export function runEngine(text: string, lang: Lang, budgetMs: number): GradientResult {
  try {
    return computeGradient(text, { lang, budgetMs });
  } catch (e) {
    return {
      ok: false,
      error: { message: `Internal error: ${e instanceof Error ? e.message : String(e)}`, offset: 0, length: 0, kind: 'internal' },
    };
  }
}

/** Lets the loading message and the progress indicator go out before the synchronous engine runs. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Where results are remembered for the side view's History tab (set by extension.ts). */
let history: History | undefined;
export function setHistory(h: History): void {
  history = h;
}

/** Shows a History entry again: computes its text anew (the document it came from may have changed). */
export async function reopenGradient(extensionUri: vscode.Uri, text: string, lang: Lang): Promise<void> {
  const settings = readGradientSettings((key) => vscode.workspace.getConfiguration('mathlens.gradient').get(key), 'plaintext');
  const panel = GradientPanel.createOrShow(extensionUri);
  panel.post({ type: 'loading', text, lang });
  await nextTurn();
  const result = runEngine(text, lang, settings.budgetMs);
  panel.post({ type: 'result', result, source: { text, lang, start: { line: 0, character: 0 }, endLine: 0 }, view: { showSteps: settings.showSteps } });
}

export async function computeGradientOfSelection(extensionUri: vscode.Uri): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('MathLens: open a file and select an expression to differentiate.');
    return;
  }
  const doc = editor.document;
  const selected = selectedText(editor);
  if (selected.text.trim() === '') {
    void vscode.window.showInformationMessage('MathLens: select an expression (or put the cursor on a line with one) first.');
    return;
  }
  const settings = readGradientSettings((key) => vscode.workspace.getConfiguration('mathlens.gradient', doc.uri).get(key), doc.languageId);
  const request = ++latestRequest;

  const panel = GradientPanel.createOrShow(extensionUri);
  panel.post({ type: 'loading', text: selected.text, lang: settings.lang });

  const result = await vscode.window.withProgress(
    {
      location: settings.budgetMs >= NOTIFICATION_BUDGET_MS ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
      title: 'MathLens: computing the gradient…',
    },
    async () => {
      await nextTurn();
      // Synchronous and bounded by its own time budget.
      return runEngine(selected.text, settings.lang, settings.budgetMs);
    },
  );
  if (request !== latestRequest) return; // a newer request replaced this one

  const source: ResultSource = {
    text: selected.text,
    lang: settings.lang,
    languageId: doc.languageId,
    uri: doc.uri.toString(),
    start: selected.start,
    endLine: selected.endLine,
  };
  if (!result.ok) source.errorPosition = positionInDocument(selected.text, result.error.offset, selected.start);
  else history?.add({ kind: 'gradient', title: selected.text.trim(), text: selected.text, lang: settings.lang, uri: doc.uri.toString() });
  panel.post({ type: 'result', result, source, view: { showSteps: settings.showSteps } });
}
