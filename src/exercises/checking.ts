/**
 * Answer parsing and checking: pure functions, no DOM. The client module calls these and the
 * unit tests pin them down (tests/unit/exercises-checking.test.ts).
 */

/** Longest input we try to read as a number; anything longer is pasted text, not an answer. */
export const MAX_NUMERIC_INPUT_LENGTH = 50;

export type NumericParseFailure =
  | 'empty'
  | 'too-long'
  | 'not-a-number'
  | 'not-finite'
  | 'percent-not-allowed'
  | 'division-by-zero'
  /** "3,510": a decimal comma or a thousands separator; the reader is asked which. */
  | 'ambiguous-comma';

export type NumericParse =
  | { ok: true; value: number }
  | { ok: false; reason: NumericParseFailure; message: string };

export interface NumericParseOptions {
  /** Accept "25%" as 0.25. */
  allowPercent?: boolean;
  /** A unit the reader may type after the number ("ms"); it is ignored when present. */
  unit?: string;
}

const EXAMPLES = 'for example 0.25, 1/4 or 2.5e-1';

function failure(reason: NumericParseFailure, options: NumericParseOptions): NumericParse {
  const percent = options.allowPercent ? ', or a percentage such as 25%' : '';
  const messages: Record<NumericParseFailure, string> = {
    empty: `Type a number (${EXAMPLES}${percent}).`,
    'too-long': `That is too long to be a number: type at most ${MAX_NUMERIC_INPUT_LENGTH} characters (${EXAMPLES}).`,
    'not-a-number': `That is not a number this exercise can read. Type a number (${EXAMPLES}${percent}).`,
    'not-finite': 'Type a finite number: NaN and infinity are not answers here.',
    'percent-not-allowed': 'Type a plain number rather than a percentage (for example 0.25 rather than 25%).',
    'division-by-zero': 'A fraction cannot have 0 as its denominator.',
    'ambiguous-comma': 'That comma could separate decimals or thousands.',
  };
  return { ok: false, reason, message: messages[reason] };
}

/** Every dash-like character a reader or a word processor might use for "minus". */
const MINUS_SIGNS = /[\u2212\u2012\u2013\u2014\u2015\uFE63\uFF0D]/g;
/** Spaces, including no-break and thin spaces used as thousands separators. */
const SPACES = /[\s\u00A0\u2009\u202F]+/g;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/**
 * 1,234,567 or 1,234.5: thousands separators only, and never after a leading zero ("0,380" is a
 * decimal comma). A lone group ("3,510") is ambiguous and asked about before this is tried.
 */
const THOUSANDS_WITH_COMMAS = /^[+-]?[1-9]\d{0,2}((,\d{3}){2,}(\.\d*)?|,\d{3}\.\d*)$/;
/** "3,510": 3.510 with a decimal comma, or 3510 with a thousands separator. */
const AMBIGUOUS_COMMA = /^([+-]?[1-9]\d{0,2}),(\d{3})$/;

/** Reads one number without fraction or percent: 0.25, .25, 2.5e-1, 2.5×10^-1, 1,000, 0,25. */
function parsePlain(text: string): number | undefined {
  let body = text;
  // Scientific notation written out: 2.5×10^-1, 2.5*10^-1, 2.5·10^(-1), 2.5x10^-1.
  const sci = /^(.*?)(?:[×*·x])10\^\(?([+-]?\d+)\)?$/i.exec(body);
  if (sci) {
    const mantissa = parsePlain(sci[1]);
    if (mantissa === undefined) return undefined;
    return mantissa * 10 ** Number(sci[2]);
  }
  const bare = /^10\^\(?([+-]?\d+)\)?$/.exec(body);
  if (bare) return 10 ** Number(bare[1]);
  if (body.includes(',')) {
    if (THOUSANDS_WITH_COMMAS.test(body)) body = body.replace(/,/g, '');
    else if (!body.includes('.') && /^[+-]?\d*,\d+$/.test(body)) body = body.replace(',', '.');
    else return undefined;
  }
  if (!PLAIN_NUMBER.test(body)) return undefined;
  return Number(body);
}

