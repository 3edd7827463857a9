/** The layer kinds by spec type: one place that knows them all. */
import type { BuiltLayer, LayerSpec, LayerType } from './types';
import { specError } from './types';
import { buildActivation } from './activation';
import { buildDense } from './dense';
import { buildAdd, buildConcat } from './merge';
import { buildBatchNorm, buildLayerNorm } from './norm';
import { buildDropout, buildFlatten } from './reshape';
import { buildConv2d, buildConv2dTranspose } from './conv';
import { buildGlobalAvgPool, buildPool, buildUpsample } from './pool';
import { buildAttention, buildEmbedding, buildPositional } from './sequence';

export const LAYER_TYPES: readonly LayerType[] = [
  'dense',
  'activation',
  'add',
  'concat',
  'batch-norm',
  'layer-norm',
  'dropout',
  'flatten',
  'conv2d',
  'conv2d-transpose',
  'max-pool',
  'avg-pool',
  'global-avg-pool',
  'upsample',
  'embedding',
  'positional',
  'attention',
];

/** Checks a spec against its input shapes and returns the ready layer; throws LayerSpecError. */
export function buildLayer(spec: LayerSpec, inputShapes: readonly number[][]): BuiltLayer {
  switch (spec.type) {
    case 'dense':
      return buildDense(spec, inputShapes);
    case 'activation':
      return buildActivation(spec, inputShapes);
    case 'add':
      return buildAdd(spec, inputShapes);
    case 'concat':
      return buildConcat(spec, inputShapes);
    case 'batch-norm':
      return buildBatchNorm(spec, inputShapes);
    case 'layer-norm':
      return buildLayerNorm(spec, inputShapes);
    case 'dropout':
      return buildDropout(spec, inputShapes);
    case 'flatten':
      return buildFlatten(spec, inputShapes);
    case 'conv2d':
      return buildConv2d(spec, inputShapes);
    case 'conv2d-transpose':
      return buildConv2dTranspose(spec, inputShapes);
    case 'max-pool':
    case 'avg-pool':
      return buildPool(spec, inputShapes);
    case 'global-avg-pool':
      return buildGlobalAvgPool(spec, inputShapes);
    case 'upsample':
      return buildUpsample(spec, inputShapes);
    case 'embedding':
      return buildEmbedding(spec, inputShapes);
    case 'positional':
      return buildPositional(spec, inputShapes);
    case 'attention':
      return buildAttention(spec, inputShapes);
    default: {
      // Specs come from settings and code alike: an unknown type is a message, not a crash.
      const unknownSpec: { type?: unknown } = spec;
      return specError(`unknown layer type ${JSON.stringify(unknownSpec.type)}; known types: ${LAYER_TYPES.join(', ')}`);
    }
  }
}
