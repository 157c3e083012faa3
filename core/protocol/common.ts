/**
 * What every webview channel shares: the ready / copy / insert messages, document positions
 * and the tiny guards the channels' validators are built from. Pure types and guards: no
 * `vscode`, no DOM.
 */
import type { Lang } from '../parse/types';
import { LANGS } from '../parse/types';
import type { DocPosition } from '../position';

/** Panel display options, read from the settings when the result was computed. */
export interface ViewOptions {
  /** `mathlens.gradient.showSteps`: derivations start expanded. */
  showSteps: boolean;
}

/** What a copy button copies: the whole gradient (no `wrt`) or one partial. */
export interface CopyWhat {
  format: 'latex' | 'numpy';
  wrt?: string;
}

/** Where "Insert NumPy below selection" writes. */
export interface InsertTarget {
  uri: string;
  /** Indentation is taken from this line (the selection's first line). */
  startLine: number;
  /** The code goes below this line (the selection's last line). */
  endLine: number;
}

/** The extension wrote a copy request to the clipboard. */
export interface CopiedMessage {
  type: 'copied';
  what: CopyWhat;
}

/** The extension inserted code into a document (or could not). */
export interface InsertedMessage {
  type: 'inserted';
  ok: boolean;
  /** Readable outcome, shown briefly in the panel. */
  text: string;
}

/** The webview script is running and listening. */
export interface ReadyMessage {
  type: 'ready';
}

/** Copy `text` to the clipboard (through the extension: the webview's clipboard may be blocked). */
export interface CopyMessage {
  type: 'copy';
  text: string;
  what: CopyWhat;
}

/** Insert `code` (unindented lines) below the target's last line, indented like its first line. */
export interface InsertMessage {
  type: 'insert';
  code: string;
  target: InsertTarget;
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function isNat(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

export function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && (LANGS as readonly string[]).includes(x);
}

export function isPosition(x: unknown): x is DocPosition {
  return isObject(x) && isNat(x.line) && isNat(x.character);
}

export function isCopyWhat(x: unknown): x is CopyWhat {
  return (
    isObject(x) && (x.format === 'latex' || x.format === 'numpy') && (x.wrt === undefined || typeof x.wrt === 'string')
  );
}

export function isInsertTarget(x: unknown): x is InsertTarget {
  return isObject(x) && typeof x.uri === 'string' && isNat(x.startLine) && isNat(x.endLine) && x.endLine >= x.startLine;
}

/** `ready` and `copy`, which every webview sends; undefined for any other type. */
export function commonWebviewMessage(x: Record<string, unknown>): boolean | undefined {
  if (x.type === 'ready') return true;
  if (x.type === 'copy') return typeof x.text === 'string' && isCopyWhat(x.what);
  return undefined;
}

export function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}
