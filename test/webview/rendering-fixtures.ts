/**
 * RENDERING FIXTURES, hand-written: used by run.mjs only when the real
 * engine cannot be bundled (the parser was not in place yet when these tests
 * were written). They have the engine's result shape, not necessarily its
 * exact output. run.mjs prints a warning whenever it falls back to them.
 */
import type { GradientResult } from '../../core/result';

export function renderingFixtures(): Record<string, GradientResult> {
  return {
    poly: {
      ok: true,
      lang: 'python',
      variables: ['x', 'y'],
      expression: { latex: 'x^{2} y + \\sin\\left(x\\right)', numpy: 'x**2*y + np.sin(x)', text: 'x^2*y + sin(x)' },
      gradient: [
        {
          wrt: 'x',
          latex: '2 x y + \\cos\\left(x\\right)',
          numpy: '2*x*y + np.cos(x)',
          text: '2*x*y + cos(x)',
          steps: [
            { rule: 'sum rule', latex: '\\frac{\\partial}{\\partial x}\\left[x^{2} y + \\sin x\\right] = \\frac{\\partial}{\\partial x}\\left[x^{2} y\\right] + \\frac{\\partial}{\\partial x}\\sin x', depth: 0 },
            { rule: 'power rule', latex: '\\frac{\\partial}{\\partial x}\\left[x^{2} y\\right] = 2 x y', depth: 1 },
            { rule: 'chain rule', latex: '\\frac{\\partial}{\\partial x}\\sin x = \\cos x', depth: 1, detail: 'trigonometric rule: \\frac{d}{du}\\sin u = \\cos u' },
          ],
          kinks: [],
          size: 9,
        },
        {
          wrt: 'y',
          latex: 'x^{2}',
          numpy: 'x**2',
          text: 'x^2',
          steps: [{ rule: 'constant multiple rule', latex: '\\frac{\\partial}{\\partial y}\\left[x^{2} y\\right] = x^{2}', depth: 0 }],
          kinks: [],
          size: 3,
        },
      ],
      check: { maxRelError: 3.2e-11, points: 5, at: [{ x: 0.5, y: -1.25 }, { x: 1.75, y: 0.3 }, { x: -0.8, y: 2 }, { x: 2.2, y: -0.4 }, { x: -1.1, y: 1.1 }], passed: true },
      notes: [],
      elapsedMs: 3.2,
    },
    relu: {
      ok: true,
      lang: 'python',
      variables: ['w', 'x'],
      expression: { latex: '\\operatorname{ReLU}\\left(w x\\right)', numpy: 'np.maximum(w*x, 0)', text: 'relu(w*x)' },
      gradient: ['w', 'x'].map((v) => {
        const o = v === 'w' ? 'x' : 'w';
        return {
          wrt: v,
          latex: `${o} H\\left(w x\\right)`,
          numpy: `${o}*np.heaviside(w*x, 0)`,
          text: `${o}*heaviside(w*x)`,
          steps: [{ rule: 'chain rule', latex: `\\frac{\\partial}{\\partial ${v}}\\operatorname{ReLU}\\left(w x\\right) = ${o} H\\left(w x\\right)`, depth: 0 }],
          kinks: [{ latex: 'w x = 0', text: 'ReLU is not differentiable at 0; the derivative used is 0 there.' }],
          size: 5,
        };
      }),
      check: { maxRelError: 0, points: 5, at: [{ w: 1, x: 2 }], passed: true },
      notes: ['Not differentiable where w x = 0; see the kinks under each derivative.'],
      elapsedMs: 1.1,
    },
    forward: {
      ok: true,
      lang: 'python',
      variables: ['b', 'w', 'x', 'y'],
      target: 'loss',
      expression: { latex: '\\left(\\sigma\\left(w x + b\\right) - y\\right)^{2}', numpy: '(sigmoid(w*x + b) - y)**2', text: '(sigmoid(w*x + b) - y)^2' },
      gradient: ['b', 'w', 'x', 'y'].map((v) => ({
        wrt: v,
        latex: v === 'y' ? '-2 \\left(\\sigma\\left(w x + b\\right) - y\\right)' : `2 \\left(\\sigma - y\\right) \\sigma \\left(1 - \\sigma\\right)${v === 'b' ? '' : v === 'w' ? ' x' : ' w'}`,
        numpy: v === 'y' ? '-2*(sigmoid(w*x + b) - y)' : '2*(s - y)*s*(1 - s)',
        text: '…',
        steps: [{ rule: 'chain rule', latex: `\\frac{\\partial \\mathit{loss}}{\\partial ${v}} = \\ldots`, depth: 0 }],
        kinks: [],
        size: 12,
      })),
      check: { maxRelError: 2.1e-9, points: 5, at: [], passed: true },
      notes: [],
      elapsedMs: 7.5,
    },
    parseError: { ok: false, error: { message: 'Expected an operand after "**".', offset: 22, length: 1, kind: 'parse' } },
    xss: { ok: false, error: { message: 'Unexpected "<" in <img src=x onerror="window.__xss=1">', offset: 0, length: 1, kind: 'parse' } },
  };
}
