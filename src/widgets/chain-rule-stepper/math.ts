/**
 * The stepper's mathematics, by hand: the forward pass, every local derivative, and the backward
 * pass as a sequence of chain-rule products, each reusing the gradient computed just before it.
 * Pure TypeScript in float64: no DOM and no TF.js, so Node tests can check it against tf.grads and
 * finite differences, and the server and the element build the same step sentences from it.
 */
import type {
  AutodiffComparison,
  ForwardValues,
  HiddenActivation,
  NodeGradients,
  ParamGradients,
  ParamName,
  StepId,
  StepperSettings,
} from './types';
import { PARAM_NAMES } from './types';
import { ACTIVATION_FUNCTIONS, LOSS_FUNCTIONS, sigmoid } from '~/engine/functions';

export { sigmoid };

/** The loss the stepper works by hand: L = ½(ŷ − y)², so ∂L/∂ŷ = ŷ − y. */
const LOSS = LOSS_FUNCTIONS['half-squared-error'];

export function activate(kind: HiddenActivation, z: number): number {
  return ACTIVATION_FUNCTIONS[kind].value(z);
}

/** d act/dz written with the unit's output a = act(z), as backprop uses it: σ' = a(1−a), tanh' = 1−a². */
export function activationSlope(kind: HiddenActivation, a: number): number {
  return ACTIVATION_FUNCTIONS[kind].slopeFromOutput(a);
}

export function forward(s: StepperSettings): ForwardValues {
  const z1 = s.w1 * s.x1 + s.w2 * s.x2 + s.b1;
  const h1 = activate(s.activation, z1);
  const z2 = s.w3 * s.x1 + s.w4 * s.x2 + s.b2;
  const h2 = activate(s.activation, z2);
  const z3 = s.w5 * h1 + s.w6 * h2 + s.b3;
  const yHat = s.output === 'sigmoid' ? sigmoid(z3) : z3;
  const loss = LOSS.value([yHat], [s.y]);
  return { z1, h1, z2, h2, z3, yHat, loss };
}

/** Reverse mode: each gradient is the one above it times one local derivative. */
export function backward(s: StepperSettings, v: ForwardValues = forward(s)): { nodes: NodeGradients; params: ParamGradients } {
  const [yHat] = LOSS.gradient([v.yHat], [s.y]);
  const z3 = s.output === 'sigmoid' ? yHat * ACTIVATION_FUNCTIONS.sigmoid.slopeFromOutput(v.yHat) : yHat;
  const h1 = z3 * s.w5;
  const h2 = z3 * s.w6;
  const z1 = h1 * activationSlope(s.activation, v.h1);
  const z2 = h2 * activationSlope(s.activation, v.h2);
  const params: ParamGradients = {
    w1: z1 * s.x1,
    w2: z1 * s.x2,
    b1: z1,
    w3: z2 * s.x1,
    w4: z2 * s.x2,
    b2: z2,
    w5: z3 * v.h1,
    w6: z3 * v.h2,
    b3: z3,
  };
  return { nodes: { yHat, z3, h1, h2, z1, z2 }, params };
}

export function lossValue(s: StepperSettings): number {
  return forward(s).loss;
}

/** Central finite differences for every parameter: 2 forward passes per parameter. */
export function finiteDifferenceGradients(s: StepperSettings, h = 1e-6): ParamGradients {
  const result = {} as ParamGradients;
  for (const name of PARAM_NAMES) {
    const plus = lossValue({ ...s, [name]: s[name] + h });
    const minus = lossValue({ ...s, [name]: s[name] - h });
    result[name] = (plus - minus) / (2 * h);
  }
  return result;
}

/**
 * Whether hand-derived and TF.js gradients agree. TF.js computes in float32 (about 7 significant
 * digits) and ŷ − y can cancel, so the test is relative with a small absolute floor.
 */
