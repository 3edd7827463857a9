/**
 * The two-kinds line styles (plain and residual): told apart by hue, line style and legend words;
 * depth as lightness and weight; every line at least 3:1 against the chart background, with the
 * real light and dark tokens of src/styles/global.css.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hsl } from 'd3';
import { contrastRatio, familyLineStyleName, groupSeriesStyle, LINE_CONTRAST, mixColours, relativeLuminance } from '~/charts/series-groups';
import type { ChartTheme } from '~/charts/theme';
import { skipSeriesGroup } from '~/widgets/kit/skip-groups';

const css = readFileSync('src/styles/global.css', 'utf8');

/** The chart theme a page gets from the tokens of one `:root[data-theme=…]` block. */
function themeFromCss(name: 'light' | 'dark'): ChartTheme {
  const block = css.match(new RegExp(`:root\\[data-theme='${name}'\\]\\s*\\{([^}]*)\\}`))?.[1];
  if (!block) throw new Error(`no ${name} block in global.css`);
  const token = (key: string) => {
    const value = block.match(new RegExp(`${key}:\\s*([^;]+);`))?.[1].trim();
    if (!value) throw new Error(`${key} missing in the ${name} theme`);
    return value;
  };
  return {
    background: token('--color-bg'),
    surface: token('--color-surface'),
    text: token('--color-text'),
    muted: token('--color-muted'),
    grid: token('--chart-grid'),
    axis: token('--chart-axis'),
    focus: token('--color-focus'),
    series: [1, 2, 3, 4, 5, 6].map((i) => token(`--chart-${i}`)),
    divergingNeg: token('--chart-diverging-neg'),
    divergingMid: token('--chart-diverging-mid'),
    divergingPos: token('--chart-diverging-pos'),
    fontFamily: 'system-ui',
  };
}

function hueDistance(a: string, b: string): number {
  const d = Math.abs(hsl(a).h - hsl(b).h) % 360;
  return Math.min(d, 360 - d);
}

describe('colour arithmetic', () => {
  it('matches WCAG: black on white is 21:1, a colour on itself 1:1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#0072b2', '#0072b2')).toBeCloseTo(1, 10);
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 10);
  });
  it('mixes in linear light: the ends are the inputs, the middle has the mean luminance', () => {
    expect(mixColours('#0072b2', '#ffffff', 0)).toBe('#0072b2');
    expect(mixColours('#0072b2', '#ffffff', 1)).toBe('#ffffff');
    expect(relativeLuminance(mixColours('#000000', '#ffffff', 0.5))).toBeCloseTo(0.5, 2);
  });
});

for (const name of ['light', 'dark'] as const) {
  describe(`plain and residual series in the ${name} theme`, () => {
    const theme = themeFromCss(name);

    it(`every shade of both kinds keeps at least ${LINE_CONTRAST}:1 against the chart background and surface`, () => {
      for (const family of [0, 1] as const) {
        for (let size = 1; size <= 8; size++) {
          for (let rank = 0; rank < size; rank++) {
            const { colour } = groupSeriesStyle({ name: 'kind', family, rank, size }, theme);
            expect(contrastRatio(colour, theme.background)).toBeGreaterThanOrEqual(LINE_CONTRAST);
            expect(contrastRatio(colour, theme.surface)).toBeGreaterThanOrEqual(LINE_CONTRAST);
          }
        }
      }
    });

    it('the two kinds differ in line style and in hue at every depth', () => {
      for (let rank = 0; rank < 4; rank++) {
        const residual = groupSeriesStyle(skipSeriesGroup('residual', rank, 4), theme);
        const plain = groupSeriesStyle(skipSeriesGroup('none', rank, 4), theme);
        expect(residual.dash).toBe('');
        expect(plain.dash).not.toBe('');
        expect(hueDistance(residual.colour, plain.colour)).toBeGreaterThan(90);
      }
    });

    it('depth shows as lightness and weight: deeper lines stand out more against the background and are heavier', () => {
      for (const skip of ['none', 'residual']) {
        const styles = [0, 1, 2, 3].map((rank) => groupSeriesStyle(skipSeriesGroup(skip, rank, 4), theme));
        const contrasts = styles.map((style) => contrastRatio(style.colour, theme.background));
        for (let i = 1; i < styles.length; i++) {
          expect(contrasts[i]).toBeGreaterThan(contrasts[i - 1]);
          expect(styles[i].width).toBeGreaterThan(styles[i - 1].width);
        }
        // Far enough apart to see: the deepest line has clearly more contrast than the shallowest.
        expect(contrasts[3] / contrasts[0]).toBeGreaterThan(1.5);
      }
    });
  });
}

describe('the kinds of a skip', () => {
  it('residual is family 0 (solid), plain and undefined are family 1 (dashed), with legend words for each', () => {
    expect(skipSeriesGroup('residual', 1, 3)).toEqual({ name: 'residual', family: 0, rank: 1, size: 3 });
    expect(skipSeriesGroup('none', 0, 2)).toMatchObject({ name: 'plain', family: 1 });
    expect(skipSeriesGroup(undefined, 0, 1)).toMatchObject({ name: 'plain', family: 1 });
    expect(familyLineStyleName(0)).toBe('solid lines');
    expect(familyLineStyleName(1)).toBe('dashed lines');
  });
});
