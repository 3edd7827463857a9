/**
 * The permutation lab's settings table: the one source of its controls, URL state, CLI flags and
 * validation. Pure data.
 *
 * A small network (3 hidden layers of 6 tanh units) is trained on the two-circles data; then the
 * units of one hidden layer are put in another order (`order`, a permutation's index, 0 = as
 * trained) and the reordered network is run on a grid of inputs next to the original. Plain: the
 * largest output difference is 0 up to float rounding for every order. Skip around every layer:
 * reordering one layer alone changes the function; reordering the whole stream does not.
 */
import type { SettingSpec } from '../../engine/types';
import { factorial } from './order';

export const PERMUTATION_WIDTH = 6;
export const PERMUTATION_DEPTH = 3;

export const permutationSettings = [
  {
    key: 'network',
    label: 'Network',
    kind: 'choice',
    options: [
      { value: 'plain', label: 'Plain' },
      { value: 'every-layer', label: 'Skip around every layer' },
      { value: 'block', label: 'Residual, one block of two layers' },
    ],
    default: 'plain',
    help: 'Plain: hₗ = tanh(Wₗhₗ₋₁). Skip around every layer: each layer adds to a shared stream. One block: layers 2 and 3 form a residual block around layer 1’s output.',
  },
  { key: 'layer', label: 'Hidden layer to reorder', kind: 'int', min: 1, max: PERMUTATION_DEPTH, step: 1, default: 2, help: 'Its units’ incoming weights (columns) and outgoing weights (rows of the next matrix) move together.' },
  {
    key: 'scope',
    label: 'What moves',
    kind: 'choice',
    options: [
      { value: 'layer', label: 'This layer only' },
      { value: 'stream', label: 'The whole residual stream' },
    ],
    default: 'layer',
    help: 'With skips, “the whole residual stream” applies the same order to every layer that adds to the stream (in a plain network there is no stream, so only the chosen layer moves).',
  },
  { key: 'order', label: 'Order of the units (permutation number)', kind: 'int', min: 0, max: factorial(PERMUTATION_WIDTH) - 1, step: 1, default: 0, help: `Which of the ${factorial(PERMUTATION_WIDTH)} orders of ${PERMUTATION_WIDTH} units: 0 is the trained order. Reorder the units below instead of typing a number.` },
  { key: 'steps', label: 'Training steps', kind: 'int', min: 10, max: 2000, step: 10, default: 300, help: 'Adam steps before the units are reordered; the same seed always trains the same network.' },
  { key: 'seed', label: 'Seed', kind: 'int', min: 1, max: 999, step: 1, default: 1, help: 'Random initialisation and batches.' },
] as const satisfies readonly SettingSpec[];
