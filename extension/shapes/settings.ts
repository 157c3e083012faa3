/**
 * The `mathlens.shapes.*` settings, read on every request (pure: the caller
 * passes a getter, so this is unit-tested without VS Code).
 */

export interface ShapeSettings {
  /** Analyze Python documents at all (hovers, inlay hints, diagnostics). */
  enabled: boolean;
  /** Show the shape at the end of assignment lines. */
  inlayHints: boolean;
  /** Quiet time after an edit before the document is analyzed again. */
  debounceMs: number;
}

export const DEFAULT_DEBOUNCE_MS = 150;
const MAX_DEBOUNCE_MS = 5000;

/** `get(key)` reads `mathlens.shapes.<key>`; bad values fall back to the defaults. */
export function readShapeSettings(get: (key: string) => unknown): ShapeSettings {
  const enabled = get('enabled');
  const inlayHints = get('inlayHints');
  const debounce = get('debounceMs');
  return {
    enabled: typeof enabled === 'boolean' ? enabled : true,
    inlayHints: typeof inlayHints === 'boolean' ? inlayHints : true,
    debounceMs:
      typeof debounce === 'number' && Number.isFinite(debounce)
        ? Math.min(MAX_DEBOUNCE_MS, Math.max(0, Math.round(debounce)))
        : DEFAULT_DEBOUNCE_MS,
  };
}
