/**
 * The reference conv net and transformer of issue 9's bench, built twice: with the engine's graph
 * model and with TensorFlow.js's own Layers API (tf.sequential / tf.model and trainOnBatch), same
 * shapes, data, loss, optimiser (Adam, learning rate 0.003) and batch size.
 * - conv: 32×32×1 input, 4 conv layers of 8 channels (3×3, 'same', ReLU), global average pooling,
 *   dense output over 3 classes (the shapes classification set); batch 32. The engine's conv layers
 *   take their filter gradient from forward convolutions (`filterGradient: 'conv'`, the faster of
 *   its two ways on both back-ends: ~5× im2col's speed on cpu in Node, 2.4× on wasm), as the
 *   chapter 4 image lab does.
 * - transformer: the sort task (vocabulary 10, sequence 12), 2 pre-LN blocks of d_model 32 with 4
 *   heads and a feed-forward width of 64, sinusoidal positions; batch 32.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../src/engine/models/graph';
import { convNetSpec } from '../src/engine/models/conv-net';
import { transformerSpec } from '../src/engine/models/transformer';
import { makeShapesClassification } from '../src/engine/data/shapes';
import { makeSequenceTask } from '../src/engine/data/sequences';
import { sinusoidalTable } from '../src/engine/attention-math';
import type { TensorDataset } from '../src/engine/data/tensor-dataset';

export type GraphBenchModel = 'conv' | 'transformer';
/** layers-one-hot: the Layers API transformer fed one-hot tokens into a dense layer (tf.layers.embedding cannot train on wasm). */
export type GraphBenchImplementation = 'engine' | 'layers' | 'layers-one-hot';

export interface GraphBenchRequest {
  model: GraphBenchModel;
  implementation: GraphBenchImplementation;
  backend: 'wasm' | 'cpu';
  seconds: number;
}

export interface GraphBenchResult extends GraphBenchRequest {
  /** The back-end that actually ran (cpu when wasm failed to load). */
  backendUsed: string;
  stepsPerSecond?: number;
  steps?: number;
  finalLoss?: number;
  /** Why this implementation cannot train here (e.g. a kernel missing on wasm). */
  error?: string;
  round?: number;
}

export const BATCH = 32;
export const LEARNING_RATE = 0.003;
const CONV = { size: 32, channels: 8, layers: 4, classes: 3 };
const TRANSFORMER = { vocabSize: 10, sequenceLength: 12, dModel: 32, heads: 4, layers: 2, ffnSize: 64 };

export function referenceData(model: GraphBenchModel): TensorDataset {
  return model === 'conv'
    ? makeShapesClassification({ size: 256, seed: 1, imageSize: CONV.size })
    : makeSequenceTask({ task: 'sort', size: 512, seed: 1, length: TRANSFORMER.sequenceLength, vocabSize: TRANSFORMER.vocabSize });
}

export function referenceSpec(model: GraphBenchModel): ModelSpec {
  return model === 'conv'
    ? convNetSpec({ inputShape: [CONV.size, CONV.size, 1], classes: CONV.classes, depth: CONV.layers, channels: CONV.channels, filterGradient: 'conv' })
    : transformerSpec({ ...TRANSFORMER, positional: 'sinusoidal', norm: 'pre' });
}

/** Adds the sinusoidal position codes (the engine's table). */
class PositionalEncoding extends tfl.layers.Layer {
  static className = 'PositionalEncoding';
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.add(x, tf.tensor2d(sinusoidalTable(TRANSFORMER.sequenceLength, TRANSFORMER.dModel), [TRANSFORMER.sequenceLength, TRANSFORMER.dModel]));
  }
}

/** Multi-head self-attention as a Layers API custom layer (tfjs-layers 4.22 has none built in): the engine's arithmetic. */
class SelfAttention extends tfl.layers.Layer {
  static className = 'SelfAttention';
  private weightsByName: Record<string, tfl.LayerVariable> = {};

  build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const dim = TRANSFORMER.dModel;
    for (const name of ['query', 'key', 'value', 'output']) {
      this.weightsByName[name] = this.addWeight(name, [dim, dim], 'float32', tfl.initializers.glorotNormal({}));
      this.weightsByName[`${name}.bias`] = this.addWeight(`${name}_bias`, [dim], 'float32', tfl.initializers.zeros());
    }
    super.build(inputShape);
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const { sequenceLength: length, dModel: dim, heads } = TRANSFORMER;
    const headSize = dim / heads;
    const w = (name: string) => this.weightsByName[name].read();
    const batch = x.shape[0];
    const project = (name: string) => tf.add(tf.reshape(tf.matMul(tf.reshape(x, [-1, dim]), w(name)), [batch, length, dim]), w(`${name}.bias`));
    const split = (name: string, order: number[]) => tf.transpose(tf.reshape(project(name), [batch, length, heads, headSize]), order);
    const scores = tf.mul(tf.matMul(split('query', [0, 2, 1, 3]), split('key', [0, 2, 3, 1])), 1 / Math.sqrt(headSize));
    const mixed = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), split('value', [0, 2, 1, 3])), [0, 2, 1, 3]), [-1, dim]);
    return tf.reshape(tf.add(tf.matMul(mixed, w('output')), w('output.bias')), [batch, length, dim]);
  }
}

function layersTransformer(oneHot: boolean): tfl.LayersModel {
  const { vocabSize, sequenceLength, dModel, layers, ffnSize } = TRANSFORMER;
  const input = oneHot ? tfl.input({ shape: [sequenceLength, vocabSize] }) : tfl.input({ shape: [sequenceLength] });
  const embedded = oneHot
    ? tfl.layers.dense({ units: dModel, useBias: false }).apply(input)
    : tfl.layers.embedding({ inputDim: vocabSize, outputDim: dModel }).apply(input);
  let x = new PositionalEncoding({}).apply(embedded) as tfl.SymbolicTensor;
  for (let block = 0; block < layers; block++) {
    const attended = new SelfAttention({}).apply(tfl.layers.layerNormalization({}).apply(x)) as tfl.SymbolicTensor;
    x = tfl.layers.add().apply([x, attended]) as tfl.SymbolicTensor;
    const hidden = tfl.layers.dense({ units: ffnSize, activation: 'relu', kernelInitializer: 'heNormal' }).apply(tfl.layers.layerNormalization({}).apply(x));
    x = tfl.layers.add().apply([x, tfl.layers.dense({ units: dModel }).apply(hidden) as tfl.SymbolicTensor]) as tfl.SymbolicTensor;
  }
  const output = tfl.layers.dense({ units: vocabSize, activation: 'softmax' }).apply(tfl.layers.layerNormalization({}).apply(x)) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output });
}

function layersConvNet(): tfl.LayersModel {
  const convs = Array.from({ length: CONV.layers }, (_, i) =>
    tfl.layers.conv2d({ filters: CONV.channels, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'heNormal', ...(i === 0 ? { inputShape: [CONV.size, CONV.size, 1] } : {}) }),
  );
  return tfl.sequential({ layers: [...convs, tfl.layers.globalAveragePooling2d({}), tfl.layers.dense({ units: CONV.classes, activation: 'softmax' })] });
}

/** The Layers API model, compiled with Adam and categorical cross-entropy (softmax outputs). */
export function layersModel(model: GraphBenchModel, implementation: GraphBenchImplementation): tfl.LayersModel {
  const built = model === 'conv' ? layersConvNet() : layersTransformer(implementation === 'layers-one-hot');
  built.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'categoricalCrossentropy' });
  return built;
}
