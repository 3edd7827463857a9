/**
 * The graph model: a network of named layers (../layers) whose skip edges are explicit inputs,
 * differentiated by TF.js autodiff. Any architecture the layers can express (MLPs with residual
 * or dense skips, U-Nets, transformers) is a `ModelSpec`; the MLP fast path (../mlp.ts) remains
 * for the batched plain/residual/dense MLPs of the early chapters.
 *
 * ```ts
 * const model = new GraphModel({
 *   inputShape: [2],
 *   loss: 'cross-entropy',
 *   layers: [
 *     { id: 'stem', type: 'dense', units: 16, activation: 'relu' },
 *     { id: 'block1.dense', type: 'dense', units: 16, activation: 'relu' },
 *     { id: 'block1.add', type: 'add', inputs: ['stem', 'block1.dense'] },
 *     { id: 'head', type: 'dense', units: 2 },
 *   ],
 * }, seed);
 * model.getParameter('block1.dense.kernel');        // Float32Array, row-major [16, 16]
 * model.evaluate(data, { lesion: ['block1'] });     // loss without block 1's branch
 * model.dispose();
 * ```
 *
 * - Parameters are named `<layer id>.<param>` (kernel, bias, gamma, beta, ...), readable and
 *   settable as Float32Arrays by name or as one flat vector in `parameterNames` order.
 * - `layers` (LayerInfo) lists the layers with weights, in spec order: the order of every
 *   per-layer statistic in records (RunInfo.layers).
 * - Lesions: naming a layer replaces its output by its first input (the shapes must agree);
 *   naming a group (e.g. 'block3') replaces the output of the group's last layer by the first
 *   value that enters the group from outside: a residual block reduces to its skip.
 * - A spec that cannot be built throws a GraphSpecError naming the layer and the problem, before
 *   any tensor is made.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core ships its gradient functions separately so bundles can leave them out; autodiff needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { LayerInfo, Loss } from '../types';
import type { BuiltLayer, LayerSpec } from '../layers/types';
import { LayerSpecError, describeShape } from '../layers/types';
import { buildLayer } from '../layers';
import { createRandom, deriveSeed } from '../random';
import { exampleSize, leadingBatch, type Batch, type TensorDataset } from '../data/tensor-dataset';

/** mse and cross-entropy (softmax over the last axis) as in the MLP; binary cross-entropy: a sigmoid per output (segmentation masks). */
export type GraphLoss = Loss | 'binary-cross-entropy';

export interface ModelSpec {
  /** Per-example input shape: [features], [height, width, channels] or [sequence length]. */
  inputShape: number[];
  /** 'tokens': integer ids for an embedding layer. Default 'float'. */
  inputKind?: 'float' | 'tokens';
  layers: LayerSpec[];
  /** Id of the layer whose output is the model's output; default the last layer. */
  output?: string;
  loss: GraphLoss;
}

/** A spec that cannot be built, with the layer it concerns. */
export class GraphSpecError extends Error {
  constructor(
    message: string,
    readonly layerId?: string,
  ) {
    super(message);
  }
}

/** The model input's id in `inputs` lists. */
export const INPUT_ID = 'input';

interface Node {
  spec: LayerSpec;
  info: LayerInfo;
  built: BuiltLayer;
  /** Node indices of the inputs; -1 is the model input. */
  inputs: number[];
  /** Indices into the model's parameter list, by the layer's param name. */
  params: Record<string, number>;
  /** Indices into the model's state list, by the layer's state name. */
  state: Record<string, number>;
}

export interface ForwardOptions {
  training: boolean;
  /** Step number, for dropout masks that differ per step but repeat per seed. */
  step?: number;
  /** Layer ids or group names to skip (see the module comment). */
  lesion?: readonly string[];
  /** Layer ids (their outputs) or internal values such as 'block1.attn.weights' to return in `captured`. */
  capture?: readonly string[];
}

/** A captured value read back: shape (batch axis first) and row-major values. */
export interface Inspected {
  shape: number[];
  values: Float32Array;
}

