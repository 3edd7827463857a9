/** Weight initialisers shared by the layers with kernels (dense, convolution, attention, embedding). */
import type { ParamSpec, WeightInit } from './types';

/**
 * Standard deviation of N(0, σ²) initial weights: Glorot (Var = 2/(fan_in + fan_out)) or He
 * (Var = 2/fan_in), times `initScale`; for 'naive' init, `initScale` itself (0.01 by default), as
 * in the MLP (mlp.ts).
 */
export function weightStd(init: WeightInit, fanIn: number, fanOut: number): number {
  const kind = init.init ?? 'glorot';
  const scale = init.initScale ?? (kind === 'naive' ? 0.01 : 1);
  if (kind === 'naive') return scale;
  if (kind === 'glorot') return scale * Math.sqrt(2 / (fanIn + fanOut));
  return scale * Math.sqrt(2 / fanIn);
}

export function kernelParam(name: string, shape: number[], init: WeightInit, fanIn: number, fanOut: number): ParamSpec {
  return { name, shape, init: { kind: 'normal', std: weightStd(init, fanIn, fanOut) }, weight: true };
}

export function biasParam(name: string, size: number): ParamSpec {
  return { name, shape: [size], init: { kind: 'zeros' }, weight: false };
}
