/**
 * The gradient panel's channel (dist/webview/main.js): scalar and matrix-calculus results,
 * loading, copy and insert.
 */
import type { MatResult } from '../matcalc/index';
import type { Lang } from '../parse/types';
import type { DocPosition } from '../position';
import type { CopiedMessage, CopyMessage, InsertMessage, InsertedMessage, ReadyMessage, ViewOptions } from './common';
import { commonWebviewMessage, isCopyWhat, isInsertTarget, isLang, isNat, isObject, isPosition } from './common';
import type { GradientResult } from '../result';
import type { ShapeOrigin } from '../selectionShapes';

export type { ShapeOrigin } from '../selectionShapes';

/** Where a result came from: the text the engine saw and its place in the document. */
export interface ResultSource {
  /** The exact text passed to the engine; error offsets are relative to it. */
  text: string;
  /** The language the text was parsed as. */
  lang: Lang;
  /** The document's VS Code language id (`python`, `markdown`, …), when known. */
  languageId?: string;
  /** The document URI (`uri.toString()`), when the text came from a document. */
  uri?: string;
  /** Document position of the text's first character. */
  start: DocPosition;
  /** Last line of the selection (0-based): code is inserted below it. */
  endLine: number;
  /** For a failed result: the error offset converted to a document position. */
  errorPosition?: DocPosition;
}

/** A computation started: show the loading state. */
export interface LoadingMessage {
  type: 'loading';
  text: string;
  lang: Lang;
}

/** A computation finished (successfully or not). */
export interface ResultMessage {
  type: 'result';
  result: GradientResult;
  source: ResultSource;
  view: ViewOptions;
}

/**
 * A matrix-calculus result (core/matcalc): the gradient of an expression over
 * shaped variables, or a Jacobian or a Hessian. Shown by the same panel.
 */
export interface MatcalcResultMessage {
  type: 'matcalc';
  result: MatResult;
  source: ResultSource;
  view: ViewOptions;
  /** The shapes used and where they came from (comments, the shape analysis of the code). */
  shapes: ShapeOrigin[];
}

export type ExtensionToWebview = LoadingMessage | ResultMessage | MatcalcResultMessage | CopiedMessage | InsertedMessage;

export type WebviewToExtension = ReadyMessage | CopyMessage | InsertMessage;

/** What the webview keeps with `vscode.setState`, to re-render after a reload. */
export interface PanelState {
  version: 1;
  last?: ResultMessage | MatcalcResultMessage;
  /** Sections the user opened or closed, by variable (overrides `view.showSteps`). */
  open?: Record<string, boolean>;
  /**
   * Disclosures the user opened (closed by default): `substituted:<wrt>`, a partial's fully
   * substituted form under its named form; `data`, the partials with respect to the data.
   */
  disclosed?: Record<string, boolean>;
}

function isResultSource(x: unknown): x is ResultSource {
  return (
    isObject(x) &&
    typeof x.text === 'string' &&
    isLang(x.lang) &&
    (x.languageId === undefined || typeof x.languageId === 'string') &&
    (x.uri === undefined || typeof x.uri === 'string') &&
    isPosition(x.start) &&
    isNat(x.endLine) &&
    (x.errorPosition === undefined || isPosition(x.errorPosition))
  );
}

/** Shallow check of a result: the renderer still reads every field defensively. */
function isGradientResult(x: unknown): x is GradientResult {
  if (!isObject(x)) return false;
  if (x.ok === false) return isObject(x.error) && typeof x.error.message === 'string';
  return (
    x.ok === true &&
    isObject(x.expression) &&
    Array.isArray(x.gradient) &&
    x.gradient.every(isPartialExtras) &&
    Array.isArray(x.variables) &&
    isObject(x.check) &&
    Array.isArray(x.notes)
  );
}

/** A partial's optional fields, when present, have their types: `named` (three strings) and `group`. */
function isPartialExtras(p: unknown): boolean {
  if (!isObject(p)) return false;
  const n = p.named;
  return (
    (n === undefined || (isObject(n) && typeof n.latex === 'string' && typeof n.numpy === 'string' && typeof n.text === 'string')) &&
    (p.group === undefined || p.group === 'parameters' || p.group === 'data')
  );
}

/** Shallow check of a matrix-calculus result (the renderer reads every field defensively). */
function isMatResult(x: unknown): x is MatResult {
  if (!isObject(x)) return false;
  if (x.ok === false) return isObject(x.error) && typeof x.error.message === 'string';
  return (
    x.ok === true &&
    (x.kind === 'gradient' || x.kind === 'jacobian' || x.kind === 'hessian') &&
    isObject(x.expression) &&
    Array.isArray(x.gradient) &&
    Array.isArray(x.variables) &&
    Array.isArray(x.notes) &&
    typeof x.layoutText === 'string'
  );
}

function isShapeOrigin(x: unknown): x is ShapeOrigin {
  return isObject(x) && typeof x.name === 'string' && typeof x.shape === 'string' && (x.from === 'comment' || x.from === 'code' || x.from === 'cli' || x.from === 'assumed') && (x.line === undefined || isNat(x.line));
}

/** Messages the webview accepts (it ignores anything else posted to its window). */
export function isExtensionToWebview(x: unknown): x is ExtensionToWebview {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'loading':
      return typeof x.text === 'string' && isLang(x.lang);
    case 'result':
      return isGradientResult(x.result) && isResultSource(x.source) && isObject(x.view) && typeof x.view.showSteps === 'boolean';
    case 'matcalc':
      return (
        isMatResult(x.result) &&
        isResultSource(x.source) &&
        isObject(x.view) &&
        typeof x.view.showSteps === 'boolean' &&
        Array.isArray(x.shapes) &&
        x.shapes.every(isShapeOrigin)
      );
    case 'copied':
      return isCopyWhat(x.what);
    case 'inserted':
      return typeof x.ok === 'boolean' && typeof x.text === 'string';
    default:
      return false;
  }
}

/** Messages the extension accepts from the panel. */
export function isWebviewToExtension(x: unknown): x is WebviewToExtension {
  if (!isObject(x)) return false;
  const common = commonWebviewMessage(x);
  if (common !== undefined) return common;
  switch (x.type) {
    case 'insert':
      return typeof x.code === 'string' && isInsertTarget(x.target);
    default:
      return false;
  }
}

export function isPanelState(x: unknown): x is PanelState {
  return (
    isObject(x) &&
    x.version === 1 &&
    (x.last === undefined || (isExtensionToWebview(x.last) && (x.last.type === 'result' || x.last.type === 'matcalc'))) &&
    (x.open === undefined || (isObject(x.open) && Object.values(x.open).every((v) => typeof v === 'boolean'))) &&
    (x.disclosed === undefined || (isObject(x.disclosed) && Object.values(x.disclosed).every((v) => typeof v === 'boolean')))
  );
}
