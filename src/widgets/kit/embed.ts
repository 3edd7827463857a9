import type { SettingsValues } from '~/engine/types';

/** What a chapter passes when it embeds a training widget; every widget component takes these. */
export interface WidgetEmbedProps {
  /** Unique on the page; prefixes this widget's URL parameters. */
  id: string;
  /** Starting values that override the defaults. */
  preset?: Partial<SettingsValues>;
  title?: string;
  /** What this embedding shows; the widget's general description by default. */
  caption?: string;
  /** Steps after which the run stops (the experiment's default when omitted). */
  maxSteps?: number;
  headingLevel?: 1 | 2 | 3;
  /**
   * The settings this passage is about, shown first; the rest fold behind "All settings (n)".
   * Omitted: every setting is shown (lab pages).
   */
  focus?: readonly string[];
}
