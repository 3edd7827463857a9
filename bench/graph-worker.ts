/// <reference lib="webworker" />
/**
 * Times one reference graph model (./graph-reference.ts) for `seconds`: the engine's graph trainer
 * (read-back every 10 steps) or the Layers API's trainOnBatch, on the requested back-end.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { initBrowserBackend } from '../src/runtime/backend-browser';
import { createGraphExperimentRun } from '../src/engine/models/graph-trainer';
import { sampleBatch } from '../src/engine/data/tensor-dataset';
import { createRandom } from '../src/engine/random';
import { BATCH, LEARNING_RATE, layersModel, referenceData, referenceSpec, type GraphBenchRequest, type GraphBenchResult } from './graph-reference';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const READ_EVERY = 10;
/** At least this many timed steps, however slow (the cpu back-end's conv net takes seconds per step). */
const MIN_STEPS = 3;

function timeEngine(request: GraphBenchRequest): Pick<GraphBenchResult, 'stepsPerSecond' | 'steps' | 'finalLoss'> {
  const run = createGraphExperimentRun([{ label: request.model, model: referenceSpec(request.model), seed: 1, data: referenceData(request.model), train: { optimizer: 'adam', learningRate: LEARNING_RATE, batchSize: BATCH } }]);
  try {
    run.train(2);
    const chunk = request.backend === 'cpu' ? 1 : READ_EVERY;
    let steps = 0;
    let finalLoss = NaN;
    const started = performance.now();
    while (performance.now() - started < request.seconds * 1000 || steps < MIN_STEPS) {
      const records = run.train(chunk);
      finalLoss = records[records.length - 1].loss;
      steps += chunk;
    }
    return { stepsPerSecond: steps / ((performance.now() - started) / 1000), steps, finalLoss };
  } finally {
    run.dispose();
  }
}

async function timeLayers(request: GraphBenchRequest): Promise<Pick<GraphBenchResult, 'stepsPerSecond' | 'steps' | 'finalLoss'>> {
  const data = referenceData(request.model);
  const model = layersModel(request.model, request.implementation);
  const random = createRandom(2);
  const oneHot = request.implementation === 'layers-one-hot';
  const vocabSize = data.targetShape[data.targetShape.length - 1];
  const step = async (): Promise<number> => {
    const batch = sampleBatch(data, BATCH, random);
    const [x, y] = tf.tidy(() => {
      const inputs = tf.tensor(batch.inputs, batch.inputShape);
      return [oneHot ? tf.oneHot(tf.cast(inputs, 'int32'), vocabSize) : inputs, tf.tensor(batch.targets, batch.targetShape)];
    });
    try {
      const loss = await model.trainOnBatch(x, y);
      return Array.isArray(loss) ? loss[0] : loss;
    } finally {
      x.dispose();
      y.dispose();
    }
  };
  try {
    await step();
    await step();
    let steps = 0;
    let finalLoss = NaN;
    const started = performance.now();
    while (performance.now() - started < request.seconds * 1000 || steps < MIN_STEPS) {
      finalLoss = await step();
      steps++;
    }
    return { stepsPerSecond: steps / ((performance.now() - started) / 1000), steps, finalLoss };
  } finally {
    model.dispose();
  }
}

scope.onmessage = async (event: MessageEvent<GraphBenchRequest>) => {
  const request = event.data;
  const choice = await initBrowserBackend(request.backend);
  const base: GraphBenchResult = { ...request, backendUsed: choice.backend };
  try {
    const figures = request.implementation === 'engine' ? timeEngine(request) : await timeLayers(request);
    scope.postMessage({ ...base, ...figures });
  } catch (error) {
    scope.postMessage({ ...base, error: error instanceof Error ? error.message : String(error) });
  }
};
