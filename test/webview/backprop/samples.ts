/**
 * Payloads for the backprop webview tests: REAL engine output. Each sample
 * calls core/backprop's backpropGraph when run-backprop.mjs imports this
 * module (bundled for node), and wraps the result in the message the host
 * sends (core/protocol.ts); nothing here is hand-written JSON.
 */
import { backpropGraph } from '../../../core/backprop/index';
import { forPanel } from '../../../core/backprop/panel';
import type { BackpropOptions, Numeric } from '../../../core/backprop/index';
import type { BackpropSource, ExtensionToBackprop } from '../../../core/protocol';

export type GraphMessage = Extract<ExtensionToBackprop, { type: 'backprop' }>;

export const SCALAR_TEXT = 'z = w*x + b; a = sigmoid(z); loss = (a - y)**2';

function message(text: string, options: BackpropOptions = {}, source: Partial<BackpropSource> = {}): GraphMessage {
  const lines = text.split('\n').length;
  const src: BackpropSource = { text, uri: 'file:///work/net.py', languageId: 'python', start: { line: 4, character: 0 }, endLine: 4 + lines - 1, ...source };
  const result = backpropGraph(text, options);
  if (!result.ok && source.errorPosition === undefined) {
    // What the host does: the error offset as a document position.
    const before = text.slice(0, result.error.offset).split('\n');
    src.errorPosition = { line: src.start.line + before.length - 1, character: (before.length === 1 ? src.start.character : 0) + before[before.length - 1]!.length };
  }
  return { type: 'backprop', result, source: src, at: (options.at ?? {}) as Record<string, Numeric> };
}

/** The example: a neuron with a sigmoid and a squared error. */
export function scalar(at?: Record<string, number>): GraphMessage {
  return message(SCALAR_TEXT, at ? { at } : {});
}

/** The same, from an untitled selection with no document (no insert target). */
export function scalarNoUri(): GraphMessage {
  const m = message(SCALAR_TEXT, {}, {});
  delete m.source.uri;
  return m;
}

/** A value used twice: its gradient is the sum of two contributions. */
export function fanout(): GraphMessage {
  return message('h = tanh(x)\nloss = h*h + 3*x');
}

/** A 20-layer tanh chain (103 nodes): large enough for the collapsed view. */
export function chain(layers = 20): GraphMessage {
  const lines = ['h0 = x'];
  for (let i = 1; i <= layers; i++) lines.push(`h${i} = tanh(w${i}*h${i - 1} + b${i})`);
  lines.push(`loss = h${layers}**2`);
  return message(lines.join('\n'));
}

/** A parse error inside a selection holding HTML. */
export function xss(): GraphMessage {
  return message('z = w*<img src=x onerror=alert(1)>\nloss = z**2');
}

/** A shaped forward pass, when the engine supports shaped values (else its refusal). */
export function shaped(): GraphMessage {
  return message('h = W @ x + b\nloss = np.sum(np.tanh(h)**2)', { shapes: 'W:(8,7),x:(7,),b:(8,)' });
}

/** A batch too large to send whole: what the host sends (forPanel: arrays cut to their corners), and the full result. */
export function batch(): { msg: GraphMessage; full: GraphMessage['result'] } {
  const m = message('# X: (300, 40), w: (40,)\nz = X @ w\nloss = np.mean(np.tanh(z)**2)');
  const full = m.result;
  if (m.result.ok) m.result = forPanel(m.result);
  return { msg: m, full };
}