export interface ForwardResult {
  output: tf.Tensor;
  /** New state values (batch norm running statistics) by state index, training only. */
  stateUpdates: Map<number, tf.Tensor>;
  /** Layer outputs and internal values asked for in ForwardOptions.capture, by name. */
  captured: Map<string, tf.Tensor>;
}

export interface EvaluateOptions {
  lesion?: readonly string[];
  /** Evaluate at these parameters instead of the model's: a flat vector in `parameterNames` order, or values by name (the others stay). */
  parameters?: Float32Array | Readonly<Record<string, Float32Array>>;
  /** Use the first `examples` examples (default all, in chunks of `chunkSize`). */
  examples?: number;
  chunkSize?: number;
  /** Batch statistics and dropout as in training (default false: running statistics, no dropout). */
  training?: boolean;
}

export interface Evaluation {
  loss: number;
  accuracy?: number;
}

function defaultGroup(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
}

/** FNV-1a: a parameter's seed comes from its name, so adding a layer does not change the others' initial values. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/** Checks a spec and builds its layers; throws GraphSpecError naming the layer and the problem. */
function buildNodes(spec: ModelSpec): { nodes: Node[]; output: number; paramShapes: { name: string; shape: number[]; node: number }[]; stateShapes: { shape: number[]; init: 'zeros' | 'ones' }[] } {
  if (!Array.isArray(spec.inputShape) || spec.inputShape.length === 0 || spec.inputShape.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new GraphSpecError(`the input shape must be a list of positive integers, got ${JSON.stringify(spec.inputShape)}`);
  }
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new GraphSpecError('a model needs at least one layer');
  const index = new Map<string, number>([[INPUT_ID, -1]]);
  const shapes: number[][] = [];
  const nodes: Node[] = [];
  const paramShapes: { name: string; shape: number[]; node: number }[] = [];
  const stateShapes: { shape: number[]; init: 'zeros' | 'ones' }[] = [];
  spec.layers.forEach((layer, position) => {
    const name = typeof layer.id === 'string' && layer.id !== '' ? layer.id : undefined;
    const where = name ? `layer "${name}" (${layer.type})` : `layer ${position + 1} (${layer.type})`;
    if (!name) throw new GraphSpecError(`${where}: every layer needs an id`);
    if (index.has(name)) throw new GraphSpecError(`${where}: the id "${name}" is ${name === INPUT_ID ? 'reserved for the model input' : 'used twice'}`, name);
    const inputIds = layer.inputs ?? [position === 0 ? INPUT_ID : spec.layers[position - 1].id];
    const inputs = inputIds.map((id) => {
      const found = index.get(id);
      if (found === undefined) {
        const later = spec.layers.some((other) => other.id === id);
        throw new GraphSpecError(`${where}: input "${id}" ${later ? 'comes later in the list (layers may only read earlier ones)' : 'is not a layer of this model'}`, name);
      }
      return found;
    });
    const inputShapes = inputs.map((i) => (i < 0 ? spec.inputShape : shapes[i]));
    const readsTokens = spec.inputKind === 'tokens' && inputs.includes(-1);
    if (readsTokens !== (layer.type === 'embedding')) {
      throw new GraphSpecError(readsTokens ? `${where}: the model input is token ids; only an embedding layer can read it` : `${where}: an embedding reads token ids: the model input, with inputKind 'tokens'`, name);
    }
    let built: BuiltLayer;
    try {
      built = buildLayer(layer, inputShapes);
    } catch (error) {
      if (error instanceof LayerSpecError) throw new GraphSpecError(`${where}: ${error.message}`, name);
      throw error;
    }
    const params: Record<string, number> = {};
    for (const param of built.params) params[param.name] = paramShapes.push({ name: `${name}.${param.name}`, shape: param.shape, node: nodes.length }) - 1;
    const state: Record<string, number> = {};
    for (const value of built.state) state[value.name] = stateShapes.push({ shape: value.shape, init: value.init }) - 1;
    index.set(name, nodes.length);
    shapes.push(built.outputShape);
    nodes.push({ spec: layer, info: { id: name, label: layer.label ?? name, group: layer.group ?? defaultGroup(name) }, built, inputs, params, state });
  });
  const outputId = spec.output ?? spec.layers[spec.layers.length - 1].id;
  const output = index.get(outputId);
  if (output === undefined || output < 0) throw new GraphSpecError(`the output "${outputId}" is not a layer of this model`);
  if (spec.loss !== 'mse' && spec.loss !== 'cross-entropy' && spec.loss !== 'binary-cross-entropy') {
    throw new GraphSpecError(`unknown loss ${JSON.stringify(spec.loss)}; known: mse, cross-entropy, binary-cross-entropy`);
  }
  return { nodes, output, paramShapes, stateShapes };
}

