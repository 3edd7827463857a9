/**
 * The page's one progress store, shared by the exercises, the sidebar and the progress page, and
 * kept in step with other tabs through the 'storage' event.
 */
import { browserStorage, PROGRESS_KEY, ProgressStore } from './progress-store';

// Session storage keeps the progress for the tab while local storage cannot (blocked or full).
export const progress = new ProgressStore(browserStorage(), undefined, undefined, browserStorage('session'));

window.addEventListener('storage', (event) => {
  // event.key is null when another tab cleared all of localStorage.
  if (event.key === PROGRESS_KEY || event.key === null) progress.receiveExternalChange(event.key === null ? null : event.newValue);
});

/** "27 Nov 2026", for progress lines. */
export function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** Downloads the progress as a JSON file (the progress page's export, and the storage notice's). */
export function downloadProgress(): void {
  const blob = new Blob([progress.exportText()], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `skipcourse-progress-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
