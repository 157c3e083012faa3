/** The backprop webview's view of the VS Code API (core/protocol.ts, "the backprop graph panel"). */
import type { BackpropPanelState, BackpropToExtension } from '../../core/protocol';
import { webviewApi, type WebviewApi } from '../common/vscodeApi';

export type BackpropApi = WebviewApi<BackpropToExtension, BackpropPanelState>;

export function backpropApi(): BackpropApi {
  return webviewApi<BackpropToExtension, BackpropPanelState>();
}
