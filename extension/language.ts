/**
 * Which input language a document's text is parsed as.
 */
import type { Lang } from '../core/parse/types';
import { isLang } from '../core/protocol';

/**
 * Maps a VS Code language id to an engine language.
 * TODO: switch to `languageForDocument` from core/parse/index.ts when it lands.
 */
export function langForLanguageId(languageId: string): Lang {
  switch (languageId) {
    case 'python':
    case 'jupyter':
      return 'python';
    case 'javascript':
    case 'javascriptreact':
    case 'typescript':
    case 'typescriptreact':
      return 'javascript';
    case 'latex':
    case 'tex':
    case 'markdown':
      return 'latex';
    default:
      return 'math';
  }
}

/** The language to use: the `mathlens.gradient.language` setting unless it is `auto` (or invalid). */
export function chooseLang(setting: unknown, languageId: string): Lang {
  return isLang(setting) ? setting : langForLanguageId(languageId);
}
