/**
 * The `mathlens.gradient.*` settings, read on every command (pure: the caller
 * passes a getter, so this is unit-tested without VS Code).
 */
import type { Lang } from '../../core/parse/types';
import { chooseLang } from './language';

export interface GradientSettings {
  lang: Lang;
  budgetMs: number;
  showSteps: boolean;
}

export const DEFAULT_BUDGET_MS = 2000;
const MIN_BUDGET_MS = 50;
const MAX_BUDGET_MS = 60000;

/** `get(key)` reads `mathlens.gradient.<key>`; bad values fall back to the defaults. */
export function readGradientSettings(get: (key: string) => unknown, languageId: string): GradientSettings {
  const budget = get('timeBudgetMs');
  const budgetMs =
    typeof budget === 'number' && Number.isFinite(budget)
      ? Math.min(MAX_BUDGET_MS, Math.max(MIN_BUDGET_MS, Math.round(budget)))
      : DEFAULT_BUDGET_MS;
  const showSteps = get('showSteps');
  return {
    lang: chooseLang(get('language'), languageId),
    budgetMs,
    showSteps: typeof showSteps === 'boolean' ? showSteps : true,
  };
}
