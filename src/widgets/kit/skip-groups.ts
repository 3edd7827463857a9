/**
 * How every widget draws plain and residual networks side by side: residual in solid lines of the
 * first series hue, plain in dashed lines of the second, depth (or another order) as lightness and
 * line weight (see ~/charts/series-groups). One definition, so the kinds look the same in every chapter.
 */
import type { SeriesGroup } from '~/charts/series-groups';

/** The series group of a plain (skip 'none' or undefined) or residual network at `rank` of `size`. */
export function skipSeriesGroup(skip: string | undefined, rank: number, size: number): SeriesGroup {
  const residual = skip === 'residual';
  return { name: residual ? 'residual' : 'plain', family: residual ? 0 : 1, rank, size };
}
