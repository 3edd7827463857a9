/**
 * Chart colours, read from the CSS tokens in src/styles/global.css so charts follow the theme
 * (light/dark) and use the colour-blind-safe palette. Colours are resolved to concrete values and
 * written as SVG attributes, so an exported SVG or PNG looks the same as the chart on screen.
 */

export interface ChartTheme {
  background: string;
  surface: string;
  text: string;
  muted: string;
  grid: string;
  axis: string;
  focus: string;
  /** Categorical series colours (--chart-1 .. --chart-6). */
  series: string[];
  divergingNeg: string;
  divergingMid: string;
  divergingPos: string;
  fontFamily: string;
}

/** The light theme's values, used where there is no document (tests) or a token is missing. */
const FALLBACK: ChartTheme = {
  background: '#ffffff',
  surface: '#f4f5f7',
  text: '#1a1d21',
  muted: '#535963',
  grid: '#e1e4e8',
  axis: '#6b717b',
  focus: '#0b5cad',
  series: ['#0072b2', '#d55e00', '#007a5a', '#a8537f', '#9a6700', '#3f3f46'],
  divergingNeg: '#0072b2',
  divergingMid: '#f4f5f7',
  divergingPos: '#d55e00',
  fontFamily: 'system-ui, sans-serif',
};

/** Dash patterns paired with the series colours, so runs differ by more than hue alone. */
export const SERIES_DASHES = ['', '6 3', '2 2', '8 3 2 3', '1 3', '10 4'];

let cached: ChartTheme | undefined;
const listeners = new Set<() => void>();
let watching = false;

function readTheme(): ChartTheme {
  if (typeof document === 'undefined') return FALLBACK;
  const style = getComputedStyle(document.documentElement);
  const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    background: token('--color-bg', FALLBACK.background),
    surface: token('--color-surface', FALLBACK.surface),
    text: token('--color-text', FALLBACK.text),
    muted: token('--color-muted', FALLBACK.muted),
    grid: token('--chart-grid', FALLBACK.grid),
    axis: token('--chart-axis', FALLBACK.axis),
    focus: token('--color-focus', FALLBACK.focus),
    series: FALLBACK.series.map((fallback, index) => token(`--chart-${index + 1}`, fallback)),
    divergingNeg: token('--chart-diverging-neg', FALLBACK.divergingNeg),
    divergingMid: token('--chart-diverging-mid', FALLBACK.divergingMid),
    divergingPos: token('--chart-diverging-pos', FALLBACK.divergingPos),
    fontFamily: token('--font-body', FALLBACK.fontFamily),
  };
}

function watchThemeChanges(): void {
  if (watching || typeof document === 'undefined') return;
  watching = true;
  const invalidate = () => {
    cached = undefined;
    for (const listener of listeners) listener();
  };
  // The theme toggle sets <html data-theme>; without JS the system preference applies.
  new MutationObserver(invalidate).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme', 'class', 'style'],
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', invalidate);
}

/** The current theme's chart colours (cached until the theme changes). */
export function chartTheme(): ChartTheme {
  watchThemeChanges();
  cached ??= readTheme();
  return cached;
}

/** Calls `listener` whenever the theme changes; returns a function that unsubscribes. */
export function onThemeChange(listener: () => void): () => void {
  watchThemeChanges();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Colour and dash pattern of the n-th series. */
export function seriesStyle(index: number, theme: ChartTheme = chartTheme()): { colour: string; dash: string } {
  return {
    colour: theme.series[index % theme.series.length],
    dash: SERIES_DASHES[index % SERIES_DASHES.length],
  };
}
