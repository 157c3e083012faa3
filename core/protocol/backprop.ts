/**
 * The backprop panel's channel ("MathLens: Show Backprop Graph", core/backprop →
 * dist/webview/backprop.js). The engine computes everything; the webview draws, plays the steps,
 * and asks the host to recompute at user-entered values, reveal a node's source span, copy or insert.
 */
import type { BackpropResult, Numeric } from '../backprop/index';
import type { DocPosition } from '../position';
import type { CopiedMessage, CopyMessage, InsertMessage, InsertedMessage, ReadyMessage } from './common';
import { commonWebviewMessage, isCopyWhat, isInsertTarget, isNat, isObject, isPosition } from './common';

/** Where the forward pass came from. Offsets in the result (`from`/`to`, error offsets) are relative to `text`. */
export interface BackpropSource {
  text: string;
  uri?: string;
  languageId?: string;
  /** Document position of the text's first character. */
  start: DocPosition;
  /** Last line of the selection (0-based): "Insert" writes below it. */
  endLine: number;
  /** For a failed result: the error offset as a document position. */
  errorPosition?: DocPosition;
}

export type ExtensionToBackprop =
  | { type: 'backpropLoading'; text: string }
  /** A graph (or a located error). `at` holds the values the user entered in the panel, if any. */
  | { type: 'backprop'; result: BackpropResult; source: BackpropSource; at: Record<string, Numeric> }
  | CopiedMessage
  | InsertedMessage
  /** The answer to `reveal`: the span was selected in its editor, or why not. */
  | { type: 'revealed'; ok: boolean; text: string };

export type BackpropToExtension =
  | ReadyMessage
  | CopyMessage
  | InsertMessage
  /** Select `[from, to)` of the source text in its editor (click-to-source). */
  | { type: 'reveal'; from: number; to: number }
  /** Compute the graph again with these input values (user-entered; arrays for shaped inputs). */
  | { type: 'recompute'; at: Record<string, Numeric> };

/** What the backprop webview keeps with `vscode.setState`. */
export interface BackpropPanelState {
  version: 1;
  last?: Extract<ExtensionToBackprop, { type: 'backprop' }>;
  /** The playback position: number of steps applied (0 = nothing computed yet); absent = everything shown. */
  step?: number;
  /** The selected node id. */
  selected?: number;
  /** Show the collapsed view (when the result has one). */
  collapsed?: boolean;
}

/** A finite number or nested arrays of them, at most 4 levels deep and 100,000 numbers. */
export function isNumeric(x: unknown, depth = 0, count: { n: number } = { n: 0 }): x is Numeric {
  if (typeof x === 'number') return Number.isFinite(x) && ++count.n <= 100_000;
  return Array.isArray(x) && depth < 4 && x.every((v) => isNumeric(v, depth + 1, count));
}

function isBackpropResult(x: unknown): x is BackpropResult {
  if (!isObject(x)) return false;
  if (x.ok === false) return isObject(x.error) && typeof x.error.message === 'string';
  return x.ok === true && Array.isArray(x.nodes) && Array.isArray(x.edges) && Array.isArray(x.leaves) && Array.isArray(x.steps) && typeof x.numpy === 'string';
}

function isBackpropSource(x: unknown): x is BackpropSource {
  return (
    isObject(x) &&
    typeof x.text === 'string' &&
    (x.uri === undefined || typeof x.uri === 'string') &&
    (x.languageId === undefined || typeof x.languageId === 'string') &&
    isPosition(x.start) &&
    isNat(x.endLine) &&
    (x.errorPosition === undefined || isPosition(x.errorPosition))
  );
}

function isAt(x: unknown): x is Record<string, Numeric> {
  return isObject(x) && Object.keys(x).length <= 1000 && Object.entries(x).every(([k, v]) => /^[A-Za-z_]\w*$/.test(k) && isNumeric(v));
}

/** Messages the backprop webview accepts. */
export function isExtensionToBackprop(x: unknown): x is ExtensionToBackprop {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'backpropLoading':
      return typeof x.text === 'string';
    case 'backprop':
      return isBackpropResult(x.result) && isBackpropSource(x.source) && isObject(x.at);
    case 'copied':
      return isCopyWhat(x.what);
    case 'inserted':
    case 'revealed':
      return typeof x.ok === 'boolean' && typeof x.text === 'string';
    default:
      return false;
  }
}

/** Messages the host accepts from the backprop webview (checked field by field). */
export function isBackpropToExtension(x: unknown): x is BackpropToExtension {
  if (!isObject(x)) return false;
  const common = commonWebviewMessage(x);
  if (common !== undefined) return common;
  switch (x.type) {
    case 'insert':
      return typeof x.code === 'string' && isInsertTarget(x.target);
    case 'reveal':
      return isNat(x.from) && isNat(x.to) && x.to >= x.from;
    case 'recompute':
      return isAt(x.at);
    default:
      return false;
  }
}

export function isBackpropPanelState(x: unknown): x is BackpropPanelState {
  return (
    isObject(x) &&
    x.version === 1 &&
    (x.last === undefined || (isExtensionToBackprop(x.last) && x.last.type === 'backprop')) &&
    (x.step === undefined || isNat(x.step)) &&
    (x.selected === undefined || isNat(x.selected)) &&
    (x.collapsed === undefined || typeof x.collapsed === 'boolean')
  );
}
