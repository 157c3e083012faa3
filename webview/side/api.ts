/**
 * The side view's view of the VS Code API (webview/vscodeApi.ts), typed with
 * the side view's messages (core/protocol.ts).
 *
 * The saved state is the protocol's SideState plus `ui`, the view's own
 * settings (zoom, the f″ toggle, the gallery, per-distribution parameters…):
 * isSideState only checks `version` and `tab`, and the host never reads it.
 */
import { webviewApi, type WebviewApi } from '../common/vscodeApi';
import type { DistributionName, GalleryItem, SideState, SideToExtension } from '../../core/protocol';

export interface SideUi {
  /** The Plot tab's view range, when the user zoomed or panned. */
  plotView?: { x0: number; x1: number; y0: number; y1: number };
  showD2f?: boolean;
  plotMode?: 'function' | 'gallery';
  gallery?: GalleryItem[];
  /** Last parameters used per distribution. */
  distParams?: Partial<Record<DistributionName, Record<string, number>>>;
}

export interface SavedState extends SideState {
  ui?: SideUi;
}

export type SideApi = WebviewApi<SideToExtension, SavedState>;

export function sideApi(): SideApi {
  return webviewApi<SideToExtension, SavedState>();
}

/**
 * Request ids for one kind of request. `latest` accepts only the reply to the
 * last request sent; `newer` accepts any reply newer than the last one shown
 * (so a fast drag still shows intermediate answers, never an older one).
 * Id 0 is a message the host sent unasked.
 */
export class Requests {
  private counter = 0;
  /** Replies with an id at or below this are stale. */
  private floor = 0;
  next(): number {
    return ++this.counter;
  }
  latest(id: number): boolean {
    if (id === 0) return true;
    if (id !== this.counter || id <= this.floor) return false;
    this.floor = id;
    return true;
  }
  newer(id: number): boolean {
    if (id === 0) return true;
    if (id <= this.floor || id > this.counter) return false;
    this.floor = id;
    return true;
  }
  /** New data arrived: every outstanding reply is stale. */
  invalidate(): void {
    this.floor = this.counter;
  }
}
