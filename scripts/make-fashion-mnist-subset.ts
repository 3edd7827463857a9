/**
 * `npx tsx scripts/make-fashion-mnist-subset.ts [source folder]`: writes
 * public/data/fashion-mnist-subset.bin.gz from Debian's dataset-fashion-mnist
 * (`apt-get install dataset-fashion-mnist`, files in /usr/share/datasets/fashion-mnist/).
 *
 * A seeded, class-balanced subset: 600 training images per class from the 60,000 training images
 * and 100 test images per class from the 10,000 test images, shuffled. The same seed gives the same
 * file byte for byte. Format: src/engine/data/fashion-mnist.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { createRandom } from '../src/engine/random';
import { FASHION_MNIST_CLASSES, encodeFashionMnist } from '../src/engine/data/fashion-mnist';

const SEED = 2026;
const TRAIN_PER_CLASS = 600;
const TEST_PER_CLASS = 100;
const source = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const output = resolve(import.meta.dirname, '../public/data/fashion-mnist-subset.bin.gz');

/** IDX files: big-endian magic and dimensions, then the bytes. */
function readIdx(file: string): { dims: number[]; data: Uint8Array } {
  const bytes = gunzipSync(readFileSync(join(source, file)));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rank = view.getUint8(3);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  return { dims, data: bytes.subarray(4 + 4 * rank) };
}

/** `perClass` indices of each class, chosen and shuffled with the seeded generator. */
function balancedSample(labels: Uint8Array, perClass: number, seed: number): number[] {
  const random = createRandom(seed);
  const chosen: number[] = [];
  FASHION_MNIST_CLASSES.forEach((_, label) => {
    const members: number[] = [];
    labels.forEach((value, index) => {
      if (value === label) members.push(index);
    });
    for (let i = members.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [members[i], members[j]] = [members[j], members[i]];
    }
    chosen.push(...members.slice(0, perClass));
  });
  for (let i = chosen.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
  }
  return chosen;
}

const trainImages = readIdx('train-images-idx3-ubyte.gz');
const trainLabels = readIdx('train-labels-idx1-ubyte.gz');
const testImages = readIdx('t10k-images-idx3-ubyte.gz');
const testLabels = readIdx('t10k-labels-idx1-ubyte.gz');
const [, rows, columns] = trainImages.dims;
const size = rows * columns;
const trainPick = balancedSample(trainLabels.data, TRAIN_PER_CLASS, SEED);
const testPick = balancedSample(testLabels.data, TEST_PER_CLASS, SEED + 1);
const images = new Uint8Array((trainPick.length + testPick.length) * size);
trainPick.forEach((index, row) => images.set(trainImages.data.subarray(index * size, (index + 1) * size), row * size));
testPick.forEach((index, row) => images.set(testImages.data.subarray(index * size, (index + 1) * size), (trainPick.length + row) * size));
const file = encodeFashionMnist({
  rows,
  columns,
  trainLabels: Uint8Array.from(trainPick, (index) => trainLabels.data[index]),
  testLabels: Uint8Array.from(testPick, (index) => testLabels.data[index]),
  images,
});
// mtime 0 in the gzip header (Node writes none): the output depends on the inputs only.
const compressed = gzipSync(file, { level: 9 });
writeFileSync(output, compressed);
process.stdout.write(`${output}: ${trainPick.length} train + ${testPick.length} test images, ${compressed.length} bytes\n`);