export function gradientsAgree(hand: ParamGradients, autodiff: ParamGradients): AutodiffComparison {
  let maxRelativeDifference = 0;
  let agree = true;
  for (const name of PARAM_NAMES) {
    const a = hand[name];
    const b = autodiff[name];
    const scale = Math.max(Math.abs(a), Math.abs(b));
    if (scale > 0) maxRelativeDifference = Math.max(maxRelativeDifference, Math.abs(a - b) / scale);
    if (!gradientAgrees(a, b)) agree = false;
  }
  return { gradients: { ...autodiff }, maxRelativeDifference, agree };
}

/** One gradient: |a − b| ≤ 1e-4·max(|a|, |b|) + 1e-6 (false for NaN). */
export function gradientAgrees(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-4 * Math.max(Math.abs(a), Math.abs(b)) + 1e-6;
}

// -------------------------------------------------------------------------------------------
// Number formatting shared by the diagram, the step sentences and the table
// -------------------------------------------------------------------------------------------

const MINUS = '\u2212';

/** Up to `digits` significant digits, trailing zeros dropped, typographic minus. */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  let text = abs >= 1e-4 && abs < 1e6 ? abs.toPrecision(digits) : abs.toExponential(digits - 1);
  if (text.includes('e')) {
    const [mantissa, exponent] = text.split('e');
    text = `${mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa}e${exponent}`;
  } else if (text.includes('.')) {
    text = text.replace(/\.?0+$/, '');
  }
  return (x < 0 ? MINUS : '') + text;
}

/** A number as a factor inside a product: negatives in parentheses. */
function factor(x: number): string {
  return x < 0 ? `(${formatNumber(x)})` : formatNumber(x);
}

// -------------------------------------------------------------------------------------------
// Steps
// -------------------------------------------------------------------------------------------

/** Parts of the diagram a step lights up (ids from diagram.ts). */
export type DiagramPart =
  | 'x1' | 'x2' | 'z1' | 'h1' | 'z2' | 'h2' | 'z3' | 'yHat' | 'loss' | 'y'
  | 'e-w1' | 'e-w2' | 'e-w3' | 'e-w4' | 'e-w5' | 'e-w6' | 'e-act1' | 'e-act2' | 'e-out' | 'e-loss' | 'e-y'
  | 'b1' | 'b2' | 'b3';

export interface Step {
  id: StepId;
  phase: 'forward' | 'backward';
  /** 1-based position within its pass, and the pass's length. */
  number: number;
  of: number;
  /** The quantity computed, e.g. "h1" or "∂L/∂w1". */
  quantity: string;
  /** The formula in symbols, e.g. "∂L/∂w1 = ∂L/∂z1 · x1". */
  formula: string;
  /** The same with numbers, ending in the result: "−0.0134 × 1 = −0.0134". */
  arithmetic: string;
  value: number;
  /** Backward steps: the gradient reused from a step above (undefined for ∂L/∂ŷ, the first). */
  upstream?: { quantity: string; value: number; stepId: StepId };
  /** Backward steps: the local derivative multiplied in. */
  local?: { quantity: string; expression: string; value: number };
  /** What is being computed, and what it reads. */
  focus: DiagramPart[];
  uses: DiagramPart[];
  /** One sentence for the live region: "Backward step 5 of 15: ∂L/∂h1 = ∂L/∂ŷ · w5 = …". */
  text: string;
}

const ACT_NAME: Record<HiddenActivation, string> = { sigmoid: 'σ', tanh: 'tanh' };

