/**
 * Shows a widget's baked figure on screen once the reader has run the widget (the first
 * `widget:update` with records or a status past idle), never before: the figure must not give
 * away the answer to the prediction that precedes the widget. The reader's own run is then printed
 * instead of the figure (data-has-run, global.css).
 */
import type { WidgetState } from '~/engine/types';

function hasRun(state: WidgetState): boolean {
  return state.records.length > 0 || (state.status !== 'idle' && state.status !== 'loading');
}

document.addEventListener('widget:update', (event) => {
  const root = event.target;
  if (!(root instanceof HTMLElement) || root.hasAttribute('data-has-run')) return;
  if (!hasRun((event as CustomEvent<WidgetState>).detail)) return;
  root.setAttribute('data-has-run', '');
});
