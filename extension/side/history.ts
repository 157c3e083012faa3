/**
 * The side view's History tab: the last results of the other commands, kept per workspace
 * (workspaceState) so they survive a reload, newest first, at most MAX entries. An entry keeps what
 * is needed to show it again (the selected text and where it came from, or a file's URI), not the
 * result itself: reopening computes again.
 */
import * as vscode from 'vscode';
import type { HistoryEntry } from '../../core/protocol';

export interface StoredEntry extends HistoryEntry {
  text?: string;
  lang?: string;
  uri?: string;
  /** Gradient entries: 'gradient' (default), 'jacobian' or 'hessian'. */
  mode?: string;
}

const KEY = 'mathlens.history';
const MAX = 30;

export class History implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HistoryEntry[]>();
  readonly onDidChange = this.changed.event;
  private seq = 0;

  constructor(private readonly memento: vscode.Memento) {}

  entries(): StoredEntry[] {
    const raw = this.memento.get<unknown>(KEY);
    return Array.isArray(raw) ? (raw.filter((e) => isStored(e)) as StoredEntry[]) : [];
  }

  /** The entries without their payload, for the webview. */
  list(): HistoryEntry[] {
    return this.entries().map(({ id, kind, title, time }) => ({ id, kind, title, time }));
  }

  get(id: string): StoredEntry | undefined {
    return this.entries().find((e) => e.id === id);
  }

  add(entry: Omit<StoredEntry, 'id' | 'time'>): void {
    const e: StoredEntry = { ...entry, id: `${Date.now().toString(36)}-${(++this.seq).toString(36)}`, time: Date.now(), title: entry.title.slice(0, 200) };
    // the same thing again moves to the top instead of repeating
    const rest = this.entries().filter((x) => !(x.kind === e.kind && x.text === e.text && x.uri === e.uri && x.mode === e.mode));
    const next = [e, ...rest].slice(0, MAX);
    void this.memento.update(KEY, next);
    this.changed.fire(next.map(({ id, kind, title, time }) => ({ id, kind, title, time })));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function isStored(e: unknown): e is StoredEntry {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Record<string, unknown>;
  return typeof x.id === 'string' && typeof x.kind === 'string' && typeof x.title === 'string' && typeof x.time === 'number';
}
