/**
 * The labs listed on /lab/: one entry per widget that has a page of its own. The underscore keeps
 * Astro from treating this file as a route. Add a line when a new lab page is added.
 */
export interface LabEntry {
  /** URL path of the lab page. */
  href: string;
  title: string;
  /** One or two sentences: what the reader can do there. */
  summary: string;
}

export const labs: readonly LabEntry[] = [
  {
    href: '/lab/gradient-flow/',
    title: 'Gradient flow',
    summary:
      'Train a deep network in your browser and watch how large the gradient is at every layer, step by step. Change the depth, activation, initialisation, normalisation and skip connections and see which layers stop learning.',
  },
];
