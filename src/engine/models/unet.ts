/**
 * U-Net-shaped models (Ronneberger et al. 2015): an encoder of conv pairs and 2×2 max pooling, a
 * bottleneck, and a decoder that upsamples and joins each level's encoder output through a long
 * skip, then a 1×1 convolution per pixel. The skips can be switched off, or join by addition
 * instead of concatenation, so a chapter can compare them on the same data.
 *
 * Layer names: enc1.conv1, enc1.conv2, enc1.pool, …, bottleneck.conv1, bottleneck.conv2,
 * dec2.up, dec2.skip, dec2.conv1, dec2.conv2, …, head.
 */
import type { Activation, Init, Norm } from '../types';
import type { LayerSpec } from '../layers/types';
import { INPUT_ID, type GraphLoss, type ModelSpec } from './graph';

export interface UnetOptions {
  /** [height, width, channels]; height and width must divide by 2^levels. */
  inputShape: [number, number, number];
  /** Encoder levels (poolings), default 2. */
  levels?: number;
  /** Channels of the first level, doubled per level; default 8. */
  baseChannels?: number;
  /** How the long skips join: concatenation (U-Net), addition, or none at all. Default 'concat'. */
  skips?: 'concat' | 'add' | 'none';
  /** Levels (1 = full resolution) that keep their long skip; default every level. Ignored when skips is 'none'. */
  skipLevels?: readonly number[];
  /** Nearest-neighbour upsampling followed by a 1×1 conv, or a 2×2 transposed convolution. Default 'nearest'. */
  upsampling?: 'nearest' | 'transpose';
  /** Output channels per pixel; default 1 (a mask, binary cross-entropy). */
  outputChannels?: number;
  loss?: GraphLoss;
  activation?: Activation;
  norm?: Exclude<Norm, 'layer'>;
  init?: Init;
}

export function unetSpec(options: UnetOptions): ModelSpec {
  const { inputShape, levels = 2, baseChannels = 8, skips = 'concat', skipLevels, upsampling = 'nearest', outputChannels = 1, activation = 'relu', norm = 'none', init = 'he' } = options;
  const layers: LayerSpec[] = [];
  let last = INPUT_ID;
  const add = (layer: LayerSpec) => {
    layers.push(layer);
    last = layer.id;
  };
  /** Two 3×3 convolutions, each followed by (batch norm and) the activation. */
  const convPair = (group: string, label: string, channels: number) => {
    for (const n of [1, 2]) {
      const id = `${group}.conv${n}`;
      if (norm === 'batch') {
        add({ id, label: `${label}, conv ${n}`, group, type: 'conv2d', filters: channels, init, inputs: [last] });
        add({ id: `${id}.norm`, label: `${label}, conv ${n} norm`, group, type: 'batch-norm', inputs: [last] });
        add({ id: `${id}.act`, label: `${label}, conv ${n} ${activation}`, group, type: 'activation', activation, inputs: [last] });
      } else {
        add({ id, label: `${label}, conv ${n}`, group, type: 'conv2d', filters: channels, activation, init, inputs: [last] });
      }
    }
  };
  const encoderOutputs: string[] = [];
  for (let level = 1; level <= levels; level++) {
    convPair(`enc${level}`, `encoder ${level}`, baseChannels * 2 ** (level - 1));
    encoderOutputs.push(last);
    add({ id: `enc${level}.pool`, label: `encoder ${level}, max pool`, group: `enc${level}`, type: 'max-pool', size: 2, inputs: [last] });
  }
  convPair('bottleneck', 'bottleneck', baseChannels * 2 ** levels);
  for (let level = levels; level >= 1; level--) {
    const group = `dec${level}`;
    const channels = baseChannels * 2 ** (level - 1);
    if (upsampling === 'transpose') {
      add({ id: `${group}.up`, label: `decoder ${level}, transposed conv`, group, type: 'conv2d-transpose', filters: channels, activation, init, inputs: [last] });
    } else {
      add({ id: `${group}.upsample`, label: `decoder ${level}, upsample`, group, type: 'upsample', factor: 2, inputs: [last] });
      add({ id: `${group}.up`, label: `decoder ${level}, 1×1 conv`, group, type: 'conv2d', kernelSize: 1, filters: channels, activation, init, inputs: [last] });
    }
    if (skips !== 'none' && (skipLevels === undefined || skipLevels.includes(level))) {
      add({ id: `${group}.skip`, label: `decoder ${level}, long skip`, group, type: skips, inputs: [encoderOutputs[level - 1], last] });
    }
    convPair(group, `decoder ${level}`, channels);
  }
  add({ id: 'head', label: 'output, 1×1 conv', type: 'conv2d', kernelSize: 1, filters: outputChannels, init: 'glorot', inputs: [last] });
  return { inputShape, layers, loss: options.loss ?? 'binary-cross-entropy' };
}
