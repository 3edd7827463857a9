/**
 * Convolutional classifiers: a stem convolution, then plain conv layers or residual blocks (one
 * conv per block, pre-activation as in the MLP), optional 2×2 max pooling after the stem, global
 * average pooling and a dense output layer. Conv layers are named as the MLP's layers
 * (layer1 … layerN, or stem, block1.layer1 …), so the same charts and lesions apply.
 */
import type { Activation, Init, Norm, Skip } from '../types';
import type { LayerSpec } from '../layers/types';
import { describeLayers } from '../layer-names';
import { INPUT_ID, type ModelSpec } from './graph';

export interface ConvNetOptions {
  /** [height, width, channels]. */
  inputShape: [number, number, number];
  classes: number;
  /** Conv layers, stem included. */
  depth: number;
  channels: number;
  kernelSize?: number;
  skip?: Exclude<Skip, 'dense'>;
  norm?: Exclude<Norm, 'layer'>;
  activation?: Activation;
  init?: Init;
  /** 2×2 max pooling after the stem (halves the work of every later layer). */
  poolAfterStem?: boolean;
  /** How the conv layers compute their filter gradient on wasm (Conv2dSpec.filterGradient); default 'im2col'. */
  filterGradient?: 'im2col' | 'conv';
}

export function convNetSpec(options: ConvNetOptions): ModelSpec {
  const { inputShape, classes, depth, channels, kernelSize = 3, skip = 'none', norm = 'none', activation = 'relu', init = 'he', poolAfterStem = false, filterGradient } = options;
  const names = describeLayers({ depth, skip, blockSize: 1 });
  const layers: LayerSpec[] = [];
  let hidden = INPUT_ID;
  // Residual: the stream is the running sum of the conv outputs (pre-activations).
  let stream = INPUT_ID;
  names.forEach(({ id, label, group }, layer) => {
    layers.push({ id, label, group, type: 'conv2d', filters: channels, kernelSize, init, inputs: [hidden], ...(filterGradient ? { filterGradient } : {}) });
    let last = id;
    // Pooling the pre-activation keeps the stream and the activations the same size (max pooling and ReLU commute).
    if (layer === 0 && poolAfterStem) {
      layers.push({ id: `${id}.pool`, label: `${label}, max pool`, group, type: 'max-pool', size: 2, inputs: [last] });
      last = `${id}.pool`;
    }
    if (skip === 'residual' && layer > 0) {
      layers.push({ id: `${group}.add`, label: `${label}, skip`, group, type: 'add', inputs: [stream, last] });
      last = `${group}.add`;
    }
    stream = last;
    if (norm === 'batch') {
      layers.push({ id: `${id}.norm`, label: `${label}, batch norm`, group, type: 'batch-norm', inputs: [last] });
      last = `${id}.norm`;
    }
    hidden = `${id}.act`;
    layers.push({ id: hidden, label: `${label}, ${activation}`, group, type: 'activation', activation, inputs: [last] });
  });
  layers.push({ id: 'pool', label: 'global average pool', type: 'global-avg-pool', inputs: [hidden] });
  layers.push({ id: 'output', label: 'output layer', type: 'dense', units: classes, init: 'glorot', inputs: ['pool'] });
  return { inputShape, layers, loss: 'cross-entropy' };
}
