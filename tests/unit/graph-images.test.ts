/**
 * Image layers and data of the graph model: finite-difference checks of convolution, transposed
 * convolution, pooling and upsampling gradients (the convolution's filter gradient is computed by
 * hand as im2col, so this is its check); the shapes data sets; the Fashion-MNIST subset shipped in
 * public/data; bad image specs rejected with the layer's name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { initNodeBackend } from '../../src/engine/backend-node';
import { GraphModel, type ModelSpec } from '../../src/engine/models/graph';
import type { LayerSpec } from '../../src/engine/layers/types';
import { unetSpec } from '../../src/engine/models/unet';
import { convNetSpec } from '../../src/engine/models/conv-net';
import { makeShapesClassification, makeShapesSegmentation } from '../../src/engine/data/shapes';
import { FASHION_MNIST_CLASSES, decodeFashionMnistImages, encodeFashionMnist, fashionMnistFromFile } from '../../src/engine/data/fashion-mnist';
import { checkGradientsByFiniteDifferences, randomData } from './helpers/graph-checks';

beforeAll(async () => {
  await initNodeBackend();
});

/** [6, 6, 2] maps: conv → (layers under test) → global average pool → 3 classes. */
function imageModel(layers: LayerSpec[], inputShape = [6, 6, 2]): ModelSpec {
  return {
    inputShape,
    loss: 'cross-entropy',
    layers: [{ id: 'first', type: 'conv2d', filters: 3, activation: 'tanh', initScale: 1.5 }, ...layers, { id: 'gap', type: 'global-avg-pool' }, { id: 'head', type: 'dense', units: 3 }],
  };
}

describe('image layers’ gradients match finite differences', () => {
  const data = randomData([6, 6, 2], [3], 3, 31);
  it('conv2d 3×3 and 5×5 (im2col filter gradient), with and without bias', () => {
    checkGradientsByFiniteDifferences(imageModel([{ id: 'conv', type: 'conv2d', filters: 2, activation: 'sigmoid' }]), data);
    checkGradientsByFiniteDifferences(imageModel([{ id: 'conv', type: 'conv2d', filters: 2, kernelSize: 5, bias: false }]), data);
  });
  it('conv2d 3×3 and 5×5 with the filter gradient as a convolution (and the input gradient as one)', () => {
    checkGradientsByFiniteDifferences(imageModel([{ id: 'conv', type: 'conv2d', filters: 2, activation: 'sigmoid', filterGradient: 'conv' }]), data);
    checkGradientsByFiniteDifferences(imageModel([{ id: 'conv', type: 'conv2d', filters: 3, kernelSize: 5, bias: false, filterGradient: 'conv' }]), data);
  });
  it('conv2d 1×1', () => {
    checkGradientsByFiniteDifferences(imageModel([{ id: 'conv', type: 'conv2d', filters: 4, kernelSize: 1, activation: 'tanh' }]), data);
  });
  it('max pool', () => {
    // A small step: within ε of a tie between two window entries the loss has a kink.
    checkGradientsByFiniteDifferences(imageModel([{ id: 'pool', type: 'max-pool', size: 2 }]), data, 3, undefined, 2e-4);
  });
  it('average pool', () => {
    checkGradientsByFiniteDifferences(imageModel([{ id: 'pool', type: 'avg-pool', size: 3 }]), data);
  });
  it('nearest upsampling and transposed convolution', () => {
    checkGradientsByFiniteDifferences(imageModel([{ id: 'up', type: 'upsample', factor: 2 }, { id: 'conv', type: 'conv2d', filters: 2 }]), data);
    checkGradientsByFiniteDifferences(imageModel([{ id: 'up', type: 'conv2d-transpose', filters: 2, activation: 'tanh' }]), data);
  });
  it('concatenated and added feature maps (U-Net joins), batch norm on maps', () => {
    checkGradientsByFiniteDifferences(imageModel([{ id: 'side', type: 'conv2d', filters: 2 }, { id: 'join', type: 'concat', inputs: ['first', 'side'] }, { id: 'norm', type: 'batch-norm' }]), data);
    checkGradientsByFiniteDifferences(imageModel([{ id: 'side', type: 'conv2d', filters: 3 }, { id: 'join', type: 'add', inputs: ['first', 'side'] }]), data);
  });
  it('a whole small U-Net with a mask loss', () => {
    const spec = unetSpec({ inputShape: [4, 4, 1], levels: 1, baseChannels: 2, upsampling: 'transpose' });
    checkGradientsByFiniteDifferences(spec, randomData([4, 4, 1], [4, 4, 1], 2, 32), 4, (name) => name.endsWith('kernel'));
  });
});

