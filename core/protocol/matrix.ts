/**
 * The matrix panel's and the .npy viewer's channel (dist/webview/matrix.js). Everything it shows
 * is computed in the extension host (core/linalg/present.ts); the webview only draws.
 */
import type { MatrixPanelData } from '../linalg/view';
import type { DocPosition } from '../position';
import type { CopiedMessage, CopyMessage, ReadyMessage } from './common';
import { commonWebviewMessage, isCopyWhat, isNat, isObject } from './common';

export type MatrixToWebview =
  | { type: 'matrixLoading'; title: string }
  | { type: 'matrix'; data: MatrixPanelData }
  | {
      type: 'matrixError';
      title: string;
      error: { message: string; kind: string; offset?: number; length?: number };
      /** The selected text, to mark the problem in it, and where it starts in the document. */
      source?: { text: string; start?: DocPosition };
    }
  | CopiedMessage;

export type WebviewToMatrix =
  | ReadyMessage
  | CopyMessage
  /** N-D input or .npz: show another slice or array. */
  | { type: 'slice'; index: number[]; array?: string };

/** What the matrix webview keeps with `vscode.setState`. */
export interface MatrixPanelState {
  version: 1;
  last?: Extract<MatrixToWebview, { type: 'matrix' | 'matrixError' }>;
  /** The open decomposition tab. */
  tab?: string;
}

export function isMatrixToWebview(x: unknown): x is MatrixToWebview {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'matrixLoading':
      return typeof x.title === 'string';
    case 'matrix': {
      const d = x.data;
      return (
        isObject(d) &&
        typeof d.title === 'string' &&
        Array.isArray(d.shape) &&
        isObject(d.heatmap) &&
        Array.isArray(d.heatmap.values) &&
        typeof d.latex === 'string' &&
        Array.isArray(d.properties) &&
        Array.isArray(d.decompositions) &&
        Array.isArray(d.notes)
      );
    }
    case 'matrixError':
      return typeof x.title === 'string' && isObject(x.error) && typeof x.error.message === 'string';
    case 'copied':
      return isCopyWhat(x.what);
    default:
      return false;
  }
}

export function isWebviewToMatrix(x: unknown): x is WebviewToMatrix {
  if (!isObject(x)) return false;
  const common = commonWebviewMessage(x);
  if (common !== undefined) return common;
  switch (x.type) {
    case 'slice':
      return Array.isArray(x.index) && x.index.every(isNat) && x.index.length <= 32 && (x.array === undefined || typeof x.array === 'string');
    default:
      return false;
  }
}

export function isMatrixPanelState(x: unknown): x is MatrixPanelState {
  return (
    isObject(x) &&
    x.version === 1 &&
    (x.last === undefined || (isMatrixToWebview(x.last) && (x.last.type === 'matrix' || x.last.type === 'matrixError'))) &&
    (x.tab === undefined || typeof x.tab === 'string')
  );
}
