/** Build-time helpers shared by the exercise components (server only). */
import { EXERCISE_ID_PATTERN } from './checking';
import { hasContent, splitParts, type Part, type PartKind } from './parts';

export type ExerciseType = 'multiple-choice' | 'numeric' | 'ordering' | 'matching' | 'predict-then-run' | 'widget-challenge';

export const EXERCISE_TYPE_NAMES: Record<ExerciseType, string> = {
  'multiple-choice': 'Multiple choice',
  numeric: 'Numeric answer',
  ordering: 'Ordering',
  matching: 'Matching',
  'predict-then-run': 'Predict, then run',
  'widget-challenge': 'Widget challenge',
};

/** Fails the build with a message naming the exercise when an id or title is unusable. */
export function assertExerciseProps(component: string, id: unknown, title: unknown): asserts id is string {
  if (typeof id !== 'string' || !EXERCISE_ID_PATTERN.test(id)) {
    throw new Error(`<${component} id=${JSON.stringify(id)}>: an exercise id is lowercase letters, digits and dashes, e.g. "backprop-sigmoid-derivative"`);
  }
  if (typeof title !== 'string' || title.trim() === '') throw new Error(`<${component} id="${id}">: needs a title="..."`);
}

export interface CommonParts {
  question: string;
  hints: string[];
  solution?: string;
  explanation?: string;
  /** The parts specific to the exercise type (choices, items, pairs, feedback), in source order. */
  own: Part[];
}

/** Splits an exercise's rendered children into the question, the shared parts and its own parts. */
export function readParts(component: string, id: string, html: string, ownKinds: readonly PartKind[]): CommonParts {
  const { rest, parts } = splitParts(html, ['hint', 'solution', 'explanation', ...ownKinds]);
  const of = (kind: PartKind) => parts.filter((part) => part.kind === kind);
  const solutions = of('solution');
  const explanations = of('explanation');
  if (solutions.length > 1) throw new Error(`<${component} id="${id}">: at most one <Solution>`);
  if (explanations.length > 1) throw new Error(`<${component} id="${id}">: at most one <Explanation>`);
  if (!hasContent(rest)) throw new Error(`<${component} id="${id}">: write the question as the component's text`);
  return {
    question: rest,
    hints: of('hint').map((part) => part.html),
    solution: solutions[0]?.html,
    explanation: explanations[0]?.html,
    own: parts.filter((part) => ownKinds.includes(part.kind)),
  };
}

/** Splits a choice's HTML into its label and the <Why> explanation of its misconception. */
export function readChoice(part: Part): { label: string; why?: string; correct: boolean; value?: string } {
  const { rest, parts } = splitParts(part.html, ['why']);
  const whyChild = parts[0]?.html;
  const whyProp = typeof part.props.why === 'string' ? escapeHtml(part.props.why) : undefined;
  return {
    label: rest.trim(),
    why: whyChild ?? whyProp,
    correct: part.props.correct === true,
    value: typeof part.props.value === 'string' ? part.props.value : undefined,
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