/** Loss of a batch, a scalar: mean over examples (and positions; and outputs, for MSE and binary cross-entropy). */
export function lossOf(loss: GraphLoss, output: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  if (loss === 'mse') return tf.mean(tf.square(tf.sub(output, targets)));
  if (loss === 'binary-cross-entropy') {
    // log(1 + e^z) − z·t, written to stay finite for large |z|.
    return tf.mean(tf.sub(tf.add(tf.relu(output), tf.softplus(tf.neg(tf.abs(output)))), tf.mul(output, targets)));
  }
  const positions = output.size / output.shape[output.rank - 1];
  return tf.div(tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(output)))), positions);
}

/** Fraction of correct predictions (argmax per position; sign per output for binary); undefined for MSE. */
export function accuracyOf(loss: GraphLoss, output: tf.Tensor, targets: tf.Tensor): tf.Tensor | undefined {
  if (loss === 'mse') return undefined;
  if (loss === 'binary-cross-entropy') return tf.mean(tf.cast(tf.equal(tf.greater(output, 0), tf.greater(targets, 0.5)), 'float32'));
  return tf.mean(tf.cast(tf.equal(tf.argMax(output, -1), tf.argMax(targets, -1)), 'float32'));
}

export class GraphModel {
  readonly spec: ModelSpec;
  readonly seed: number;
  /** Layers with weights, in spec order: the order of per-layer statistics. */
  readonly layers: readonly LayerInfo[];
  /** Every layer, in spec order. */
  readonly allLayers: readonly LayerInfo[];
  readonly parameterNames: readonly string[];
  readonly parameterShapes: readonly (readonly number[])[];
  /** For each entry of `layers`, the indices of its weight parameters. */
  readonly layerWeights: readonly (readonly number[])[];
  readonly outputShape: readonly number[];
  private readonly nodes: Node[];
  private readonly outputNode: number;
  private params: tf.Tensor[];
  private state: tf.Tensor[];
  private readonly parameterIndex: Map<string, number>;

  constructor(spec: ModelSpec, seed: number) {
    const { nodes, output, paramShapes, stateShapes } = buildNodes(spec);
    this.spec = spec;
    this.seed = seed;
    this.nodes = nodes;
    this.outputNode = output;
    this.outputShape = nodes[output].built.outputShape;
    this.allLayers = nodes.map((node) => node.info);
    const weighted = nodes.filter((node) => node.built.params.some((p) => p.weight));
    this.layers = weighted.map((node) => node.info);
    this.layerWeights = weighted.map((node) => node.built.params.filter((p) => p.weight).map((p) => node.params[p.name]));
    this.parameterNames = paramShapes.map((p) => p.name);
    this.parameterShapes = paramShapes.map((p) => p.shape);
    this.parameterIndex = new Map(this.parameterNames.map((name, i) => [name, i]));
    this.params = paramShapes.map(({ name, shape, node }) => {
      const param = nodes[node].built.params.find((p) => `${nodes[node].info.id}.${p.name}` === name)!;
      const values = new Float32Array(exampleSize(shape));
      const init = param.init;
      if (init.kind === 'ones') values.fill(1);
      else if (init.kind === 'values') values.set(init.values);
      else if (init.kind === 'normal') {
        const random = createRandom(deriveSeed(seed, hashName(name)));
        for (let i = 0; i < values.length; i++) values[i] = init.std * random.normal();
      }
      return tf.keep(tf.tensor(values, shape));
    });
    this.state = stateShapes.map(({ shape, init }) => tf.keep(init === 'ones' ? tf.ones(shape) : tf.zeros(shape)));
  }

