/**
 * A seeded subset of Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; MIT licence, Zalando SE), shipped
 * with the site as public/data/fashion-mnist-subset.bin.gz (made by
 * scripts/make-fashion-mnist-subset.ts from Debian's dataset-fashion-mnist): 6,000 training and
 * 1,000 test images, 28×28 grey levels, classes balanced. Loaded from the site's own files (the
 * worker) or from disk (Node), never from another host.
 *
 * File format, gzip-compressed: 'FMS1', then little-endian uint32 train count, test count, rows,
 * columns; the train labels then the test labels (one byte each); then every image's bytes, each
 * image PNG-Paeth-filtered (a byte minus the Paeth prediction from its left, upper and upper-left
 * neighbours, mod 256), which lets gzip bring the 5.5 MB of pixels under 3 MB losslessly.
 */
import type { TensorDataset } from './tensor-dataset';

export const FASHION_MNIST_FILE = 'data/fashion-mnist-subset.bin.gz';
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;
const MAGIC = 'FMS1';
const HEADER_BYTES = 20;

export interface FashionMnist {
  train: TensorDataset;
  test: TensorDataset;
}

export interface FashionMnistImages {
  rows: number;
  columns: number;
  trainLabels: Uint8Array;
  testLabels: Uint8Array;
  /** Train images then test images, row-major grey levels 0-255. */
  images: Uint8Array;
}

function paethPrediction(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

/** Applies (encode) or undoes (decode) the Paeth filter on every rows × columns image, in place of a copy. */
function paethFilter(pixels: Uint8Array, rows: number, columns: number, direction: 'encode' | 'decode'): Uint8Array {
  const out = new Uint8Array(pixels.length);
  // Predictions use original pixels: `pixels` when encoding, the decoded `out` when decoding.
  const original = direction === 'encode' ? pixels : out;
  const size = rows * columns;
  for (let start = 0; start < pixels.length; start += size) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const i = start + r * columns + c;
        const left = c > 0 ? original[i - 1] : 0;
        const up = r > 0 ? original[i - columns] : 0;
        const upLeft = r > 0 && c > 0 ? original[i - columns - 1] : 0;
        const prediction = paethPrediction(left, up, upLeft);
        out[i] = direction === 'encode' ? (pixels[i] - prediction) & 255 : (pixels[i] + prediction) & 255;
      }
    }
  }
  return out;
}

/** The uncompressed file for a subset (the script gzips it). */
export function encodeFashionMnist(subset: FashionMnistImages): Uint8Array {
  const { rows, columns, trainLabels, testLabels, images } = subset;
  const bytes = new Uint8Array(HEADER_BYTES + trainLabels.length + testLabels.length + images.length);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  [trainLabels.length, testLabels.length, rows, columns].forEach((value, i) => view.setUint32(4 + 4 * i, value, true));
  bytes.set(trainLabels, HEADER_BYTES);
  bytes.set(testLabels, HEADER_BYTES + trainLabels.length);
  bytes.set(paethFilter(images, rows, columns, 'encode'), HEADER_BYTES + trainLabels.length + testLabels.length);
  return bytes;
}

export function decodeFashionMnistImages(bytes: Uint8Array): FashionMnistImages {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== MAGIC) throw new Error(`Not a Fashion-MNIST subset file (starts with ${JSON.stringify(magic)})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [trainCount, testCount, rows, columns] = [0, 1, 2, 3].map((i) => view.getUint32(4 + 4 * i, true));
  const imageStart = HEADER_BYTES + trainCount + testCount;
  const expected = imageStart + (trainCount + testCount) * rows * columns;
  if (bytes.length !== expected) throw new Error(`Fashion-MNIST subset file is ${bytes.length} bytes, expected ${expected}`);
  return {
    rows,
    columns,
    trainLabels: bytes.slice(HEADER_BYTES, HEADER_BYTES + trainCount),
    testLabels: bytes.slice(HEADER_BYTES + trainCount, imageStart),
    images: paethFilter(bytes.subarray(imageStart), rows, columns, 'decode'),
  };
}

/** Images scaled to [0, 1] as [rows, columns, 1], one-hot targets over the ten classes. */
function toDataset(name: string, images: Uint8Array, labels: Uint8Array, rows: number, columns: number): TensorDataset {
  const classes = FASHION_MNIST_CLASSES.length;
  const inputs = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) inputs[i] = images[i] / 255;
  const targets = new Float32Array(labels.length * classes);
  labels.forEach((label, i) => (targets[i * classes + label] = 1));
  return { name, task: 'classification', size: labels.length, inputShape: [rows, columns, 1], inputs, targetShape: [classes], targets, classNames: FASHION_MNIST_CLASSES };
}

/** gzip (as shipped) or already inflated (a server that sent it with Content-Encoding: gzip). */
async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  // slice(): a copy backed by a plain ArrayBuffer, which Blob's typing asks for.
  const stream = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The train and test sets from the shipped file's bytes. */
export async function fashionMnistFromFile(bytes: Uint8Array): Promise<FashionMnist> {
  const { rows, columns, trainLabels, testLabels, images } = decodeFashionMnistImages(await inflate(bytes));
  const split = trainLabels.length * rows * columns;
  return {
    train: toDataset('fashion-mnist-train', images.subarray(0, split), trainLabels, rows, columns),
    test: toDataset('fashion-mnist-test', images.subarray(split), testLabels, rows, columns),
  };
}

let loaded: FashionMnist | undefined;

/** Makes the loaded set available to experiments (the worker and the CLI call this before creating one that declares the asset). */
export function provideFashionMnist(data: FashionMnist): void {
  loaded = data;
}

export function isFashionMnistLoaded(): boolean {
  return loaded !== undefined;
}

/** The loaded set; experiments that declare the 'fashion-mnist' asset may call this in create(). */
export function fashionMnist(): FashionMnist {
  if (!loaded) throw new Error('Fashion-MNIST is not loaded: an experiment that uses it must list "fashion-mnist" in its assets, so the worker or the CLI loads it first');
  return loaded;
}