describe('U-Net and conv-net builders', () => {
  it('a U-Net names its levels and long skips, and its output is a mask of the input size', () => {
    const model = new GraphModel(unetSpec({ inputShape: [16, 16, 1], levels: 2, baseChannels: 4 }), 1);
    expect(model.outputShape).toEqual([16, 16, 1]);
    expect(model.layers.map((l) => l.id)).toEqual(['enc1.conv1', 'enc1.conv2', 'enc2.conv1', 'enc2.conv2', 'bottleneck.conv1', 'bottleneck.conv2', 'dec2.up', 'dec2.conv1', 'dec2.conv2', 'dec1.up', 'dec1.conv1', 'dec1.conv2', 'head']);
    expect(model.allLayers.filter((l) => l.id.endsWith('.skip')).map((l) => l.label)).toEqual(['decoder 2, long skip', 'decoder 1, long skip']);
    // Concatenation doubles the channels the next conv reads: 8 + 8 at level 2.
    expect(model.parameterShapes[model.parameterNames.indexOf('dec2.conv1.kernel')]).toEqual([3, 3, 16, 8]);
    model.dispose();
    const without = new GraphModel(unetSpec({ inputShape: [16, 16, 1], levels: 2, baseChannels: 4, skips: 'none' }), 1);
    expect(without.allLayers.some((l) => l.id.endsWith('.skip'))).toBe(false);
    expect(without.parameterShapes[without.parameterNames.indexOf('dec2.conv1.kernel')]).toEqual([3, 3, 8, 8]);
    without.dispose();
  });
  it('a residual conv net can lose a block at evaluation', () => {
    const data = makeShapesClassification({ size: 24, seed: 3, imageSize: 8 });
    const model = new GraphModel(convNetSpec({ inputShape: [8, 8, 1], classes: 3, depth: 3, channels: 4, skip: 'residual' }), 2);
    expect(model.layers.map((l) => l.id)).toEqual(['stem', 'block1.layer1', 'block2.layer1', 'output']);
    expect(model.evaluate(data, { lesion: ['block2'] }).loss).not.toBeCloseTo(model.evaluate(data).loss, 4);
    model.dispose();
  });
});

describe('bad image specs name the layer and the problem', () => {
  const cases: [string, ModelSpec, RegExp][] = [
    ['a convolution of a flat input', { inputShape: [10], loss: 'mse', layers: [{ id: 'c', type: 'conv2d', filters: 2 }] }, /layer "c" \(conv2d\): needs a \[height, width, channels\] feature map \(3 axes per example\), got shape \[10\]/],
    ['an even kernel', { inputShape: [8, 8, 1], loss: 'mse', layers: [{ id: 'c', type: 'conv2d', filters: 2, kernelSize: 2 }] }, /layer "c" \(conv2d\): kernelSize must be odd/],
    ['pooling a size that does not divide', { inputShape: [7, 8, 1], loss: 'mse', layers: [{ id: 'p', type: 'max-pool' }] }, /layer "p" \(max-pool\): windows of 2×2 need a height and width that divide by 2, got \[7, 8, 1\]/],
    ['a U-Net whose input does not halve evenly', unetSpec({ inputShape: [12, 12, 1], levels: 3 }), /layer "enc3.pool" \(max-pool\): windows of 2×2 need a height and width that divide by 2, got \[3, 3, 32\]/],
    ['joining maps of different sizes', { inputShape: [8, 8, 1], loss: 'mse', layers: [{ id: 'p', type: 'max-pool' }, { id: 'j', type: 'concat', inputs: ['input', 'p'] }] }, /layer "j" \(concat\): concatenates inputs whose shapes differ before the last axis: input 1 is \[8, 8, 1\], input 2 is \[4, 4, 1\]/],
    ['zero filters', { inputShape: [8, 8, 1], loss: 'mse', layers: [{ id: 'c', type: 'conv2d', filters: 0 }] }, /layer "c" \(conv2d\): filters must be a positive integer, got 0/],
  ];
  for (const [name, spec, message] of cases) it(name, () => expect(() => new GraphModel(spec, 1)).toThrow(message));
});