  get parameterCount(): number {
    return this.params.reduce((sum, p) => sum + p.size, 0);
  }

  /** The parameter tensors, in `parameterNames` order (owned by the model: do not dispose). */
  get parameterTensors(): readonly tf.Tensor[] {
    return this.params;
  }

  private indexOf(name: string): number {
    const index = this.parameterIndex.get(name);
    if (index === undefined) throw new Error(`No parameter "${name}"; the model has ${this.parameterNames.join(', ')}`);
    return index;
  }

  getParameter(name: string): Float32Array {
    return Float32Array.from(this.params[this.indexOf(name)].dataSync());
  }

  setParameter(name: string, values: Float32Array): void {
    const index = this.indexOf(name);
    const shape = this.parameterShapes[index];
    if (values.length !== exampleSize(shape)) throw new Error(`Parameter "${name}" has ${exampleSize(shape)} values (shape ${describeShape(shape)}), got ${values.length}`);
    this.params[index].dispose();
    this.params[index] = tf.keep(tf.tensor(values, [...shape]));
  }

  /** Every parameter by name. */
  getParameters(): Record<string, Float32Array> {
    return Object.fromEntries(this.parameterNames.map((name) => [name, this.getParameter(name)]));
  }

  setParameters(values: Readonly<Record<string, Float32Array>>): void {
    for (const [name, value] of Object.entries(values)) this.setParameter(name, value);
  }

  /** All parameters as one vector, in `parameterNames` order (loss landscapes, distances between runs). */
  getFlatParameters(): Float32Array {
    const flat = new Float32Array(this.parameterCount);
    let offset = 0;
    for (const p of this.params) {
      flat.set(p.dataSync(), offset);
      offset += p.size;
    }
    return flat;
  }

  setFlatParameters(flat: Float32Array): void {
    if (flat.length !== this.parameterCount) throw new Error(`The model has ${this.parameterCount} parameters, got ${flat.length}`);
    let offset = 0;
    this.parameterNames.forEach((name, i) => {
      const size = exampleSize(this.parameterShapes[i]);
      this.setParameter(name, flat.slice(offset, offset + size));
      offset += size;
    });
  }

  /** Replaces the model's parameter tensors (the trainer's update); the old ones are disposed unless still listed. */
  replaceParameters(next: tf.Tensor[]): void {
    this.params.forEach((p, i) => {
      if (next[i] !== p) p.dispose();
    });
    this.params = next;
  }

  /** Adopts new state values (batch norm running statistics) after a training step. */
  replaceState(updates: Map<number, tf.Tensor>): void {
    for (const [index, value] of updates) {
      this.state[index].dispose();
      this.state[index] = value;
    }
  }

  /** Which node outputs replace which under the given lesions: node → source node (-1: model input). */
  resolveLesions(names: readonly string[]): Map<number, number> {
    const replaced = new Map<number, number>();
    const shapeOf = (node: number) => (node < 0 ? this.spec.inputShape : this.nodes[node].built.outputShape);
    for (const name of names) {
      const layer = this.nodes.findIndex((node) => node.info.id === name);
      if (layer >= 0) {
        const source = this.nodes[layer].inputs[0];
        if (!sameShape(shapeOf(source), shapeOf(layer))) {
          throw new Error(`Cannot skip layer "${name}": its output ${describeShape(shapeOf(layer))} differs from its input ${describeShape(shapeOf(source))}`);
        }
        replaced.set(layer, source);
        continue;
      }
      const members = this.nodes.map((node, i) => (node.info.group === name ? i : -1)).filter((i) => i >= 0);
      if (members.length === 0) throw new Error(`No layer or group "${name}" to skip; layers: ${this.nodes.map((n) => n.info.id).join(', ')}`);
      const last = members[members.length - 1];
      const entry = members.flatMap((i) => this.nodes[i].inputs).find((input) => !members.includes(input));
      if (entry === undefined || !sameShape(shapeOf(entry), shapeOf(last))) {
        throw new Error(`Cannot skip group "${name}": what enters it does not have the shape of what leaves it (${describeShape(shapeOf(last))})`);
      }
      replaced.set(last, entry);
    }
    return replaced;
  }

