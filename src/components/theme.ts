/** Theme state shared by the toggle and anything that draws with theme colours (charts). */
export type Theme = 'light' | 'dark';

/** localStorage key of the reader's explicit choice; absent means "follow the system". */
export const THEME_STORAGE_KEY = 'course-theme';

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

/**
 * Sets the theme and announces it with a `themechange` event on document, so canvas charts
 * (which cannot follow CSS variables by themselves) can redraw.
 */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.dispatchEvent(new CustomEvent('themechange', { detail: { theme } }));
}
