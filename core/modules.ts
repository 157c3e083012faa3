/**
 * Module names, which are never variables: `np` in `np.exp(x)` is NumPy, not a number called np. The
 * numeric modules come from the operation catalogue (core/ops); plotting and data modules are added here.
 * Read by the one reading of a selection (core/reading.ts) and by the backprop graph's parser.
 */
import { isModuleName } from './ops/index';
import type { Lang } from './parse/types';

/** Plotting and data modules: never variables in Python, and a call on them is not an expression of numbers. */
export const PLOT_MODULES = ['plt', 'pyplot', 'matplotlib', 'mpl', 'sns', 'seaborn', 'px', 'plotly'] as const;
export const DATA_MODULES = ['pd', 'pandas', 'pl', 'polars'] as const;
/** Outside Python a name is a module only when it cannot plausibly be a variable. */
const MODULES_ELSEWHERE = new Set(['np', 'numpy', 'jnp', 'torch', 'scipy', 'tf', 'Math', 'plt', 'sns', 'pd', 'pandas']);
/** Methods that draw (on `plt`, an Axes `ax`, a Figure …). */
export const PLOT_METHOD =
  /^(?:plot|scatter|hist|hist2d|imshow|matshow|bar|barh|show|savefig|figure|subplots?|legend|xlabel|ylabel|title|suptitle|grid|xlim|ylim|axis|axhline|axvline|set_\w+|contourf?|quiver|fill_between|errorbar|pie|boxplot|violinplot|stem|semilogx|semilogy|loglog|heatmap|lineplot|scatterplot|histplot|kdeplot|tight_layout|colorbar|annotate)$/;

function isPythonModule(name: string): boolean {
  return isModuleName(name) || (PLOT_MODULES as readonly string[]).includes(name) || (DATA_MODULES as readonly string[]).includes(name);
}

/** Is `name` a module (never a variable) in this language? */
export function isModuleNameIn(name: string, lang: Lang): boolean {
  if (lang === 'python') return isPythonModule(name) && name !== 'pl'; // `pl` is polars only as a prefix (pl.col): bare, it is a fine variable name
  return MODULES_ELSEWHERE.has(name);
}

