/**
 * Every experiment by name, for the worker (`{type: 'start', experiment: name}`) and the CLI
 * (`npm run experiment -- <name>`). Add one line per experiment.
 */
import type { Experiment } from '../engine/types';
import { gradientFlowExperiment } from '../widgets/gradient-flow/experiment';
import { degradationExperiment } from '../widgets/degradation/experiment';
import { shatteredExperiment } from '../widgets/shattered-gradients/experiment';
import { lossLandscapeExperiment } from '../widgets/loss-landscape/experiment';
import { lesionExperiment } from '../widgets/lesion/experiment';
import { tiedUnitsExperiment } from '../widgets/tied-units/experiment';
import { permutationExperiment } from '../widgets/permutation/experiment';
import { symmetryTestExperiment } from '../widgets/symmetry-test/experiment';
import { mirrorLossExperiment } from '../widgets/mirror-loss/experiment';
import { denseReuseExperiment } from '../widgets/dense-reuse/experiment';
import { tinyTransformerExperiment } from '../widgets/tiny-transformer/experiment';
import { transformerAblationExperiment } from '../widgets/transformer-ablation/experiment';
import { unetExperiment } from '../widgets/unet/experiment';
import { degradationImagesExperiment } from '../widgets/degradation-images/experiment';

export const experiments: Record<string, Experiment> = {
  [gradientFlowExperiment.name]: gradientFlowExperiment,
  [degradationExperiment.name]: degradationExperiment,
  [shatteredExperiment.name]: shatteredExperiment,
  [lossLandscapeExperiment.name]: lossLandscapeExperiment,
  [lesionExperiment.name]: lesionExperiment,
  [tiedUnitsExperiment.name]: tiedUnitsExperiment,
  [permutationExperiment.name]: permutationExperiment,
  [symmetryTestExperiment.name]: symmetryTestExperiment,
  [mirrorLossExperiment.name]: mirrorLossExperiment,
  [tinyTransformerExperiment.name]: tinyTransformerExperiment,
  [transformerAblationExperiment.name]: transformerAblationExperiment,
  [denseReuseExperiment.name]: denseReuseExperiment,
  [unetExperiment.name]: unetExperiment,
  [degradationImagesExperiment.name]: degradationImagesExperiment,
};

export function getExperiment(name: string): Experiment | undefined {
  return Object.prototype.hasOwnProperty.call(experiments, name) ? experiments[name] : undefined;
}
