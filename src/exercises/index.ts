/** Every exercise component, for one import line in MDX: `import { MultipleChoice, Choice } from '~/exercises';` */
export { default as MultipleChoice } from './MultipleChoice.astro';
export { default as Choice } from './Choice.astro';
export { default as Why } from './Why.astro';
export { default as NumericAnswer } from './NumericAnswer.astro';
export { default as Feedback } from './Feedback.astro';
export { default as Ordering } from './Ordering.astro';
export { default as Item } from './Item.astro';
export { default as Matching } from './Matching.astro';
export { default as Pair } from './Pair.astro';
export { default as PredictThenRun } from './PredictThenRun.astro';
export { default as WidgetChallenge } from './WidgetChallenge.astro';
export { default as Hint } from './Hint.astro';
export { default as Solution } from './Solution.astro';
export { default as Explanation } from './Explanation.astro';