  /**
   * The forward pass at the given parameter tensors (the model's own by default). Call inside
   * tf.tidy or autodiff; inputs have the batch axis first.
   */
  forward(inputs: tf.Tensor, options: ForwardOptions, params: readonly tf.Tensor[] = this.params): ForwardResult {
    const lesions = options.lesion && options.lesion.length > 0 ? this.resolveLesions(options.lesion) : undefined;
    const outputs: tf.Tensor[] = [];
    const stateUpdates = new Map<number, tf.Tensor>();
    const wanted = new Set(options.capture ?? []);
    const captured = new Map<string, tf.Tensor>();
    const valueOf = (node: number) => (node < 0 ? inputs : outputs[node]);
    this.nodes.forEach((node, position) => {
      const source = lesions?.get(position);
      if (source !== undefined) {
        outputs.push(valueOf(source));
        return;
      }
      const layerParams: Record<string, tf.Tensor> = {};
      for (const [name, index] of Object.entries(node.params)) layerParams[name] = params[index];
      const layerState: Record<string, tf.Tensor> = {};
      for (const [name, index] of Object.entries(node.state)) layerState[name] = this.state[index];
      outputs.push(
        node.built.forward(node.inputs.map(valueOf), layerParams, {
          training: options.training,
          seed: deriveSeed(deriveSeed(this.seed, 3 + position), options.step ?? 0),
          state: layerState,
          setState: (name, value) => {
            if (options.training) stateUpdates.set(node.state[name], value);
          },
          capture: (name, value) => {
            if (wanted.has(`${node.info.id}.${name}`)) captured.set(`${node.info.id}.${name}`, value);
          },
        }),
      );
      if (wanted.has(node.info.id)) captured.set(node.info.id, outputs[position]);
    });
    return { output: outputs[this.outputNode], stateUpdates, captured };
  }

  /** Batch tensors with the model's input type. The caller disposes them. */
  batchTensors(batch: Batch): { inputs: tf.Tensor; targets: tf.Tensor } {
    this.checkBatch(batch);
    const inputs = this.spec.inputKind === 'tokens' ? tf.tensor(Int32Array.from(batch.inputs), batch.inputShape, 'int32') : tf.tensor(batch.inputs, batch.inputShape);
    return { inputs, targets: tf.tensor(batch.targets, batch.targetShape) };
  }

  /** Checks that data fits the model: input shape and the output against the targets. */
  checkBatch(batch: Batch): void {
    const expectedInput = this.spec.inputShape;
    if (!sameShape(batch.inputShape.slice(1), expectedInput)) {
      throw new GraphSpecError(`the data's examples have shape ${describeShape(batch.inputShape.slice(1))}, the model's input is ${describeShape(expectedInput)}`);
    }
    if (!sameShape(batch.targetShape.slice(1), this.outputShape)) {
      const last = this.nodes[this.outputNode].info.id;
      throw new GraphSpecError(`layer "${last}" (the output) gives ${describeShape(this.outputShape)} per example, the targets are ${describeShape(batch.targetShape.slice(1))}`, last);
    }
  }

  /**
   * Layer outputs or internal values (e.g. 'block1.attn.weights', [batch, heads, length, length])
   * on the first examples of a data set, evaluated as at test time. Unknown names are an error.
   */
  inspect(data: TensorDataset, names: readonly string[], options: { examples?: number; lesion?: readonly string[] } = {}): Record<string, Inspected> {
    const batch = leadingBatch(data, options.examples ?? data.size);
    this.checkBatch(batch);
    return tf.tidy(() => {
      const { inputs } = this.batchTensors(batch);
      const { captured } = this.forward(inputs, { training: false, lesion: options.lesion, capture: names });
      const missing = names.filter((name) => !captured.has(name));
      if (missing.length > 0) throw new Error(`Nothing to inspect under ${missing.map((n) => `"${n}"`).join(', ')}; layers: ${this.nodes.map((n) => n.info.id).join(', ')}`);
      return Object.fromEntries(names.map((name) => [name, { shape: captured.get(name)!.shape.slice(), values: Float32Array.from(captured.get(name)!.dataSync()) }]));
    });
  }

