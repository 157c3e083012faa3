/**
 * The per-document analysis cache (extension/shapes/documents.ts) against a
 * small fake of the `vscode` API: debounce, synchronous analysis on demand,
 * versions, close, the enabled setting, and engine failures.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ShapeAnalysis } from '../../core/shapes/types';

type Listener<T> = (e: T) => void;

const fake = vi.hoisted(() => {
  class EventEmitter<T> {
    private listeners = new Set<Listener<T>>();
    event = (l: Listener<T>) => {
      this.listeners.add(l);
      return { dispose: () => this.listeners.delete(l) };
    };
    fire(e: T) {
      for (const l of [...this.listeners]) l(e);
    }
    dispose() {
      this.listeners.clear();
    }
  }
  const open = new EventEmitter<unknown>();
  const change = new EventEmitter<unknown>();
  const close = new EventEmitter<unknown>();
  const config = new EventEmitter<unknown>();
  const workspace = {
    textDocuments: [] as unknown[],
    onDidOpenTextDocument: open.event,
    onDidChangeTextDocument: change.event,
    onDidCloseTextDocument: close.event,
    onDidChangeConfiguration: config.event,
  };
  return { EventEmitter, open, change, close, config, workspace };
});

vi.mock('vscode', () => ({ EventEmitter: fake.EventEmitter, workspace: fake.workspace }));

import { ShapeDocuments, type AnalysisEvent } from '../../extension/shapes/documents';
import type { ShapeSettings } from '../../extension/shapes/settings';

class FakeDocument {
  isClosed = false;
  version = 1;
  readonly uri: { toString(): string };
  constructor(
    name: string,
    private text: string,
    readonly languageId = 'python',
  ) {
    this.uri = { toString: () => `file:///w/${name}` };
  }
  getText() {
    return this.text;
  }
  edit(text: string) {
    this.text = text;
    this.version++;
    fake.change.fire({ document: this, contentChanges: [{}] });
  }
}

const analysis = (text: string): ShapeAnalysis => ({ symbols: [], diagnostics: [], hints: [{ offset: text.length, line: 1, label: text }], at: () => undefined });

let settings: ShapeSettings;
let updates: string[];
let fail: boolean;
let events: AnalysisEvent[];
let docs: ShapeDocuments;

beforeEach(() => {
  vi.useFakeTimers();
  settings = { enabled: true, inlayHints: true, debounceMs: 150 };
  updates = [];
  fail = false;
  events = [];
  fake.workspace.textDocuments = [];
  docs = new ShapeDocuments(
    () => ({
      update(text: string) {
        updates.push(text);
        if (fail) throw new Error('engine bug');
        return analysis(text);
      },
    }),
    () => settings,
  );
  docs.onDidAnalyze((e) => events.push(e));
});
afterEach(() => {
  docs.dispose();
  vi.useRealTimers();
});

const asDoc = (d: FakeDocument) => d as unknown as import('vscode').TextDocument;

describe('ShapeDocuments', () => {
  it('analyzes on demand, once per version', () => {
    const d = new FakeDocument('a.py', 'x = 1');
    const first = docs.get(asDoc(d))!;
    expect(first.version).toBe(1);
    expect(first.analysis.hints[0]!.label).toBe('x = 1');
    expect(first.lines.text).toBe('x = 1');
    expect(docs.get(asDoc(d))).toBe(first);
    expect(updates).toEqual(['x = 1']);
    expect(events).toHaveLength(1);
  });

  it('debounces edits: one analysis of the last text after the quiet time', () => {
    const d = new FakeDocument('a.py', 'x = 1');
    docs.get(asDoc(d));
    d.edit('x = 12');
    vi.advanceTimersByTime(100);
    d.edit('x = 123');
    vi.advanceTimersByTime(149);
    expect(updates).toEqual(['x = 1']);
    vi.advanceTimersByTime(1);
    expect(updates).toEqual(['x = 1', 'x = 123']);
    expect(events.at(-1)!.result!.version).toBe(3);
    vi.advanceTimersByTime(1000);
    expect(updates).toHaveLength(2);
  });

  it('a request for a newer version analyzes at once and cancels the pending run', () => {
    const d = new FakeDocument('a.py', 'x = 1');
    d.edit('x = 2');
    expect(docs.get(asDoc(d))!.version).toBe(2);
    vi.advanceTimersByTime(1000);
    expect(updates).toEqual(['x = 2']);
  });

  it('follows the debounce setting', () => {
    settings = { ...settings, debounceMs: 0 };
    const d = new FakeDocument('a.py', 'x = 1');
    d.edit('x = 2');
    vi.advanceTimersByTime(0);
    expect(updates).toEqual(['x = 2']);
  });

  it('ignores other languages', () => {
    const d = new FakeDocument('a.md', '# hi', 'markdown');
    expect(docs.get(asDoc(d))).toBeUndefined();
    d.edit('# ho');
    vi.advanceTimersByTime(1000);
    expect(updates).toEqual([]);
  });

  it('drops a document when it closes, with an empty event', () => {
    const d = new FakeDocument('a.py', 'x = 1');
    docs.get(asDoc(d));
    d.edit('x = 2'); // pending
    d.isClosed = true;
    fake.close.fire(d);
    expect(events.at(-1)).toEqual({ uri: d.uri, result: undefined });
    expect(docs.latest(d.uri as import('vscode').Uri)).toBeUndefined();
    vi.advanceTimersByTime(1000);
    expect(updates).toEqual(['x = 1']);
  });

  it('respects mathlens.shapes.enabled, and drops everything when it is turned off', () => {
    const d = new FakeDocument('a.py', 'x = 1');
    fake.workspace.textDocuments = [d];
    docs.get(asDoc(d));
    settings = { ...settings, enabled: false };
    fake.config.fire({ affectsConfiguration: (s: string) => s === 'mathlens.shapes' });
    expect(events.at(-1)).toEqual({ uri: d.uri, result: undefined });
    expect(docs.get(asDoc(d))).toBeUndefined();
    settings = { ...settings, enabled: true };
    fake.config.fire({ affectsConfiguration: (s: string) => s === 'mathlens.shapes' });
    vi.advanceTimersByTime(0);
    expect(events.at(-1)!.result!.version).toBe(1);
  });

  it('survives an engine failure: no analysis for that version, a fresh engine for the next', () => {
    const d = new FakeDocument('a.py', 'x = 1');
    fail = true;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(docs.get(asDoc(d))).toBeUndefined();
    expect(docs.get(asDoc(d))).toBeUndefined();
    expect(updates).toHaveLength(1); // not retried for the same version
    expect(errors).toHaveBeenCalledTimes(1);
    fail = false;
    d.edit('x = 2');
    expect(docs.get(asDoc(d))!.version).toBe(2);
    errors.mockRestore();
  });

  it('analyzes documents when they open', () => {
    const d = new FakeDocument('b.py', 'y = 2');
    fake.open.fire(d);
    vi.advanceTimersByTime(0);
    expect(updates).toEqual(['y = 2']);
  });
});
