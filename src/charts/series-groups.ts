/**
 * Line styles for charts that compare two kinds of series, each at several sizes: e.g. plain and
 * residual networks at several depths. The two kinds differ by hue family and by line style
 * (family 0: solid, in the theme's first series colour; family 1: dashed, in its second), so
 * they are told apart at a glance and without colour. Within a kind, the rank (e.g. depth order)
 * sets lightness and line weight: first = faint and thin, last = strong and heavy. Every shade
 * keeps at least LINE_CONTRAST against the chart's background and surface, in light and dark mode.
 */
import { rgb } from 'd3';
import type { ChartTheme } from './theme';

/** Which of a chart's two kinds a series belongs to, and where it sits within its kind. */
export interface SeriesGroup {
  /** The kind's name, shown as its heading in the legend, e.g. "plain". */
  name: string;
  /** 0: solid lines in the first series hue; 1: dashed lines in the second. */
  family: 0 | 1;
  /** Position within the kind, 0 = first (faintest, thinnest). */
  rank: number;
  /** Number of series in the kind. */
  size: number;
}

export interface LineStyle {
  colour: string;
  /** SVG stroke-dasharray; '' for a solid line. */
  dash: string;
  width: number;
}

/** WCAG 2 minimum contrast for graphical objects (1.4.11), here for lines against the chart background. */
export const LINE_CONTRAST = 3;
/** Kept above LINE_CONTRAST so rounding to 8-bit colour never drops a shade below it. */
const CONTRAST_TARGET = LINE_CONTRAST + 0.2;
const FAMILY_DASHES = ['', '7 4'] as const;
const WIDTH_FIRST = 1.25;
const WIDTH_LAST = 2.75;
/** How far the last shade moves from the family's hue towards the text colour (more contrast, same hue). */
const STRONG_MIX = 0.3;

/** The legend's words for a family's line style. */
export function familyLineStyleName(family: 0 | 1): string {
  return FAMILY_DASHES[family] === '' ? 'solid lines' : 'dashed lines';
}

function toLinear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function fromLinear(value: number): number {
  const c = value <= 0.0031308 ? value * 12.92 : 1.055 * value ** (1 / 2.4) - 0.055;
  return Math.round(Math.min(1, Math.max(0, c)) * 255);
}

function linearChannels(colour: string): [number, number, number] {
  const { r, g, b } = rgb(colour);
  return [toLinear(r), toLinear(g), toLinear(b)];
}

/** WCAG relative luminance of a CSS colour. */
export function relativeLuminance(colour: string): number {
  const [r, g, b] = linearChannels(colour);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two CSS colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [high, low] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}

/**
 * Mixes two colours in linear light, so luminance (and hence contrast against a background on
 * one side of both) moves steadily from one to the other. Returns #rrggbb.
 */
export function mixColours(from: string, to: string, t: number): string {
  const a = linearChannels(from);
  const b = linearChannels(to);
  return rgb(...(a.map((value, i) => fromLinear(value + (b[i] - value) * t)) as [number, number, number])).formatHex();
}

function worstContrast(colour: string, theme: ChartTheme): number {
  return Math.min(contrastRatio(colour, theme.background), contrastRatio(colour, theme.surface));
}

/** The faintest shade of `hue`: moved towards the background as far as the line keeps its contrast. */
function faintestShade(hue: string, theme: ChartTheme): string {
  let faint = hue;
  for (let t = 0.02; t <= 0.8; t += 0.02) {
    const candidate = mixColours(hue, theme.background, t);
    if (worstContrast(candidate, theme) < CONTRAST_TARGET) break;
    faint = candidate;
  }
  return faint;
}

/** Colour, dash and width of a series from its group (see the module comment). */
export function groupSeriesStyle(group: SeriesGroup, theme: ChartTheme): LineStyle {
  const hue = theme.series[group.family];
  const position = group.size > 1 ? Math.min(1, Math.max(0, group.rank / (group.size - 1))) : 1;
  const faint = faintestShade(hue, theme);
  const strong = mixColours(hue, theme.text, STRONG_MIX);
  return {
    colour: mixColours(faint, strong, position),
    dash: FAMILY_DASHES[group.family],
    width: WIDTH_FIRST + (WIDTH_LAST - WIDTH_FIRST) * position,
  };
}
