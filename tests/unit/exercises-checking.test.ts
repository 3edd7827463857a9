import { describe, expect, it } from 'vitest';
import {
  checkChoices,
  checkMatching,
  checkNumericAnswer,
  checkOrdering,
  matchFeedback,
  MAX_NUMERIC_INPUT_LENGTH,
  parseNumericAnswer,
  predictionMatches,
  shuffledIndices,
  withinTolerance,
} from '../../src/exercises/checking';

function value(raw: string, options = {}): number {
  const parsed = parseNumericAnswer(raw, options);
  if (!parsed.ok) throw new Error(`expected ${JSON.stringify(raw)} to parse, got: ${parsed.message}`);
  return parsed.value;
}

function reason(raw: string, options = {}): string {
  const parsed = parseNumericAnswer(raw, options);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(raw)} to be rejected, got ${parsed.value}`);
  return parsed.reason;
}

describe('parseNumericAnswer: what readers type for one quarter', () => {
  it.each([
    ['0.25', 0.25],
    ['.25', 0.25],
    ['1/4', 0.25],
    [' 1 / 4 ', 0.25],
    ['2.5e-1', 0.25],
    ['2.5E-1', 0.25],
    ['2.5×10^-1', 0.25],
    ['2.5 x 10^(-1)', 0.25],
    ['2.5*10^-1', 0.25],
    ['0,25', 0.25],
    ['+0.25', 0.25],
    ['０.２５', 0.25],
    ['¼', 0.25],
  ])('%j reads as %d', (raw, expected) => {
    expect(value(raw)).toBeCloseTo(expected, 12);
  });

  it('reads negative numbers written with any minus sign', () => {
    expect(value('-0.38')).toBe(-0.38);
    expect(value('\u22120.38')).toBe(-0.38);
    expect(value('\u20130.38')).toBe(-0.38);
    expect(value('-1/4')).toBe(-0.25);
  });

  it('reads a comma after a leading zero as a decimal comma, whatever the number of decimals', () => {
    expect(value('-0,380')).toBe(-0.38);
    expect(value('\u22120,380')).toBe(-0.38);
    expect(value('0,010')).toBe(0.01);
    expect(value('0,3802')).toBe(0.3802);
    expect(value(',5')).toBe(0.5);
  });

  it('asks which was meant when one comma group of three digits could be either separator', () => {
    for (const [raw, decimal, whole] of [
      ['3,510', '3.510', '3510'],
      ['-12,345', '-12.345', '-12345'],
      ['1,000', '1.000', '1000'],
    ]) {
      const parsed = parseNumericAnswer(raw);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) continue;
      expect(parsed.reason).toBe('ambiguous-comma');
      expect(parsed.message).toContain(`did you mean ${decimal} or ${whole}?`);
    }
    // A checked answer is never made of an ambiguous input: it is invalid, not wrong.
    expect(checkNumericAnswer('3,510', { answer: 3.51 }).kind).toBe('invalid');
  });

  it('reads thousands separators and powers of ten', () => {
    expect(value('1,000,000')).toBe(1e6);
    expect(value('1,000.5')).toBe(1000.5);
    expect(value('1 000 000')).toBe(1e6);
    expect(value('1\u202F000')).toBe(1000);
    expect(value('12,345.5')).toBe(12345.5);
    expect(value('10^-3')).toBeCloseTo(1e-3, 15);
    expect(value('3e+2')).toBe(300);
  });

  it('reads percentages only where the exercise allows them', () => {
    expect(value('25%', { allowPercent: true })).toBeCloseTo(0.25, 15);
    expect(value('12.5 %', { allowPercent: true })).toBeCloseTo(0.125, 15);
    expect(reason('25%')).toBe('percent-not-allowed');
    const message = parseNumericAnswer('25%');
    expect(!message.ok && message.message).toMatch(/0\.25 rather than 25%/);
  });

  it('ignores the unit when the reader types it', () => {
    expect(value('12 ms', { unit: 'ms' })).toBe(12);
    expect(value('12ms', { unit: 'ms' })).toBe(12);
    expect(reason('12 kg', { unit: 'ms' })).toBe('not-a-number');
  });

  it('turns -0 into 0', () => {
    expect(Object.is(value('-0'), 0)).toBe(true);
  });

  it('rejects empty input with a message saying what to type', () => {
    for (const raw of ['', '   ', '\t\n']) {
      const parsed = parseNumericAnswer(raw);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.reason).toBe('empty');
        expect(parsed.message).toMatch(/Type a number/);
        expect(parsed.message).not.toMatch(/wrong/i);
      }
    }
  });

  it.each(['abc', 'one quarter', '0.2.5', '1/2/3', '--1', '1e', 'e5', '/4', '1/', '%', '0x10', '1,2,3', '1,23.4,5', '$0.25', '0.25)', '12 kg'])(
    'rejects %j as not a number',
    (raw) => {
      expect(reason(raw)).toBe('not-a-number');
    },
  );

  it('rejects NaN and infinities, written or overflowing', () => {
    for (const raw of ['NaN', 'nan', 'Infinity', '-Infinity', 'inf', '∞', '1e999', '-1e400']) expect(reason(raw)).toBe('not-finite');
  });

  it('rejects division by zero', () => {
    expect(reason('1/0')).toBe('division-by-zero');
    expect(reason('0/0')).toBe('division-by-zero');
  });

  it('rejects absurdly long or pasted input before trying to read it', () => {
    const long = '1'.repeat(MAX_NUMERIC_INPUT_LENGTH + 1);
    expect(reason(long)).toBe('too-long');
    expect(reason('The answer is obviously 0.25 because the sigmoid slope peaks at a quarter')).toBe('too-long');
    expect(value('0.' + '2'.repeat(MAX_NUMERIC_INPUT_LENGTH - 2))).toBeCloseTo(0.2222, 4);
    expect(reason('<script>alert(1)</script>')).toBe('not-a-number');
  });
});

describe('withinTolerance', () => {
  it('uses an absolute tolerance with inclusive bounds', () => {
    expect(withinTolerance(0.26, 0.25, { tolerance: 0.01 })).toBe(true);
    expect(withinTolerance(0.24, 0.25, { tolerance: 0.01 })).toBe(true);
    expect(withinTolerance(0.2601, 0.25, { tolerance: 0.01 })).toBe(false);
    expect(withinTolerance(0.2399, 0.25, { tolerance: 0.01 })).toBe(false);
  });

  it('uses a relative tolerance scaled by the answer', () => {
    expect(withinTolerance(1.04e-7, 1e-7, { tolerance: 0.05, relative: true })).toBe(true);
    expect(withinTolerance(1.06e-7, 1e-7, { tolerance: 0.05, relative: true })).toBe(false);
    expect(withinTolerance(-105, -100, { tolerance: 0.05, relative: true })).toBe(true);
    expect(withinTolerance(-106, -100, { tolerance: 0.05, relative: true })).toBe(false);
  });

  it('is exact up to rounding by default', () => {
    expect(withinTolerance(0.1 + 0.2, 0.3)).toBe(true);
    expect(withinTolerance(0.3001, 0.3)).toBe(false);
  });

  it('never accepts non-finite values', () => {
    expect(withinTolerance(Number.NaN, 0, { tolerance: 1 })).toBe(false);
    expect(withinTolerance(Number.POSITIVE_INFINITY, 1e308, { tolerance: 1, relative: true })).toBe(false);
  });
});

describe('checkNumericAnswer', () => {
  const spec = { answer: -0.3802, tolerance: 0.005, whens: [[0.37, 0.39], -0.6226, [-0.445, -0.43]] as const };

  it('accepts a right answer in any accepted notation', () => {
    expect(checkNumericAnswer('-0.38', spec).kind).toBe('correct');
    expect(checkNumericAnswer('\u22120.3802', spec).kind).toBe('correct');
    expect(checkNumericAnswer('-3.8e-1', spec).kind).toBe('correct');
    expect(checkNumericAnswer('-38/100', spec).kind).toBe('correct');
  });

  it('rejects a wrong answer and picks the targeted feedback', () => {
    expect(checkNumericAnswer('0.38', spec)).toEqual({ kind: 'wrong', value: 0.38, feedbackIndex: 0 });
    expect(checkNumericAnswer('-0.623', spec)).toEqual({ kind: 'wrong', value: -0.623, feedbackIndex: 1 });
    expect(checkNumericAnswer('-0.44', spec)).toEqual({ kind: 'wrong', value: -0.44, feedbackIndex: 2 });
    expect(checkNumericAnswer('5', spec)).toEqual({ kind: 'wrong', value: 5, feedbackIndex: -1 });
  });

  it('treats unreadable input as invalid, not as a wrong attempt', () => {
    const result = checkNumericAnswer('minus 0.38', spec);
    expect(result.kind).toBe('invalid');
  });

  it('matches reversed ranges and single values', () => {
    expect(matchFeedback(0.3, [[0.4, 0.2]], {})).toBe(0);
    expect(matchFeedback(0.3, [0.3], {})).toBe(0);
    expect(matchFeedback(0.31, [0.3], { tolerance: 0.005 })).toBe(-1);
  });
});

describe('checkChoices', () => {
  it('single answer: right, wrong, none, several', () => {
    expect(checkChoices([0], [0], false)).toEqual({ kind: 'correct', wrongPicks: [], missed: 0 });
    expect(checkChoices([2], [0], false)).toEqual({ kind: 'wrong', wrongPicks: [2], missed: 1 });
    expect(checkChoices([], [0], false).kind).toBe('invalid');
    expect(checkChoices([0, 1], [0], false).kind).toBe('invalid');
  });

  it('multiple answers: the chosen set must equal the correct set', () => {
    expect(checkChoices([2, 0, 1], [0, 1, 2], true).kind).toBe('correct');
    expect(checkChoices([0, 1], [0, 1, 2], true)).toEqual({ kind: 'wrong', wrongPicks: [], missed: 1 });
    expect(checkChoices([0, 1, 2, 3], [0, 1, 2], true)).toEqual({ kind: 'wrong', wrongPicks: [3], missed: 0 });
    expect(checkChoices([4, 3], [0, 1, 2], true)).toEqual({ kind: 'wrong', wrongPicks: [3, 4], missed: 3 });
    expect(checkChoices([], [0], true).kind).toBe('invalid');
  });
});

describe('checkOrdering', () => {
  it('is right only in the exact order, and counts items in place', () => {
    expect(checkOrdering([0, 1, 2, 3])).toEqual({ kind: 'correct', inPlace: 4, total: 4 });
    expect(checkOrdering([1, 0, 2, 3])).toEqual({ kind: 'wrong', inPlace: 2, total: 4 });
    expect(checkOrdering([3, 2, 1, 0])).toEqual({ kind: 'wrong', inPlace: 0, total: 4 });
  });
});

describe('checkMatching', () => {
  it('is right when every left item has its own right-hand side', () => {
    expect(checkMatching([0, 1, 2])).toEqual({ kind: 'correct', right: 3, total: 3, wrongLefts: [] });
    expect(checkMatching([1, 0, 2])).toEqual({ kind: 'wrong', right: 1, total: 3, wrongLefts: [0, 1] });
    expect(checkMatching([2, 2, 2])).toEqual({ kind: 'wrong', right: 1, total: 3, wrongLefts: [0, 1] });
  });

  it('asks for every match before checking', () => {
    const result = checkMatching([0, null, null]);
    expect(result.kind).toBe('invalid');
    if (result.kind === 'invalid') {
      expect(result.unanswered).toBe(2);
      expect(result.message).toMatch(/2 still need one/);
    }
  });
});

describe('predictionMatches', () => {
  it('compares strings exactly and numbers within tolerance', () => {
    expect(predictionMatches('positive', 'positive', {})).toBe(true);
    expect(predictionMatches('positive', 'negative', {})).toBe(false);
    expect(predictionMatches(0.08, 0.0778, { tolerance: 0.05, relative: true })).toBe(true);
    expect(predictionMatches(0.1, 0.0778, { tolerance: 0.05, relative: true })).toBe(false);
    expect(predictionMatches(1, '1', {})).toBe(true);
  });
});

describe('shuffledIndices', () => {
  it('is a permutation, the same for the same id, never the identity', () => {
    for (const id of ['backprop-order-steps', 'a', 'b', 'degradation-order', 'x-y-z']) {
      for (const n of [2, 3, 4, 6, 9]) {
        const order = shuffledIndices(n, id);
        expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(order).toEqual(shuffledIndices(n, id));
        expect(order.every((value, i) => value === i)).toBe(false);
      }
    }
  });

  it('differs between ids', () => {
    const orders = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => shuffledIndices(6, id).join()));
    expect(orders.size).toBeGreaterThan(3);
  });
});