describe('shapes data sets', () => {
  it('segmentation: the same seed gives the same images; masks cover some pixels but not most', () => {
    const a = makeShapesSegmentation({ size: 20, seed: 5 });
    const b = makeShapesSegmentation({ size: 20, seed: 5 });
    const c = makeShapesSegmentation({ size: 20, seed: 6 });
    expect(a.inputShape).toEqual([32, 32, 1]);
    expect(a.targetShape).toEqual([32, 32, 1]);
    expect(a.inputs).toEqual(b.inputs);
    expect(a.inputs).not.toEqual(c.inputs);
    const covered = a.targets.reduce((s, v) => s + v, 0) / a.targets.length;
    expect(covered).toBeGreaterThan(0.05);
    expect(covered).toBeLessThan(0.6);
    // Inside a shape pixels are brighter on average than outside.
    const mean = (inShape: boolean) => {
      let sum = 0;
      let count = 0;
      a.targets.forEach((t, i) => {
        if ((t === 1) === inShape) {
          sum += a.inputs[i];
          count++;
        }
      });
      return sum / count;
    };
    expect(mean(true)).toBeGreaterThan(0.5);
    expect(Math.abs(mean(false))).toBeLessThan(0.05);
  });
  it('circles only: fewer pixels marked than all shapes', () => {
    const all = makeShapesSegmentation({ size: 40, seed: 7 });
    const circles = makeShapesSegmentation({ size: 40, seed: 7, segment: 'circles' });
    expect(circles.inputs).toEqual(all.inputs);
    expect(circles.targets.reduce((s, v) => s + v, 0)).toBeLessThan(all.targets.reduce((s, v) => s + v, 0));
  });
  it('classification: balanced classes, one-hot targets', () => {
    const data = makeShapesClassification({ size: 30, seed: 1, imageSize: 16 });
    expect(data.inputShape).toEqual([16, 16, 1]);
    const counts = [0, 0, 0];
    for (let i = 0; i < data.size; i++) counts[data.targets.subarray(i * 3, i * 3 + 3).indexOf(1)]++;
    expect(counts).toEqual([10, 10, 10]);
  });
});

describe('the Fashion-MNIST subset shipped with the site', () => {
  const path = new URL('../../public/data/fashion-mnist-subset.bin.gz', import.meta.url);
  const bytes = readFileSync(path);
  it('is under 3 MB, holds 6,000 + 1,000 balanced 28×28 images, and decodes to [0, 1] pixels', async () => {
    expect(bytes.length).toBeLessThan(3_000_000);
    const { train, test } = await fashionMnistFromFile(bytes);
    expect(train.size).toBe(6000);
    expect(test.size).toBe(1000);
    expect(train.inputShape).toEqual([28, 28, 1]);
    expect(train.classNames).toEqual(FASHION_MNIST_CLASSES);
    for (const [set, perClass] of [[train, 600], [test, 100]] as const) {
      const counts = new Array(10).fill(0);
      for (let i = 0; i < set.size; i++) counts[set.targets.subarray(i * 10, i * 10 + 10).indexOf(1)]++;
      expect(counts).toEqual(new Array(10).fill(perClass));
    }
    let max = 0;
    let sum = 0;
    for (const v of train.inputs) {
      max = Math.max(max, v);
      sum += v;
    }
    expect(max).toBe(1);
    // Fashion-MNIST's mean pixel is about 0.29 (72.9 / 255).
    expect(sum / train.inputs.length).toBeGreaterThan(0.25);
    expect(sum / train.inputs.length).toBeLessThan(0.33);
  });
  it('the file format round-trips losslessly', () => {
    const decoded = decodeFashionMnistImages(gunzipSync(bytes));
    const again = decodeFashionMnistImages(encodeFashionMnist(decoded));
    // Byte comparisons (a deep equal of 5.5 million entries is slow).
    expect(Buffer.compare(again.images, decoded.images)).toBe(0);
    expect(Buffer.compare(again.trainLabels, decoded.trainLabels)).toBe(0);
    expect(Buffer.compare(again.testLabels, decoded.testLabels)).toBe(0);
    expect(() => decodeFashionMnistImages(new Uint8Array(40))).toThrow(/Not a Fashion-MNIST subset file/);
  });
});
