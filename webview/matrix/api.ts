/** The matrix webview's view of the VS Code API, typed with the matrix panel's messages and state (core/protocol.ts). */
import type { MatrixPanelState, WebviewToMatrix } from '../../core/protocol';
import { webviewApi, type WebviewApi } from '../common/vscodeApi';

export type MatrixApi = WebviewApi<WebviewToMatrix, MatrixPanelState>;

export function matrixApi(): MatrixApi {
  return webviewApi<WebviewToMatrix, MatrixPanelState>();
}
