/**
 * Numbers the chapters state about their widgets and exercises, checked against the widgets' own
 * code: the chain-rule stepper's math for chapter 1, and the headless experiments (wasm backend, as
 * in the browser) with each lab's preset read from the chapter's MDX for chapters 2 and 3. The
 * tolerances follow the wording of each claim ("about 16", "380 to 670 times", "about half").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backward, forward } from '~/widgets/chain-rule-stepper/math';
import { defaultSettings } from '~/widgets/chain-rule-stepper/settings';

/** Reads a file of the course content. */
function content(path: string): string {
  return readFileSync(new URL(`../../content/${path}`, import.meta.url), 'utf8');
}

/** The `answer={...}` of the exercise with this id in an exercises MDX file. */
function exerciseAnswer(file: string, id: string): number {
  const source = content(`exercises/${file}`);
  const start = source.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no exercise ${id} in ${file}`);
  const match = /answer=\{([^}]+)\}/.exec(source.slice(start, start + 400));
  if (!match) throw new Error(`exercise ${id} has no answer`);
  return Number(match[1]);
}

describe('chapter 1: backpropagation', () => {
  const settings = defaultSettings();
  const { nodes } = backward(settings, forward(settings));

  it('the fan-out exercise: ∂L/∂x1 is the sum over both paths, as its key says', () => {
    const twoPaths = nodes.z1 * settings.w1 + nodes.z2 * settings.w3;
    expect(twoPaths).toBeCloseTo(-0.0829, 4);
    expect(Math.abs(exerciseAnswer('backprop.mdx', 'backprop-fan-out') - twoPaths)).toBeLessThan(0.0005);
    // The figures the exercise gives and its feedback ranges.
    expect(nodes.z1).toBeCloseTo(-0.1036, 4);
    expect(nodes.z2).toBeCloseTo(0.0778, 4);
    expect(nodes.z1 * settings.w1).toBeCloseTo(-0.0518, 4);
    expect(nodes.z2 * settings.w3).toBeCloseTo(-0.0311, 4);
  });

  it('"Saturate a unit": w1 = 6 cuts the slope to 0.0026 and ∂L/∂w1 some 160 times', () => {
    const saturated = { ...settings, w1: 6 };
    const values = forward(saturated);
    expect(values.z1).toBeCloseTo(5.95, 10);
    expect(values.h1).toBeCloseTo(0.9974, 4);
    expect(values.h1 * (1 - values.h1)).toBeCloseTo(0.0026, 4);
    const before = backward(settings, forward(settings)).params.w1;
    const after = backward(saturated, values).params.w1;
    expect(before).toBeCloseTo(-0.1036, 4);
    expect(after).toBeCloseTo(-0.00064, 5);
    expect(before / after).toBeGreaterThan(150);
    expect(before / after).toBeLessThan(170);
  });

  it('ten sigmoid layers, one slope each: the keys of both chapters use (1/4)^10', () => {
    expect(exerciseAnswer('vanishing-gradients.mdx', 'vg-ten-sigmoid-layers')).toBe(0.25 ** 10);
    expect(0.25 ** 10).toBeCloseTo(9.5e-7, 8);
  });
});
