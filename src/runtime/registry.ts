/**
 * Every experiment by name, for the worker (`{type: 'start', experiment: name}`) and the CLI
 * (`npm run experiment -- <name>`). Add one line per experiment.
 */
import type { Experiment } from '../engine/types';
import { gradientFlowExperiment } from '../widgets/gradient-flow/experiment';
import { degradationExperiment } from '../widgets/degradation/experiment';
import { shatteredExperiment } from '../widgets/shattered-gradients/experiment';

export const experiments: Record<string, Experiment> = {
  [gradientFlowExperiment.name]: gradientFlowExperiment,
  [degradationExperiment.name]: degradationExperiment,
  [shatteredExperiment.name]: shatteredExperiment,
};

export function getExperiment(name: string): Experiment | undefined {
  return Object.prototype.hasOwnProperty.call(experiments, name) ? experiments[name] : undefined;
}
