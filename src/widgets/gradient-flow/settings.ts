/**
 * The gradient-flow lab's settings table: the one source of its controls, URL state, CLI flags
 * and validation. Pure data.
 *
 * Defaults show the vanishing-gradient effect: a deep sigmoid network with small naive
 * initialisation and no normalisation or skips starves its first layers; switching `skip` to
 * `residual` (one setting) keeps every layer's gradient within about an order of magnitude.
 * Measured (seed 1, 2000 steps, wasm; geometric mean of each layer's gradient norm over the run):
 * plain: last/first ≈ 2e19, loss stays at 0.70 (chance); residual: last/first ≈ 0.4, loss
 * 0.70 → 0.30 and 89% accuracy by step 2000.
 */
import type { SettingSpec } from '../../engine/types';

export const gradientFlowSettings = [
  { key: 'depth', label: 'Hidden layers', kind: 'int', min: 2, max: 50, step: 1, default: 20, help: 'Number of hidden layers between the input and the output.' },
  { key: 'width', label: 'Units per layer', kind: 'int', min: 2, max: 64, step: 1, default: 16, help: 'Width of every hidden layer.' },
  {
    key: 'activation',
    label: 'Activation',
    kind: 'choice',
    options: [
      { value: 'sigmoid', label: 'Sigmoid' },
      { value: 'tanh', label: 'Tanh' },
      { value: 'relu', label: 'ReLU' },
      { value: 'linear', label: 'Linear (none)' },
    ],
    default: 'sigmoid',
    help: 'Non-linearity after each hidden layer.',
  },
  {
    key: 'init',
    label: 'Initialisation',
    kind: 'choice',
    options: [
      { value: 'naive', label: 'Naive: N(0, scale²)' },
      { value: 'glorot', label: 'Glorot / Xavier' },
      { value: 'he', label: 'He' },
    ],
    default: 'naive',
    help: 'How the starting weights are drawn.',
  },
  {
    key: 'initScale',
    label: 'Initial weight scale',
    kind: 'number',
    min: 0.001,
    max: 10,
    // 0.1, not the textbook 0.01: at 20 sigmoid layers N(0, 0.01²) makes the first layers'
    // gradients underflow float32 to exactly zero (below 1e-38), which a log-scale chart cannot
    // show. With 0.1 they are ~1e-22 against ~1e-2 at the top: the same lesson, drawable.
    default: 0.1,
    scale: 'log',
    help: 'Naive: the standard deviation of the weights. Glorot or He: a multiplier on their scale.',
  },
  {
    key: 'norm',
    label: 'Normalisation',
    kind: 'choice',
    options: [
      { value: 'none', label: 'None' },
      { value: 'batch', label: 'Batch norm' },
      { value: 'layer', label: 'Layer norm' },
    ],
    default: 'none',
    help: 'Normalise each layer’s pre-activations before the non-linearity.',
  },
  {
    key: 'skip',
    label: 'Skip connections',
    kind: 'choice',
    options: [
      { value: 'none', label: 'None (plain)' },
      { value: 'residual', label: 'Residual (add the input)' },
      { value: 'dense', label: 'Dense (concatenate all earlier outputs)' },
    ],
    default: 'none',
    help: 'Residual adds each layer’s input to its output; dense feeds every layer all earlier outputs.',
  },
  {
    key: 'optimizer',
    label: 'Optimiser',
    kind: 'choice',
    options: [
      { value: 'sgd', label: 'SGD' },
      { value: 'momentum', label: 'SGD with momentum' },
      { value: 'adam', label: 'Adam' },
    ],
    default: 'sgd',
    help: 'The update rule.',
  },
  // 1, because the residual net's gradients are ~1e-3 per layer at this initialisation: with 1 it
  // learns the circles in 2000 steps, while the plain net stays at chance with any rate.
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 0.0001, max: 10, default: 1, scale: 'log', help: 'Step size of each update.' },
  { key: 'clipNorm', label: 'Gradient clipping', kind: 'number', min: 0, max: 100, step: 0.1, default: 0, help: 'Largest allowed global gradient norm; 0 turns clipping off.' },
  {
    key: 'dataset',
    label: 'Data set',
    kind: 'choice',
    options: [
      { value: 'spirals', label: 'Two spirals' },
      { value: 'circles', label: 'Circles' },
      { value: 'xor', label: 'XOR' },
      { value: 'blobs', label: 'Three blobs' },
      { value: 'regression-1d', label: 'Regression, 1-D' },
      { value: 'regression-2d', label: 'Regression, 2-D' },
    ],
    default: 'circles',
    help: 'What the network learns.',
  },
  { key: 'batchSize', label: 'Batch size', kind: 'int', min: 1, max: 256, step: 1, default: 32, help: 'Examples per training step.' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 9999, step: 1, default: 1, help: 'Same seed and settings give the same run.' },
] as const satisfies readonly SettingSpec[];
