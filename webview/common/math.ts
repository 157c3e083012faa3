/**
 * KaTeX rendering for the panel, and LaTeX for names.
 *
 * `katex.render` builds DOM nodes (styles through CSSOM, which the CSP
 * allows). KaTeX's own error output (`throwOnError: false`) is a span with a
 * `style` attribute, which the panel's CSP would block and report, so we
 * render with `throwOnError: true` and draw our own fallback: the LaTeX
 * source as text, marked as unrenderable. `trust: false` keeps \href,
 * \htmlClass & co. out.
 */
import katex from 'katex';
import { latexSymbol } from '../../core/print';
import { h } from './dom';

/**
 * KaTeX draws tall delimiters (the brace of a three-row `cases`) as SVGs and gives them a `style`
 * attribute, which the CSP's `style-src` blocks (and reports). The same declarations set through
 * CSSOM are allowed, so while KaTeX builds its nodes a `style` attribute goes through `style.cssText`.
 */
function withCssomStyles(render: () => void): void {
  const proto = Element.prototype;
  const setAttribute = proto.setAttribute;
  proto.setAttribute = function (this: Element, name: string, value: string): void {
    if (name === 'style' && (this instanceof HTMLElement || this instanceof SVGElement)) this.style.cssText = value;
    else setAttribute.call(this, name, value);
  };
  try {
    render();
  } finally {
    proto.setAttribute = setAttribute;
  }
}

export function renderMath(target: HTMLElement, latex: string, displayMode: boolean): void {
  try {
    withCssomStyles(() => katex.render(latex, target, { throwOnError: true, trust: false, displayMode, strict: 'ignore', maxExpand: 1000 }));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    target.replaceChildren(h('code', { class: 'math-fallback', attrs: { title: `KaTeX could not render this: ${message}` } }, latex));
  }
}

/** An element with rendered math. */
export function math(latex: string, displayMode: boolean, props: { class?: string; testid?: string } = {}): HTMLElement {
  const el = h(displayMode ? 'div' : 'span', { class: ['math', props.class].filter(Boolean).join(' '), testid: props.testid });
  renderMath(el, latex, displayMode);
  return el;
}

/** `\frac{\partial f}{\partial x}`, or `\frac{df}{dx}` for a function of one variable (as the engine prints it). */
export function derivativeLatex(target: string | undefined, wrt: string, partial: boolean): string {
  const t = target ? latexSymbol(target) : 'f';
  const x = latexSymbol(wrt);
  return partial ? `\\frac{\\partial ${t}}{\\partial ${x}}` : `\\frac{d${t.length > 1 ? ' ' : ''}${t}}{d${x.length > 1 ? ' ' : ''}${x}}`;
}
