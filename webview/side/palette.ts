/**
 * The side view's chart colours, read from the theme's `--vscode-*`
 * variables (through getComputedStyle, as the matrix webview does) and
 * resolved to CSS colour strings for the scenes. Read again on every redraw,
 * so a theme change is picked up.
 */
import type { OptimizerName } from '../../core/protocol';
import { css, luminance, mix, parseColor, themeColor, type RGB } from '../matrix/colors';

export interface SidePalette {
  bg: RGB;
  dark: boolean;
  background: string;
  fg: string;
  muted: string;
  grid: string;
  axis: string;
  blue: string;
  orange: string;
  purple: string;
  green: string;
  red: string;
  yellow: string;
  focus: string;
  /** The heat map's ends (low → high). */
  heatLow: RGB;
  heatHigh: RGB;
  optimizer: Record<OptimizerName, string>;
}

function bodyBackground(): RGB | null {
  const c = parseColor(getComputedStyle(document.body).backgroundColor);
  return c && c[3] > 0 ? [c[0], c[1], c[2]] : null;
}

export function sidePalette(): SidePalette {
  const bg = bodyBackground() ?? themeColor(['--vscode-sideBar-background', '--vscode-editor-background'], [30, 30, 30]);
  const dark = luminance(bg) < 0.4;
  const fgRgb = themeColor(['--vscode-charts-foreground', '--vscode-foreground'], dark ? [204, 204, 204] : [51, 51, 51], bg);
  const mutedRgb = themeColor(['--vscode-descriptionForeground'], mix(bg, fgRgb, 0.7), bg);
  const c = (names: string[], fallback: RGB) => themeColor(names, fallback, bg);
  const blue = c(['--vscode-charts-blue'], dark ? [55, 148, 255] : [26, 133, 255]);
  const orange = c(['--vscode-charts-orange'], dark ? [209, 134, 22] : [209, 134, 22]);
  const purple = c(['--vscode-charts-purple'], dark ? [177, 128, 215] : [101, 44, 144]);
  const green = c(['--vscode-charts-green'], dark ? [137, 209, 133] : [56, 138, 52]);
  const red = c(['--vscode-charts-red'], dark ? [241, 76, 76] : [229, 20, 0]);
  const yellow = c(['--vscode-charts-yellow'], dark ? [204, 167, 0] : [191, 136, 3]);
  const heatHigh = mix(bg, c(['--vscode-charts-purple'], [177, 128, 215]), 0.55);
  return {
    bg,
    dark,
    background: css(bg),
    fg: css(fgRgb),
    muted: css(mutedRgb),
    grid: css(mix(bg, fgRgb, 0.12)),
    axis: css(mix(bg, fgRgb, 0.45)),
    blue: css(blue),
    orange: css(orange),
    purple: css(purple),
    green: css(green),
    red: css(red),
    yellow: css(yellow),
    focus: css(c(['--vscode-focusBorder'], [0, 120, 212])),
    heatLow: mix(bg, blue, 0.12),
    heatHigh,
    optimizer: {
      gd: css(blue),
      momentum: css(orange),
      nesterov: css(green),
      adagrad: css(red),
      rmsprop: css(yellow),
      adam: css(mix(fgRgb, bg, 0.05)),
    },
  };
}