/**
 * Parses what a reader typed as a number. Accepts 0.25, .25, 1/4, 2.5e-1, 2.5×10^-1, 25% (when
 * allowed), unicode minus, full-width digits, thousands separators and a decimal comma. Returns a
 * message that says what is expected when it cannot read the input.
 */
export function parseNumericAnswer(raw: string, options: NumericParseOptions = {}): NumericParse {
  if (raw.length > MAX_NUMERIC_INPUT_LENGTH) return failure('too-long', options);
  let text = raw.normalize('NFKC').replace(MINUS_SIGNS, '-').replace(/\u2044/g, '/').trim();
  if (text === '') return failure('empty', options);
  if (/^[+-]?(nan|inf(inity)?|∞)$/i.test(text)) return failure('not-finite', options);

  const unit = options.unit?.normalize('NFKC').trim();
  if (unit && text.toLowerCase().endsWith(unit.toLowerCase())) {
    text = text.slice(0, text.length - unit.length).trim();
  }

  let percent = false;
  if (text.endsWith('%')) {
    percent = true;
    text = text.slice(0, -1).trim();
  }
  // Spaces between digit groups ("1 000") or around a fraction bar ("1 / 4") carry no meaning.
  text = text.replace(SPACES, '');
  if (text === '') return failure('not-a-number', options);
  const ambiguous = AMBIGUOUS_COMMA.exec(text);
  if (ambiguous) {
    const [, whole, group] = ambiguous;
    return {
      ok: false,
      reason: 'ambiguous-comma',
      message: `“${text}”: did you mean ${whole}.${group} or ${whole}${group}? Type it with a decimal point, or without the comma.`,
    };
  }

  let value: number | undefined;
  const slash = text.indexOf('/');
  if (slash >= 0) {
    if (text.indexOf('/', slash + 1) >= 0) return failure('not-a-number', options);
    const numerator = parsePlain(text.slice(0, slash));
    const denominator = parsePlain(text.slice(slash + 1));
    if (numerator === undefined || denominator === undefined) return failure('not-a-number', options);
    if (denominator === 0) return failure('division-by-zero', options);
    value = numerator / denominator;
  } else {
    value = parsePlain(text);
  }
  if (value === undefined) return failure('not-a-number', options);
  if (!Number.isFinite(value)) return failure('not-finite', options);
  // Only a readable number followed by % is a percentage; "%" alone is just not a number.
  if (percent && !options.allowPercent) return failure('percent-not-allowed', options);
  if (percent) value /= 100;
  // -0 reads as 0 everywhere a reader sees it.
  return { ok: true, value: value === 0 ? 0 : value };
}

export interface Tolerance {
  /** Allowed distance from the answer; relative to |answer| when `relative`. */
  tolerance?: number;
  relative?: boolean;
}

/** Default when an exercise names no tolerance: exact, up to floating-point rounding. */
export const DEFAULT_TOLERANCE = 1e-9;

/** True when `value` is within the tolerance of `answer` (bounds included). */
export function withinTolerance(value: number, answer: number, { tolerance, relative }: Tolerance = {}): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(answer)) return false;
  const allowed = (tolerance ?? DEFAULT_TOLERANCE) * (relative ? Math.abs(answer) : 1);
  // A hair of slack so that bounds written in decimal (0.25 ± 0.01) include 0.26 itself.
  const slack = 1e-12 * Math.max(1, Math.abs(answer));
  return Math.abs(value - answer) <= allowed + slack;
}

/** A `<Feedback when={...}>`: a single value (matched with the exercise's tolerance) or a range. */
export type FeedbackWhen = number | readonly [number, number];

/** Index of the first targeted feedback that matches a wrong answer, or -1. */
export function matchFeedback(value: number, whens: readonly FeedbackWhen[], tolerance: Tolerance): number {
  return whens.findIndex((when) => {
    if (typeof when === 'number') return withinTolerance(value, when, tolerance);
    const [low, high] = when[0] <= when[1] ? when : [when[1], when[0]];
    return value >= low && value <= high;
  });
}

export type NumericCheck =
  | { kind: 'invalid'; message: string }
  | { kind: 'correct'; value: number }
  | { kind: 'wrong'; value: number; feedbackIndex: number };