/** Every step of both passes for these settings, forward first. */
export function buildSteps(s: StepperSettings): Step[] {
  const v = forward(s);
  const { nodes: g, params: p } = backward(s, v);
  const act = ACT_NAME[s.activation];
  const sigmoidOut = s.output === 'sigmoid';
  const outNode: DiagramPart = sigmoidOut ? 'z3' : 'yHat';
  const outName = sigmoidOut ? 'z3' : 'ŷ';
  const slopeText = (h: 'h1' | 'h2') => (s.activation === 'sigmoid' ? `${h}(1 − ${h})` : `1 − ${h}²`);

  type Draft = Omit<Step, 'number' | 'of' | 'text'>;
  const fwd: Draft[] = [];
  const sum = (a: number, xa: number, b: number, xb: number, c: number) =>
    `${formatNumber(a)} × ${factor(xa)} + ${factor(b)} × ${factor(xb)} + ${factor(c)} = `;

  fwd.push({
    id: 'forward:z1', phase: 'forward', quantity: 'z1', value: v.z1,
    formula: 'z1 = w1·x1 + w2·x2 + b1',
    arithmetic: sum(s.w1, s.x1, s.w2, s.x2, s.b1) + formatNumber(v.z1),
    focus: ['z1'], uses: ['x1', 'x2', 'e-w1', 'e-w2', 'b1'],
  });
  fwd.push({
    id: 'forward:h1', phase: 'forward', quantity: 'h1', value: v.h1,
    formula: `h1 = ${act}(z1)`, arithmetic: `${act}(${formatNumber(v.z1)}) = ${formatNumber(v.h1)}`,
    focus: ['h1'], uses: ['z1', 'e-act1'],
  });
  fwd.push({
    id: 'forward:z2', phase: 'forward', quantity: 'z2', value: v.z2,
    formula: 'z2 = w3·x1 + w4·x2 + b2',
    arithmetic: sum(s.w3, s.x1, s.w4, s.x2, s.b2) + formatNumber(v.z2),
    focus: ['z2'], uses: ['x1', 'x2', 'e-w3', 'e-w4', 'b2'],
  });
  fwd.push({
    id: 'forward:h2', phase: 'forward', quantity: 'h2', value: v.h2,
    formula: `h2 = ${act}(z2)`, arithmetic: `${act}(${formatNumber(v.z2)}) = ${formatNumber(v.h2)}`,
    focus: ['h2'], uses: ['z2', 'e-act2'],
  });
  fwd.push({
    id: sigmoidOut ? 'forward:z3' : 'forward:yHat', phase: 'forward', quantity: outName, value: v.z3,
    formula: `${outName} = w5·h1 + w6·h2 + b3`,
    arithmetic: sum(s.w5, v.h1, s.w6, v.h2, s.b3) + formatNumber(v.z3),
    focus: [outNode], uses: ['h1', 'h2', 'e-w5', 'e-w6', 'b3'],
  });
  if (sigmoidOut) {
    fwd.push({
      id: 'forward:yHat', phase: 'forward', quantity: 'ŷ', value: v.yHat,
      formula: 'ŷ = σ(z3)', arithmetic: `σ(${formatNumber(v.z3)}) = ${formatNumber(v.yHat)}`,
      focus: ['yHat'], uses: ['z3', 'e-out'],
    });
  }
  fwd.push({
    id: 'forward:loss', phase: 'forward', quantity: 'L', value: v.loss,
    formula: 'L = ½(ŷ − y)²',
    arithmetic: `½ × (${formatNumber(v.yHat)} − ${factor(s.y)})² = ${formatNumber(v.loss)}`,
    focus: ['loss'], uses: ['yHat', 'y', 'e-loss', 'e-y'],
  });

  const bwd: Draft[] = [];
  const stepOf: Partial<Record<string, StepId>> = {};
  const product = (
    id: StepId,
    quantity: string,
    upstreamName: string,
    upstreamValue: number,
    localName: string,
    localExpression: string,
    localValue: number,
    value: number,
    focus: DiagramPart[],
    uses: DiagramPart[],
  ): Draft => {
    const upstreamStep = stepOf[upstreamName];
    if (!upstreamStep) throw new Error(`${upstreamName} used before it was computed`);
    stepOf[quantity] = id;
    return {
      id, phase: 'backward', quantity, value,
      formula: `${quantity} = ${upstreamName} · ${localExpression}`,
      arithmetic: `${formatNumber(upstreamValue)} × ${factor(localValue)} = ${formatNumber(value)}`,
      upstream: { quantity: upstreamName, value: upstreamValue, stepId: upstreamStep },
      local: { quantity: localName, expression: localExpression, value: localValue },
      focus, uses,
    };
  };

  stepOf['∂L/∂ŷ'] = 'backward:yHat';
  bwd.push({
    id: 'backward:yHat', phase: 'backward', quantity: '∂L/∂ŷ', value: g.yHat,
    formula: '∂L/∂ŷ = ŷ − y',
    arithmetic: `${formatNumber(v.yHat)} − ${factor(s.y)} = ${formatNumber(g.yHat)}`,
    focus: ['yHat'], uses: ['loss', 'y', 'e-loss'],
  });
  let outGrad = '∂L/∂ŷ';
  if (sigmoidOut) {
    bwd.push(product('backward:z3', '∂L/∂z3', '∂L/∂ŷ', g.yHat, '∂ŷ/∂z3', 'ŷ(1 − ŷ)', activationSlope('sigmoid', v.yHat), g.z3, ['z3'], ['yHat', 'e-out']));
    outGrad = '∂L/∂z3';
  }
  bwd.push(product('backward:w5', '∂L/∂w5', outGrad, g.z3, `∂${outName}/∂w5`, 'h1', v.h1, p.w5, ['e-w5'], [outNode, 'h1']));
  bwd.push(product('backward:w6', '∂L/∂w6', outGrad, g.z3, `∂${outName}/∂w6`, 'h2', v.h2, p.w6, ['e-w6'], [outNode, 'h2']));
  bwd.push(product('backward:b3', '∂L/∂b3', outGrad, g.z3, `∂${outName}/∂b3`, '1', 1, p.b3, ['b3'], [outNode]));
  bwd.push(product('backward:h1', '∂L/∂h1', outGrad, g.z3, `∂${outName}/∂h1`, 'w5', s.w5, g.h1, ['h1'], [outNode, 'e-w5']));
  bwd.push(product('backward:h2', '∂L/∂h2', outGrad, g.z3, `∂${outName}/∂h2`, 'w6', s.w6, g.h2, ['h2'], [outNode, 'e-w6']));
  bwd.push(product('backward:z1', '∂L/∂z1', '∂L/∂h1', g.h1, '∂h1/∂z1', slopeText('h1'), activationSlope(s.activation, v.h1), g.z1, ['z1'], ['h1', 'e-act1']));
  bwd.push(product('backward:w1', '∂L/∂w1', '∂L/∂z1', g.z1, '∂z1/∂w1', 'x1', s.x1, p.w1, ['e-w1'], ['z1', 'x1']));
  bwd.push(product('backward:w2', '∂L/∂w2', '∂L/∂z1', g.z1, '∂z1/∂w2', 'x2', s.x2, p.w2, ['e-w2'], ['z1', 'x2']));
  bwd.push(product('backward:b1', '∂L/∂b1', '∂L/∂z1', g.z1, '∂z1/∂b1', '1', 1, p.b1, ['b1'], ['z1']));
  bwd.push(product('backward:z2', '∂L/∂z2', '∂L/∂h2', g.h2, '∂h2/∂z2', slopeText('h2'), activationSlope(s.activation, v.h2), g.z2, ['z2'], ['h2', 'e-act2']));
  bwd.push(product('backward:w3', '∂L/∂w3', '∂L/∂z2', g.z2, '∂z2/∂w3', 'x1', s.x1, p.w3, ['e-w3'], ['z2', 'x1']));
  bwd.push(product('backward:w4', '∂L/∂w4', '∂L/∂z2', g.z2, '∂z2/∂w4', 'x2', s.x2, p.w4, ['e-w4'], ['z2', 'x2']));
  bwd.push(product('backward:b2', '∂L/∂b2', '∂L/∂z2', g.z2, '∂z2/∂b2', '1', 1, p.b2, ['b2'], ['z2']));

  const finish = (drafts: Draft[], label: string): Step[] =>
    drafts.map((d, i) => ({
      ...d,
      number: i + 1,
      of: drafts.length,
      text: `${label} step ${i + 1} of ${drafts.length}: ${d.formula} = ${d.arithmetic}`,
    }));
  return [...finish(fwd, 'Forward'), ...finish(bwd, 'Backward')];
}

/** The step that computes ∂L/∂param (for the gradient table's "revealed" state). */
export function gradientStepId(name: ParamName): StepId {
  return `backward:${name}`;
}
