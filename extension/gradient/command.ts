/**
 * "MathLens: Compute Gradient / Jacobian / Hessian of Selection": reads the
 * selection (or the current line), runs the engine with the user's settings
 * and shows the result in the panel. No math here: core/selection.ts picks
 * the engine (scalar or matrix calculus) and the shapes, core/ does the rest.
 */
import * as vscode from 'vscode';
import { computeSelection } from '../../core/selection';
import type { SelectionContext, SelectionMode, SelectionResult } from '../../core/selection';
import type { Lang } from '../../core/parse/types';
import type { ExtensionToWebview, ResultSource, ShapeOrigin } from '../../core/protocol';
import type { GradientPanel } from './panel';
import type { PanelSlot } from '../common/panelHost';
import { positionInDocument } from '../common/positions';
import { readGradientSettings } from '../common/settings';
import { selectedText } from '../common/selection';
import type { History } from '../side/history';
import type { AnalysisOf, ModulesOf } from '../shapes';

/** Budgets from this size up get a notification (with its own progress) instead of the status bar spinner. */
const NOTIFICATION_BUDGET_MS = 5000;

let latestRequest = 0;

/** The engines never throw by contract; this keeps the extension host safe even if one did. */
export function runEngine(text: string, lang: Lang, budgetMs: number, mode: SelectionMode = 'gradient', ctx: SelectionContext = {}): SelectionResult {
  try {
    return computeSelection(text, { lang, budgetMs, mode }, ctx);
  } catch (e) {
    return {
      engine: 'scalar',
      result: { ok: false, error: { message: `Internal error: ${e instanceof Error ? e.message : String(e)}`, offset: 0, length: 0, kind: 'internal' } },
    };
  }
}

/** The panel message for a result. */
function resultMessage(r: SelectionResult, source: ResultSource, showSteps: boolean): ExtensionToWebview {
  if (r.engine === 'scalar') return { type: 'result', result: r.result, source, view: { showSteps } };
  return { type: 'matcalc', result: r.result, source, view: { showSteps }, shapes: r.shapes };
}

const MODE_TITLES: Record<SelectionMode, string> = { gradient: 'gradient', jacobian: 'Jacobian', hessian: 'Hessian' };

/**
 * The selection as History keeps it: a matrix result's shapes go in front as a comment, so reopening
 * (without the document around it) finds them again.
 */
function historyText(text: string, shapes: readonly ShapeOrigin[]): string {
  if (shapes.length === 0) return text;
  return `# ${shapes.map((s) => `${s.name}: ${s.shape}`).join(', ')}\n${text}`;
}

/** Lets the loading message and the progress indicator go out before the synchronous engine runs. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** What the gradient commands work with, given by extension.ts. */
export interface GradientDeps {
  extensionUri: vscode.Uri;
  panels: PanelSlot<GradientPanel>;
  /** Results are remembered for the side view's History tab. */
  history: History;
  /** The shape analysis of a Python document, when shapes are enabled. */
  analysisOf: AnalysisOf;
  /** The workspace modules a document imports from, where the user's own functions may be defined. */
  modulesOf: ModulesOf;
}

/** Shows a History entry again: computes its text anew (the document it came from may have changed). */
export async function reopenGradient(deps: GradientDeps, text: string, lang: Lang, mode: SelectionMode = 'gradient'): Promise<void> {
  const settings = readGradientSettings((key) => vscode.workspace.getConfiguration('mathlens.gradient').get(key), 'plaintext');
  const panel = deps.panels.show(deps.extensionUri);
  panel.post({ type: 'loading', text, lang });
  await nextTurn();
  const result = runEngine(text, lang, settings.budgetMs, mode);
  panel.post(resultMessage(result, { text, lang, start: { line: 0, character: 0 }, endLine: 0 }, settings.showSteps));
}

export async function computeGradientOfSelection(deps: GradientDeps, mode: SelectionMode = 'gradient'): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(`MathLens: open a file and select an expression to compute its ${MODE_TITLES[mode]}.`);
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

  const panel = deps.panels.show(deps.extensionUri);
  panel.post({ type: 'loading', text: selected.text, lang: settings.lang });

  const result = await vscode.window.withProgress(
    {
      location: settings.budgetMs >= NOTIFICATION_BUDGET_MS ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
      title: `MathLens: computing the ${MODE_TITLES[mode]}…`,
    },
    async () => {
      await nextTurn();
      const ctx: SelectionContext = { documentText: doc.getText(), startLine: selected.start.line, endLine: selected.endLine, modules: deps.modulesOf(doc) };
      const analysis = deps.analysisOf(doc);
      if (analysis) ctx.analysis = analysis;
      // Synchronous and bounded by its own time budget.
      return runEngine(selected.text, settings.lang, settings.budgetMs, mode, ctx);
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
  if (!result.result.ok) source.errorPosition = positionInDocument(selected.text, result.result.error.offset, selected.start);
  else {
    const shapes = result.engine === 'matcalc' ? result.shapes : [];
    const title = mode === 'gradient' ? selected.text.trim() : `${MODE_TITLES[mode]}: ${selected.text.trim()}`;
    deps.history.add({ kind: 'gradient', title, text: historyText(selected.text, shapes), lang: settings.lang, uri: doc.uri.toString(), mode });
  }
  panel.post(resultMessage(result, source, settings.showSteps));
}
