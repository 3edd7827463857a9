/**
 * The MLPs of the fast path (../mlp.ts) as graph models: the same layers, skips and parameter
 * order, so a chapter can lesion, permute or probe an MLP through the graph model, and a test can
 * check one path against the other. Layer names follow the MLP's records: layer1 … layerN, or
 * stem, block1.layer1 … for residual nets; the output layer is 'output'.
 */
import type { NetworkConfig } from '../types';
import type { LayerSpec } from '../layers/types';
import { describeLayers } from '../layer-names';
import { INPUT_ID, type GraphLoss, type ModelSpec } from './graph';

export function mlpModelSpec(network: NetworkConfig, loss: GraphLoss): ModelSpec {
  const { depth, width, activation, init, norm, skip } = network;
  const blockSize = network.blockSize ?? 1;
  const initScale = network.initScale ?? (init === 'naive' ? 0.01 : 1);
  const layers: LayerSpec[] = [];
  const activations: string[] = [];
  let hidden = INPUT_ID;
  // Residual nets: the stream is the running sum of pre-activations (full pre-activation blocks).
  let stream = INPUT_ID;
  let blockInput = INPUT_ID;
  const names = describeLayers({ depth, skip, blockSize });
  for (let layer = 0; layer < depth; layer++) {
    const block = Math.floor((layer - 1) / blockSize) + 1;
    const { id, label, group } = names[layer];
    const opens = skip === 'residual' && layer >= 1 && (layer - 1) % blockSize === 0;
    const closes = skip === 'residual' && layer >= 1 && ((layer - 1) % blockSize === blockSize - 1 || layer === depth - 1);
    if (opens) blockInput = stream;
    let input = hidden;
    if (skip === 'dense' && layer > 0) {
      input = `${id}.inputs`;
      layers.push({ id: input, label: `${label}, inputs`, group, type: 'concat', inputs: [INPUT_ID, ...activations] });
    }
    layers.push({ id, label, group, type: 'dense', units: width, init, initScale, inputs: [input] });
    stream = id;
    if (closes) {
      stream = `block${block}.add`;
      layers.push({ id: stream, label: `block ${block}, skip`, group, type: 'add', inputs: [blockInput, id] });
    }
    let last = stream;
    if (norm !== 'none') {
      layers.push({ id: `${id}.norm`, label: `${label}, ${norm} norm`, group, type: norm === 'batch' ? 'batch-norm' : 'layer-norm', inputs: [last] });
      last = `${id}.norm`;
    }
    hidden = `${id}.act`;
    layers.push({ id: hidden, label: `${label}, ${activation}`, group, type: 'activation', activation, inputs: [last] });
    activations.push(hidden);
  }
  let outputInput = hidden;
  if (skip === 'dense') {
    outputInput = 'output.inputs';
    layers.push({ id: outputInput, label: 'output, inputs', group: 'output', type: 'concat', inputs: [INPUT_ID, ...activations] });
  }
  layers.push({ id: 'output', label: 'output layer', type: 'dense', units: network.outputSize, init, initScale, inputs: [outputInput] });
  return { inputShape: [network.inputSize], layers, loss };
}
