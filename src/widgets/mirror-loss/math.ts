/**
 * Two-parameter losses with a mirror symmetry, L(w₁, w₂) = L(w₂, w₁), and gradient descent on
 * them. Pure math, no TF.js: the view draws from it directly and the experiment steps it.
 *
 * - 'network': the smallest network with a permutation symmetry, two tanh units summed,
 *   f(x) = tanh(w₁x) + tanh(w₂x), fitted by mean squared error to a teacher of the same form with
 *   weights (2, −1) on 41 inputs in [−2, 2]. Its minima are (2, −1) and (−1, 2); on the mirror line
 *   w₁ = w₂ the two units are one, and the best point there is a saddle of the full loss.
 * - 'false-minimum': a made-up polynomial whose best point on the mirror line is a local minimum
 *   across it too (a "false" minimum with loss 0.2 while the two true minima have loss 0), the case
 *   the symmetry article worries about. In coordinates along (u) and across (v) the line:
 *   L = ½(u − 1)² + v²(v² − 1)² + 0.2(1 − v²)², with v = (w₁ − w₂)/(√2·1.5).
 */

export type Landscape = 'network' | 'false-minimum';

export const TEACHER: readonly [number, number] = [2, -1];
const INPUTS = Array.from({ length: 41 }, (_, i) => -2 + (4 * i) / 40);
const TEACHER_OUTPUTS = INPUTS.map((x) => Math.tanh(TEACHER[0] * x) + Math.tanh(TEACHER[1] * x));
const ACROSS_SCALE = 1.5;

/** Loss and gradient at (w₁, w₂). */
export function lossAndGradient(landscape: Landscape, w1: number, w2: number): { loss: number; gradient: [number, number] } {
  if (landscape === 'network') {
    let loss = 0;
    let g1 = 0;
    let g2 = 0;
    INPUTS.forEach((x, i) => {
      const t1 = Math.tanh(w1 * x);
      const t2 = Math.tanh(w2 * x);
      const error = t1 + t2 - TEACHER_OUTPUTS[i];
      loss += error * error;
      g1 += 2 * error * (1 - t1 * t1) * x;
      g2 += 2 * error * (1 - t2 * t2) * x;
    });
    const n = INPUTS.length;
    return { loss: loss / n, gradient: [g1 / n, g2 / n] };
  }
  const u = (w1 + w2) / Math.SQRT2;
  const v = (w1 - w2) / (Math.SQRT2 * ACROSS_SCALE);
  const v2 = v * v;
  const loss = 0.5 * (u - 1) ** 2 + v2 * (v2 - 1) ** 2 + 0.2 * (1 - v2) ** 2;
  const dLdu = u - 1;
  const dLdv = 2 * v * (v2 - 1) ** 2 + 4 * v2 * v * (v2 - 1) - 0.8 * v * (1 - v2);
  const dvdw = 1 / (Math.SQRT2 * ACROSS_SCALE);
  return { loss, gradient: [dLdu / Math.SQRT2 + dLdv * dvdw, dLdu / Math.SQRT2 - dLdv * dvdw] };
}

export function loss(landscape: Landscape, w1: number, w2: number): number {
  return lossAndGradient(landscape, w1, w2).loss;
}

/** The loss on a grid over `domain`², `values[j * n + i]` at w₁ = column i, w₂ = row j. */
export function lossGrid(landscape: Landscape, domain: readonly [number, number], n: number): number[] {
  const at = (k: number) => domain[0] + ((domain[1] - domain[0]) * k) / (n - 1);
  const values: number[] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values.push(loss(landscape, at(i), at(j)));
  return values;
}

/** Plain gradient descent from `start`: the path, `steps` + 1 points. Stops early if it leaves the finite numbers. */
export function descend(landscape: Landscape, start: readonly [number, number], learningRate: number, steps: number): { w: [number, number]; loss: number; gradientNorm: number }[] {
  let [w1, w2] = start;
  const path: { w: [number, number]; loss: number; gradientNorm: number }[] = [];
  for (let step = 0; step <= steps; step++) {
    const { loss: value, gradient } = lossAndGradient(landscape, w1, w2);
    path.push({ w: [w1, w2], loss: value, gradientNorm: Math.hypot(gradient[0], gradient[1]) });
    if (!Number.isFinite(value)) break;
    w1 -= learningRate * gradient[0];
    w2 -= learningRate * gradient[1];
  }
  return path;
}

/** Curvature of the loss across the mirror line at (w, w): d²L/dv² along (1, −1)/√2. Negative: a saddle; positive: a minimum across. */
export function curvatureAcross(landscape: Landscape, w: number, h = 1e-3): number {
  const d = h / Math.SQRT2;
  return (loss(landscape, w + d, w - d) - 2 * loss(landscape, w, w) + loss(landscape, w - d, w + d)) / (h * h);
}

/** The best point on the mirror line (golden-section search on [−4, 4] after a coarse scan). */
export function bestOnLine(landscape: Landscape): { w: number; loss: number } {
  let best = { w: 0, loss: Infinity };
  for (let w = -4; w <= 4; w += 0.01) {
    const value = loss(landscape, w, w);
    if (value < best.loss) best = { w, loss: value };
  }
  let low = best.w - 0.01;
  let high = best.w + 0.01;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 60; k++) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (loss(landscape, a, a) < loss(landscape, b, b)) high = b;
    else low = a;
  }
  const w = (low + high) / 2;
  return { w, loss: loss(landscape, w, w) };
}
