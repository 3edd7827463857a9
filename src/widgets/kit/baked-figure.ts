/**
 * Baked figures: each training widget's default run, computed ahead of time by `npm run bake`
 * (scripts/bake-figures.ts) with the same experiment code, drawn by the widget's own charts and
 * committed: public/figures/<key>.svg (the picture) and src/baked/<key>.json (what was run, and
 * the first records of each run, which tests/unit/baked-figures.test.ts reproduces headless).
 * Print and no-JavaScript readers see the figure in place of the live charts; on screen it appears
 * only once the reader has run the widget (src/widgets/kit/BakedFigure.astro). Pure data and
 * names here, used by the build, the bake and the tests.
 */
import type { SettingsValues, StepRecord } from '~/engine/types';
import { sameSettingValue } from './setting-values';

/** Records per run kept for the reproduction check (a prefix: a full default run is too slow for tests). */
export const CHECK_STEPS = 5;

export interface BakedFigure {
  /** Page path and widget id the figure was baked from. */
  page: string;
  widget: string;
  kind: string;
  experiment: string;
  /** The widget's starting settings (defaults plus the chapter's preset) and run length, as on the page. */
  settings: SettingsValues;
  maxSteps: number | null;
  /** The widget's status line when the run ended, shown as the figure's caption. */
  status: string;
  /** Titles of the charts drawn, top to bottom (the image's text alternative). */
  charts: string[];
  /** Size of the SVG, for the <img> box. */
  width: number;
  height: number;
  /** The first CHECK_STEPS records of every run ({run, step, loss}), or none for an experiment that does not train. */
  records: Pick<StepRecord, 'run' | 'step' | 'loss'>[];
  /** The widget's exported summary (the CLI's summary shape), compared for experiments that do not train. */
  summary: unknown;
}

/** File key of a widget's figure: "/lessons/residual/" + "lesion" → "lessons-residual--lesion". */
export function bakedFigureKey(pagePath: string, widgetId: string): string {
  const page = pagePath.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9-]+/g, '-') || 'home';
  return `${page}--${widgetId}`;
}

/** URL of the figure's SVG on the site. */
export function bakedFigureUrl(key: string): string {
  return `/figures/${key}.svg`;
}

/** Whether a baked figure shows the run a widget starts with now (same experiment, settings and length). */
export function bakedFigureMatches(
  figure: Pick<BakedFigure, 'experiment' | 'settings' | 'maxSteps'>,
  widget: { experiment: string; settings: SettingsValues; maxSteps: number | undefined },
): boolean {
  const keys = new Set([...Object.keys(figure.settings), ...Object.keys(widget.settings)]);
  return (
    figure.experiment === widget.experiment &&
    (figure.maxSteps ?? undefined) === widget.maxSteps &&
    [...keys].every((key) => sameSettingValue(figure.settings[key], widget.settings[key]))
  );
}
