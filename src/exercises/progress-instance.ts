/**
 * The page's one progress store, shared by the exercises, the sidebar and the progress page, and
 * kept in step with other tabs through the 'storage' event.
 */
import { browserStorage, PROGRESS_KEY, ProgressStore } from './progress-store';

export const progress = new ProgressStore(browserStorage());

window.addEventListener('storage', (event) => {
  // event.key is null when another tab cleared all of localStorage.
  if (event.key === PROGRESS_KEY || event.key === null) progress.receiveExternalChange(event.key === null ? null : event.newValue);
});

/** "27 Nov 2026", for progress lines. */
export function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}
