/** Positions in a document, shared by the engines and the message protocol. */

/** A 0-based position in a document (the same convention as `vscode.Position`). */
export interface DocPosition {
  line: number;
  character: number;
}

/** Where a selection came from (for "show in editor" and the titles). */
export interface SelectionRef {
  text: string;
  uri?: string;
  start?: DocPosition;
}
