/**
 * The message contract between the extension host and each MathLens webview, one module per
 * channel: `gradient.ts` (the gradient panel), `matrix.ts` (the matrix panel and the .npy viewer),
 * `side.ts` (the side view), `backprop.ts` (the backprop graph panel), and `common.ts` (what they
 * share). Both sides import these declarations; each message is declared once, as a member of a
 * discriminated union on `type`. The data a message carries is the engine's own result type,
 * declared by the engine (core/linalg/view.ts, core/explore/types.ts, core/stats/view.ts, …) and
 * re-exported here: engines never import the protocol.
 *
 * Pure types plus tiny type guards: no `vscode` and no DOM imports.
 */
export * from '../position';
export * from './common';
export * from './gradient';
export * from './matrix';
export * from './side';
export * from './backprop';
export type * from '../linalg/view';
export type * from '../explore/types';
export type * from '../stats/view';