/** Parses and checks a numeric answer in one go. Invalid input is not an attempt. */
export function checkNumericAnswer(
  raw: string,
  spec: { answer: number; whens?: readonly FeedbackWhen[] } & Tolerance & NumericParseOptions,
): NumericCheck {
  const parsed = parseNumericAnswer(raw, spec);
  if (!parsed.ok) return { kind: 'invalid', message: parsed.message };
  if (withinTolerance(parsed.value, spec.answer, spec)) return { kind: 'correct', value: parsed.value };
  return { kind: 'wrong', value: parsed.value, feedbackIndex: matchFeedback(parsed.value, spec.whens ?? [], spec) };
}

export type ChoiceCheck =
  | { kind: 'invalid'; message: string }
  | {
      kind: 'correct' | 'wrong';
      /** Chosen options that are not correct. */
      wrongPicks: number[];
      /** Correct options the reader did not choose. */
      missed: number;
    };

/** Checks a multiple-choice answer: right when the chosen set equals the correct set. */
export function checkChoices(selected: readonly number[], correct: readonly number[], multiple: boolean): ChoiceCheck {
  if (selected.length === 0) {
    return { kind: 'invalid', message: multiple ? 'Choose at least one answer, then check.' : 'Choose an answer, then check.' };
  }
  if (!multiple && selected.length > 1) return { kind: 'invalid', message: 'Choose only one answer.' };
  const correctSet = new Set(correct);
  const selectedSet = new Set(selected);
  const wrongPicks = [...selectedSet].filter((index) => !correctSet.has(index)).sort((a, b) => a - b);
  const missed = [...correctSet].filter((index) => !selectedSet.has(index)).length;
  return { kind: wrongPicks.length === 0 && missed === 0 ? 'correct' : 'wrong', wrongPicks, missed };
}

export type OrderingCheck = { kind: 'correct' | 'wrong'; inPlace: number; total: number };

/** Checks an ordering: `order` lists the items' correct ranks in the order the reader left them. */
export function checkOrdering(order: readonly number[]): OrderingCheck {
  const inPlace = order.filter((rank, position) => rank === position).length;
  return { kind: inPlace === order.length ? 'correct' : 'wrong', inPlace, total: order.length };
}

export type MatchingCheck =
  | { kind: 'invalid'; message: string; unanswered: number }
  | { kind: 'correct' | 'wrong'; right: number; total: number; wrongLefts: number[] };

/**
 * Checks a matching: `chosen[i]` is the index of the right-hand side the reader picked for left
 * item i (or null), and left item i's correct right-hand side is right-hand side i.
 */
export function checkMatching(chosen: readonly (number | null)[]): MatchingCheck {
  const unanswered = chosen.filter((pick) => pick === null).length;
  if (unanswered > 0) {
    return {
      kind: 'invalid',
      unanswered,
      message: `Choose a match for every item (${unanswered} still ${unanswered === 1 ? 'needs' : 'need'} one), then check.`,
    };
  }
  const wrongLefts = chosen.flatMap((pick, index) => (pick === index ? [] : [index]));
  const total = chosen.length;
  return { kind: wrongLefts.length === 0 ? 'correct' : 'wrong', right: total - wrongLefts.length, total, wrongLefts };
}

/** Compares a prediction with a widget's measured value. Strings match exactly; numbers within tolerance. */
export function predictionMatches(prediction: number | string, measured: number | string, tolerance: Tolerance): boolean {
  if (typeof prediction === 'number' && typeof measured === 'number') return withinTolerance(prediction, measured, tolerance);
  return String(prediction) === String(measured);
}

// ---------------------------------------------------------------------------------------------
// Deterministic shuffling by exercise id, so every reader (and every test) sees the same order.
// ---------------------------------------------------------------------------------------------

/** FNV-1a hash of a string, 32 bits. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a tiny, good-enough PRNG for shuffling. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A permutation of 0..n-1 derived from `seedText`, never the identity when n > 1 (an ordering
 * exercise that starts solved teaches nothing).
 */
export function shuffledIndices(n: number, seedText: string): number[] {
  const indices = Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(hashString(seedText));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j], indices[i]];
  }
  if (n > 1 && indices.every((value, i) => value === i)) indices.push(indices.shift() as number);
  return indices;
}

/** Exercise ids: lowercase letters, digits and dashes, starting with a letter. */
export const EXERCISE_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
