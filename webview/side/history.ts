/**
 * The History tab: the last results of the other commands, newest first;
 * "Reopen" asks the host to show one again.
 */
import type { HistoryEntry } from '../../core/protocol';
import { h } from '../common/dom';

const KIND_LABELS: Record<string, string> = {
  gradient: 'Gradient',
  matrix: 'Matrix',
  plot: 'Plot',
  optimize: 'Optimize',
  statistics: 'Statistics',
};

export interface HistoryTab {
  element: HTMLElement;
  show(entries: HistoryEntry[]): void;
}

function when(time: number): string {
  if (typeof time !== 'number' || !Number.isFinite(time)) return '';
  const d = new Date(time);
  return d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

export function createHistoryTab(reopen: (id: string) => void): HistoryTab {
  const element = h('div', { class: 'history-tab' });
  const show = (entries: HistoryEntry[]) => {
    const list = entries.filter((e) => e && typeof e.id === 'string');
    if (!list.length) {
      element.replaceChildren(h('p', { class: 'empty', testid: 'history-empty' }, 'Nothing yet: results of MathLens commands will be listed here.'));
      return;
    }
    element.replaceChildren(
      h('h2', {}, 'Recent results'),
      h(
        'ul',
        { class: 'history', testid: 'history-list' },
        ...list.map((e) => {
          const button = h('vscode-button', { testid: 'history-reopen', attrs: { secondary: '', 'aria-label': `Reopen ${String(e.title)}` } }, 'Reopen');
          button.addEventListener('click', () => reopen(e.id));
          return h(
            'li',
            { class: 'history-entry', testid: 'history-entry' },
            h('span', { class: 'chip' }, KIND_LABELS[e.kind] ?? String(e.kind)),
            h('span', { class: 'history-title' }, String(e.title)),
            h('time', { class: 'muted', attrs: { datetime: Number.isFinite(e.time) ? new Date(e.time).toISOString() : '' } }, when(e.time)),
            button,
          );
        }),
      ),
    );
  };
  show([]);
  return { element, show };
}
