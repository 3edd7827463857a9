/**
 * Convolutions on [batch, height, width, channels] maps.
 *
 * TF.js's wasm back-end has no kernel for a convolution's filter gradient
 * (Conv2DBackpropFilter), so `tf.conv2d` cannot be differentiated there. The convolution here keeps
 * the native forward pass and input gradient (Conv2DBackpropInput, which wasm has) and computes
 * the filter gradient itself, as im2col: the k×k shifted copies of the padded input side by side
 * on the channel axis, times the output gradient, one matMul. Measured on wasm in Node (4 conv
 * layers of 8 channels, 32×32, batch 32): ~4× the speed of a convolution written entirely as
 * im2col (whose backward pass pads and sums k² slice gradients).
 *
 * The transposed convolution (kernel 2, stride 2) is a per-pixel matMul to 2×2×filters values and
 * a depth-to-space reshuffle: ops with gradients everywhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BuiltLayer, Conv2dSpec, Conv2dTransposeSpec } from './types';
import { specError } from './types';
import { activate } from './activation';
import { matMulLastAxis } from './dense';
import { biasParam, kernelParam } from './init';
import { positiveInteger, requireRank, singleInput } from './shapes';

/** [B, H, W, C] → [B·H·W, k·k·C]: each pixel's k×k neighbourhood (zero padded), in filter order (row, column, channel). */
function patches(x: tf.Tensor4D, kernelSize: number): tf.Tensor2D {
  const [batch, height, width, channels] = x.shape;
  const pad = (kernelSize - 1) / 2;
  const padded = tf.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]]);
  const shifted: tf.Tensor4D[] = [];
  for (let row = 0; row < kernelSize; row++) {
    for (let column = 0; column < kernelSize; column++) shifted.push(tf.slice(padded, [0, row, column, 0], [batch, height, width, channels]));
  }
  return tf.reshape(tf.concat(shifted, 3), [batch * height * width, kernelSize * kernelSize * channels]);
}

/**
 * dW as a native convolution: the padded input with batch and channel axes swapped,
 * [C, H+k−1, W+k−1, B], convolved ('valid') with the output gradient as a [H, W, B, F] filter,
 * gives [C, k, k, F]: dW[r, c, i, f] = Σ_{b,h,w} x_pad[b, h+r, w+c, i] · dy[b, h, w, f]. Three
 * transposes and one Conv2D, where im2col needs k² slices and a concat (slow on wasm).
 */
function filterGradientByConv(input: tf.Tensor4D, dy: tf.Tensor4D, kernelSize: number): tf.Tensor4D {
  const pad = (kernelSize - 1) / 2;
  const padded = tf.pad(input, [[0, 0], [pad, pad], [pad, pad], [0, 0]]);
  const byChannel = tf.transpose(padded, [3, 1, 2, 0]);
  const asFilter = tf.transpose(dy, [1, 2, 0, 3]);
  return tf.transpose(tf.conv2d(byChannel, asFilter, 1, 'valid'), [1, 2, 0, 3]);
}

/** 'same' convolution, stride 1, differentiable on every back-end (see the module comment). */
// TF.js types tensors by rank; the shapes were checked when the layer was built.
function makeConvolve(filterGradient: 'im2col' | 'conv') {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, kernel, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([input, kernel]);
    return {
      value: tf.conv2d(input, kernel, 1, 'same'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedInput, savedKernel] = saved;
        const [batch, height, width, channels] = savedInput.shape;
        const [kernelSize, , , filters] = savedKernel.shape;
        const outputGradient = tf.reshape(dy, [batch, height, width, filters]) as tf.Tensor4D;
        if (filterGradient === 'conv') {
          // dx as a forward convolution with the kernel turned 180° and its channel axes swapped
          // (wasm's Conv2DBackpropInput is several times slower than its Conv2D).
          const flipped = tf.reverse(tf.transpose(savedKernel, [0, 1, 3, 2]), [0, 1]) as tf.Tensor4D;
          return [tf.conv2d(outputGradient, flipped, 1, 'same'), filterGradientByConv(savedInput as tf.Tensor4D, outputGradient, kernelSize)];
        }
        const dx = tf.conv2dTranspose(outputGradient, savedKernel as tf.Tensor4D, [batch, height, width, channels], 1, 'same');
        // dW = patchesᵀ · dy, computed as (dyᵀ · patches)ᵀ: transposing dy ([N, filters]) is cheaper
        // than transposing the patches ([N, k·k·C]), and wasm's matMul is slow with transposeA.
        const dyRows = tf.transpose(tf.reshape(outputGradient, [batch * height * width, filters]));
        const dFilter = tf.reshape(tf.transpose(tf.matMul(dyRows, patches(savedInput as tf.Tensor4D, kernelSize))), savedKernel.shape);
        return [dx, dFilter];
      },
    };
  });
}

const convolveByIm2col = makeConvolve('im2col');
const convolveByConv = makeConvolve('conv');

export function buildConv2d(spec: Conv2dSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  requireRank(shape, 3, 'a [height, width, channels] feature map');
  const filters = positiveInteger('filters', spec.filters);
  const kernelSize = positiveInteger('kernelSize', spec.kernelSize ?? 3);
  if (kernelSize % 2 === 0) specError(`kernelSize must be odd ('same' padding keeps the size), got ${kernelSize}`);
  const [height, width, channels] = shape;
  const withBias = spec.bias ?? true;
  const receptive = kernelSize * kernelSize;
  const params = [kernelParam('kernel', [kernelSize, kernelSize, channels, filters], spec, receptive * channels, receptive * filters)];
  if (withBias) params.push(biasParam('bias', filters));
  return {
    outputShape: [height, width, filters],
    params,
    state: [],
    forward: ([x], p) => {
      // A 1×1 convolution is a dense layer on the channel axis.
      const linear = kernelSize === 1 ? matMulLastAxis(x, tf.reshape(p.kernel, [channels, filters])) : (spec.filterGradient === 'conv' ? convolveByConv : convolveByIm2col)(x, p.kernel);
      const z = withBias ? tf.add(linear, p.bias) : linear;
      return spec.activation ? activate(spec.activation, z) : z;
    },
  };
}

export function buildConv2dTranspose(spec: Conv2dTransposeSpec, inputShapes: readonly number[][]): BuiltLayer {
  const shape = singleInput(inputShapes);
  requireRank(shape, 3, 'a [height, width, channels] feature map');
  const filters = positiveInteger('filters', spec.filters);
  const [height, width, channels] = shape;
  const withBias = spec.bias ?? true;
  // Each output pixel receives `channels` inputs; each input feeds 2×2×filters outputs.
  const params = [kernelParam('kernel', [channels, 2, 2, filters], spec, channels, 4 * filters)];
  if (withBias) params.push(biasParam('bias', filters));
  return {
    outputShape: [2 * height, 2 * width, filters],
    params,
    state: [],
    forward: ([x], p) => {
      const batch = x.shape[0];
      const perPixel = matMulLastAxis(x, tf.reshape(p.kernel, [channels, 4 * filters]));
      // [B, H, W, 2, 2, F] → [B, H, 2, W, 2, F] → [B, 2H, 2W, F].
      const spread = tf.transpose(tf.reshape(perPixel, [batch, height, width, 2, 2, filters]), [0, 1, 3, 2, 4, 5]);
      const linear = tf.reshape(spread, [batch, 2 * height, 2 * width, filters]);
      const z = withBias ? tf.add(linear, p.bias) : linear;
      return spec.activation ? activate(spec.activation, z) : z;
    },
  };
}