  /** Loss and gradient of every parameter on one batch, at the model's parameters (tests, gradient probes). */
  lossAndGradients(batch: Batch, options: Omit<ForwardOptions, 'training'> & { training?: boolean } = {}): { loss: number; gradients: Float32Array[] } {
    return tf.tidy(() => {
      const { inputs, targets } = this.batchTensors(batch);
      const { value, grads } = tf.valueAndGrads((...params: tf.Tensor[]) => lossOf(this.spec.loss, this.forward(inputs, { training: options.training ?? true, ...options }, params).output, targets))(this.params);
      return { loss: value.dataSync()[0], gradients: grads.map((g) => Float32Array.from(g.dataSync())) };
    });
  }

  /** Loss (and accuracy) over the first examples of a data set, optionally lesioned or at other parameters. */
  evaluate(data: TensorDataset, options: EvaluateOptions = {}): Evaluation {
    const count = Math.min(options.examples ?? data.size, data.size);
    const chunk = options.chunkSize ?? 256;
    const batch = leadingBatch(data, count);
    this.checkBatch(batch);
    const params = options.parameters ? this.parametersFrom(options.parameters) : undefined;
    try {
      let lossSum = 0;
      let correctSum = 0;
      for (let start = 0; start < count; start += chunk) {
        const end = Math.min(count, start + chunk);
        const [loss, accuracy] = tf.tidy(() => {
          const inputs = this.sliceBatch(batch.inputs, batch.inputShape, start, end, this.spec.inputKind === 'tokens');
          const targets = this.sliceBatch(batch.targets, batch.targetShape, start, end, false);
          const { output } = this.forward(inputs, { training: options.training ?? false, lesion: options.lesion }, params ?? this.params);
          const accuracy = accuracyOf(this.spec.loss, output, targets);
          return [lossOf(this.spec.loss, output, targets).dataSync()[0], accuracy ? accuracy.dataSync()[0] : NaN];
        });
        lossSum += loss * (end - start);
        correctSum += accuracy * (end - start);
      }
      return this.spec.loss === 'mse' ? { loss: lossSum / count } : { loss: lossSum / count, accuracy: correctSum / count };
    } finally {
      params?.forEach((p, i) => {
        if (p !== this.params[i]) p.dispose();
      });
    }
  }

  private sliceBatch(values: Float32Array | Int32Array, shape: number[], start: number, end: number, tokens: boolean): tf.Tensor {
    const size = exampleSize(shape.slice(1));
    const part = values.subarray(start * size, end * size);
    return tokens ? tf.tensor(Int32Array.from(part), [end - start, ...shape.slice(1)], 'int32') : tf.tensor(part, [end - start, ...shape.slice(1)]);
  }

  private parametersFrom(values: Float32Array | Readonly<Record<string, Float32Array>>): tf.Tensor[] {
    if (values instanceof Float32Array) {
      if (values.length !== this.parameterCount) throw new Error(`The model has ${this.parameterCount} parameters, got ${values.length}`);
      let offset = 0;
      return this.parameterShapes.map((shape) => {
        const size = exampleSize(shape);
        const tensor = tf.tensor(values.subarray(offset, offset + size), [...shape]);
        offset += size;
        return tensor;
      });
    }
    return this.params.map((p, i) => {
      const given = values[this.parameterNames[i]];
      if (!given) return p;
      if (given.length !== p.size) throw new Error(`Parameter "${this.parameterNames[i]}" has ${p.size} values, got ${given.length}`);
      return tf.tensor(given, p.shape);
    });
  }

  dispose(): void {
    [...this.params, ...this.state].forEach((t) => t.dispose());
    this.params = [];
    this.state = [];
  }
}
