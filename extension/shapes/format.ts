/**
 * What the shape hover and the inlay hints say, as plain strings (pure, no
 * `vscode`): the Markdown is built here and handed to an untrusted
 * MarkdownString without HTML, and every piece of user text is escaped.
 */
import { printShape } from '../../core/shapes/dim';
import type { PublicDim, PublicShape, ShapeInfo } from '../../core/shapes/types';

/** `(B, 16, 32, 32)`, `(5,)` for one dimension, `()` for a 0-d value, `?` for an unknown dimension. */
export function formatShape(shape: PublicShape): string {
  if (shape === null) return 'unknown';
  return printShape(shape.map(formatDim));
}

function formatDim(d: PublicDim): string {
  if (d === null) return '?';
  return typeof d === 'number' ? String(d) : d.trim() || '?';
}

const MD_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&:"']/g;

/** Text shown literally in Markdown: every character Markdown (or an autolink, or an entity) could read is escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(MD_SPECIAL, (c) => `\\${c}`);
}

/** An inline code span that holds any text: the fence is longer than the longest run of backticks inside. */
export function codeSpan(text: string): string {
  const t = text.replace(/\r\n|\r|\n/g, ' ');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ') && t.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

const MAX_TEXT = 80;

/** Shortens long expressions for the hover's title line. */
export function shorten(text: string, max = MAX_TEXT): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/** What the value is, in words: "PyTorch tensor", "NumPy array", "int", "nn module", … */
export function describeKind(info: Pick<ShapeInfo, 'kind' | 'lib'>): string {
  switch (info.kind) {
    case 'tensor':
      return info.lib === 'torch' ? 'PyTorch tensor' : info.lib === 'numpy' ? 'NumPy array' : 'array';
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'tuple':
      return 'tuple';
    case 'module':
      return info.lib === 'torch' ? 'PyTorch module' : 'module';
    case 'function':
      return 'function';
    case 'unknown':
      return 'unknown';
  }
}

export interface HoverOptions {
  /** A link target for the origin line (e.g. `file:///…/cnn.py#L12`); plain text when absent. */
  originLink?: string;
  /** Set when the analysis was cut by its budget: the hover says the shapes may be incomplete. */
  cut?: string;
}

/**
 * The hover's Markdown, or undefined when there is nothing worth showing:
 * a value without a shape or an integer value, and with no derivation.
 */
export function hoverMarkdown(info: ShapeInfo, options: HoverOptions = {}): string | undefined {
  const lines: string[] = [];
  const title = codeSpan(shorten(info.text));
  if (info.kind === 'int' && typeof info.value === 'number' && Number.isFinite(info.value)) {
    lines.push(`${title} : int = ${codeSpan(String(info.value))}`);
  } else if (info.shape !== null) {
    lines.push(`${title} : ${escapeMarkdown(describeKind(info))}, shape ${codeSpan(formatShape(info.shape))}`);
  } else if (info.kind === 'tensor') {
    lines.push(`${title} : ${escapeMarkdown(describeKind(info))}, shape unknown`);
  } else if (info.unknownReason && !isUnreadModule(info.text, info.unknownReason)) {
    lines.push(`${title} : shape unknown`);
  } else if (info.steps.length === 0) {
    return undefined; // a module, a float, a function… with nothing derived: no hover rather than noise
  } else {
    lines.push(`${title} : ${escapeMarkdown(describeKind(info))}`);
  }

  if (info.steps.length > 0) {
    lines.push('', '**Derivation**');
    lines.push('');
    info.steps.forEach((s, i) => {
      lines.push(`${i + 1}. ${stepMarkdown(s.rule, s.detail)}`);
    });
  }
  if (info.shape === null && info.unknownReason && !isUnreadModule(info.text, info.unknownReason)) lines.push('', ...unknownMarkdown(info.text, info.unknownReason));
  // the workspace files the value was read from (np.load's .npy/.npz, an imported module)
  const files = [...new Set(info.steps.flatMap((s) => (s.file ? [s.file] : [])))];
  if (files.length > 0) lines.push('', `From file ${files.map((f) => codeSpan(f)).join(', ')}`);
  if (Number.isInteger(info.originLine) && info.originLine > 0) {
    const where = `line ${info.originLine}`;
    lines.push('', options.originLink ? `From [${where}](${escapeLinkTarget(options.originLink)})` : `From ${where}`);
  }
  if (options.cut) lines.push('', `*The analysis of this file stopped early (${escapeMarkdown(options.cut.trim())}); later shapes may be missing.*`);
  return lines.join('\n');
}

/** The hovered name is itself a module the analysis does not read (it has no shape to declare). */
function isUnreadModule(text: string, reason: string): boolean {
  const t = text.trim();
  return reason.startsWith(`${t} is a module `) || reason.startsWith(`${t} is the module `);
}

/**
 * Why the shape is unknown, and how to declare it: the shape comment for the hovered name
 * (`# X: (n, d)` on the line above its assignment; any name for an expression).
 */
export function unknownMarkdown(text: string, reason: string): string[] {
  const name = text.trim();
  const how = /^[A-Za-z_]\w*$/.test(name)
    ? `a comment on the line above its assignment, ${codeSpan(`# ${name}: (n, d)`)}, or at the end of it, ${codeSpan('# shape: (n, d)')}`
    : `a comment at the end of its assignment, ${codeSpan('# shape: (n, d)')}`;
  return [`**Shape unknown:** ${escapeMarkdown(shorten(reason, 160))}.`, '', `Declare it with ${how} (sizes or names; ${codeSpan('()')} for a scalar).`];
}

/** One step: "*rule*: detail", or only the detail when it already starts with the rule. */
export function stepMarkdown(rule: string, detail: string): string {
  const r = rule.replace(/\s+/g, ' ').trim();
  const d = detail.replace(/\s+/g, ' ').trim();
  if (!d) return r ? `*${escapeMarkdown(r)}*` : '';
  if (!r || d.toLowerCase().startsWith(r.toLowerCase())) return escapeMarkdown(d);
  return `*${escapeMarkdown(r)}*: ${escapeMarkdown(d)}`;
}

/** A link destination in angle brackets cannot contain <, > or a line break. */
function escapeLinkTarget(target: string): string {
  return `<${target.replace(/[<>\r\n]/g, encodeURIComponent)}>`;
}

const MAX_HINT = 48;

/** The inlay hint's text: the engine's label on one line, shortened. */
export function hintLabel(label: string, max = MAX_HINT): string {
  return shorten(label, max);
}
