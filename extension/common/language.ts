/**
 * Which input language a document's text is parsed as.
 */
import type { Lang } from '../../core/parse/types';
import { languageForDocument } from '../../core/parse/index';
import { isLang } from '../../core/protocol';

/** Maps a VS Code language id to an engine language (the engine owns the mapping). */
export function langForLanguageId(languageId: string): Lang {
  return languageForDocument(languageId);
}

/** The language to use: the `mathlens.gradient.language` setting unless it is `auto` (or invalid). */
export function chooseLang(setting: unknown, languageId: string): Lang {
  return isLang(setting) ? setting : langForLanguageId(languageId);
}
