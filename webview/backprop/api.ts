/**
 * The backprop webview's side of the VS Code API, typed with the backprop
 * panel's messages and state (core/protocol.ts, "the backprop graph panel").
 * `acquireVsCodeApi` may be called only once per load; this bundle loads no
 * other wrapper.
 */
import type { BackpropPanelState, BackpropToExtension } from '../../core/protocol';

export interface BackpropApi {
  postMessage(message: BackpropToExtension): void;
  getState(): unknown;
  setState(state: BackpropPanelState): void;
}

declare function acquireVsCodeApi(): BackpropApi;

let api: BackpropApi | undefined;

export function backpropApi(): BackpropApi {
  api ??= acquireVsCodeApi();
  return api;
}
