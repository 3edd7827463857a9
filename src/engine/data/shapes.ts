/**
 * Seeded images of simple shapes on noise, generated in code: for segmentation (a mask per pixel)
 * and for classification (which shape). Pixel values: background N(0, noise²) plus each shape's
 * brightness (0.5 to 1) inside it.
 */
import type { TensorDataset } from './tensor-dataset';
import { createRandom, type Random } from '../random';

export const SHAPE_KINDS = ['circle', 'square', 'triangle'] as const;
export type ShapeKind = (typeof SHAPE_KINDS)[number];

export interface ShapesOptions {
  /** Number of images. */
  size: number;
  seed: number;
  /** Height and width in pixels; default 32. */
  imageSize?: number;
  /** Standard deviation of the background noise; default 0.3. */
  noise?: number;
}

export interface SegmentationOptions extends ShapesOptions {
  /** Shapes per image, at least 1; default 3 (from 1 to 3). */
  maxShapes?: number;
  /** Which shapes the mask marks: every shape (default), or circles only (squares and triangles are distractors). */
  segment?: 'all' | 'circles';
}

interface Shape {
  kind: ShapeKind;
  centerX: number;
  centerY: number;
  radius: number;
  brightness: number;
}

function randomShape(random: Random, imageSize: number, kind: ShapeKind): Shape {
  const radius = imageSize * (0.12 + 0.13 * random.next());
  const span = imageSize - 2 * radius;
  return { kind, centerX: radius + span * random.next(), centerY: radius + span * random.next(), radius, brightness: 0.5 + 0.5 * random.next() };
}

function inside(shape: Shape, x: number, y: number): boolean {
  const dx = x - shape.centerX;
  const dy = y - shape.centerY;
  if (shape.kind === 'circle') return dx * dx + dy * dy <= shape.radius * shape.radius;
  if (shape.kind === 'square') return Math.abs(dx) <= 0.8 * shape.radius && Math.abs(dy) <= 0.8 * shape.radius;
  // Triangle, apex up: half-width grows from 0 at the top to the radius at the bottom.
  const fromTop = dy + shape.radius;
  return fromTop >= 0 && fromTop <= 2 * shape.radius && Math.abs(dx) <= fromTop / 2;
}

/** Renders shapes onto noise; returns the image and, per pixel, which shapes cover it. */
function render(random: Random, imageSize: number, noise: number, shapes: readonly Shape[], image: Float32Array, offset: number, mark: (pixel: number, shape: Shape) => void): void {
  for (let y = 0; y < imageSize; y++) {
    for (let x = 0; x < imageSize; x++) {
      const pixel = y * imageSize + x;
      let value = noise * random.normal();
      for (const shape of shapes) {
        // Pixel centres at half-integers.
        if (inside(shape, x + 0.5, y + 0.5)) {
          value += shape.brightness;
          mark(pixel, shape);
        }
      }
      image[offset + pixel] = value;
    }
  }
}

/** Images [size, size, 1] with masks [size, size, 1] (1 inside a marked shape): binary cross-entropy targets. */
export function makeShapesSegmentation(options: SegmentationOptions): TensorDataset {
  const { size, seed, imageSize = 32, noise = 0.3, maxShapes = 3, segment = 'all' } = options;
  const random = createRandom(seed);
  const pixels = imageSize * imageSize;
  const inputs = new Float32Array(size * pixels);
  const targets = new Float32Array(size * pixels);
  for (let i = 0; i < size; i++) {
    const count = 1 + random.int(maxShapes);
    const shapes = Array.from({ length: count }, () => randomShape(random, imageSize, SHAPE_KINDS[random.int(SHAPE_KINDS.length)]));
    render(random, imageSize, noise, shapes, inputs, i * pixels, (pixel, shape) => {
      if (segment === 'all' || shape.kind === 'circle') targets[i * pixels + pixel] = 1;
    });
  }
  return { name: `shapes-segmentation${segment === 'circles' ? '-circles' : ''}`, task: 'segmentation', size, inputShape: [imageSize, imageSize, 1], inputs, targetShape: [imageSize, imageSize, 1], targets };
}

/** One shape per image [size, size, 1]; the target is its kind, one-hot over circle, square, triangle (classes balanced by turn). */
export function makeShapesClassification(options: ShapesOptions): TensorDataset {
  const { size, seed, imageSize = 32, noise = 0.3 } = options;
  const random = createRandom(seed);
  const pixels = imageSize * imageSize;
  const classes = SHAPE_KINDS.length;
  const inputs = new Float32Array(size * pixels);
  const targets = new Float32Array(size * classes);
  for (let i = 0; i < size; i++) {
    const label = i % classes;
    render(random, imageSize, noise, [randomShape(random, imageSize, SHAPE_KINDS[label])], inputs, i * pixels, () => undefined);
    targets[i * classes + label] = 1;
  }
  return { name: 'shapes-classification', task: 'classification', size, inputShape: [imageSize, imageSize, 1], inputs, targetShape: [classes], targets, classNames: SHAPE_KINDS };
}
