/**
 * The live U-Net's masks panel: for each shown test image, the image, its true mask and each
 * network's predicted probability per pixel, as small canvases. The grid is built once, at its
 * final size, so the widget's height does not change when the first masks arrive; afterwards a
 * redraw only writes the pixels of the canvases whose values changed (one putImageData each) and
 * the labels that changed. Rebuilding the grid's 16 canvases at every evaluation cost long
 * main-thread tasks (layout, paint and layer updates for the new elements) while training.
 */
import { latestEvaluation, maskIoU, type UnetSnapshot, type UnetVariant } from './masks';

const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '–');

/** The grid's shape when no snapshot has arrived yet: the experiment's 4 test images, 2 networks. */
const DEFAULT_ROWS = 4;
const DEFAULT_NETWORKS = 2;

interface Cell {
  canvas: HTMLCanvasElement;
  context: CanvasRenderingContext2D | null;
  image: ImageData | undefined;
  /** Signature of the values drawn (undefined: blank). */
  drawn: string | undefined;
  label: string;
}

interface CellContent {
  values: readonly number[] | undefined;
  label: string;
  low?: number;
  high?: number;
}

/** A cheap signature of an array's values: equal content gives an equal signature. */
export function valuesSignature(values: readonly number[]): string {
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    weighted += values[i] * ((i % 97) + 1);
  }
  return `${values.length}:${sum}:${weighted}`;
}

/** Grey level (0–255) of each value, clamped to [low, high]; RGBA written into `out`. */
export function greyLevels(values: readonly number[], out: Uint8ClampedArray, low = 0, high = 1): void {
  const scale = 255 / (high - low);
  for (let i = 0; i < values.length; i++) {
    const level = Math.round(Math.min(255, Math.max(0, (values[i] - low) * scale)));
    const at = i * 4;
    out[at] = level;
    out[at + 1] = level;
    out[at + 2] = level;
    out[at + 3] = 255;
  }
}

/** "With skips" or "No skips": the column heading of a network. */
function networkHeading(variant: UnetVariant | undefined, index: number): string {
  if (!variant) return index === 0 ? 'With skips' : 'No skips';
  return variant.skipLevels.length > 0 ? 'With skips' : 'No skips';
}

export class MaskPanel {
  private readonly grid: HTMLElement;
  private headings: HTMLElement[] = [];
  private cells: Cell[][] = [];
  private imageSize = 0;

  /** `area` receives the grid; `note` (beside the panel's caption) says at which step the masks are. */
  constructor(
    area: HTMLElement,
    private readonly note: HTMLElement | null,
  ) {
    this.grid = document.createElement('div');
    this.grid.className = 'unet-masks-grid';
    area.replaceChildren(this.grid);
    this.build(DEFAULT_ROWS, DEFAULT_NETWORKS + 2);
    this.update(undefined);
  }

  /**
   * (Re)builds the grid, only when the number of images or networks changes: one grid row per
   * kind of picture (image, true mask, each network's prediction), headed on the left, one column
   * per test image, so every heading fits on one line beside its row.
   */
  private build(rows: number, columns: number): void {
    this.grid.style.setProperty('--unet-images', String(rows));
    this.headings = Array.from({ length: columns }, () => {
      const heading = document.createElement('span');
      heading.className = 'unet-masks-heading';
      heading.setAttribute('aria-hidden', 'true');
      return heading;
    });
    this.cells = Array.from({ length: rows }, () =>
      Array.from({ length: columns }, () => {
        const canvas = document.createElement('canvas');
        canvas.className = 'unet-mask';
        canvas.setAttribute('role', 'img');
        return { canvas, context: canvas.getContext('2d'), image: undefined, drawn: undefined, label: '' };
      }),
    );
    this.imageSize = 0;
    this.grid.replaceChildren(...this.headings.flatMap((heading, column) => [heading, ...this.cells.map((row) => row[column].canvas)]));
  }

  /** Draws the snapshot's masks (or blank cells without one), touching only what changed. */
  update(data: UnetSnapshot | undefined): void {
    const variants = data?.variants ?? [];
    const rows = data?.shown.images.length ?? DEFAULT_ROWS;
    const networks = data ? variants.length : DEFAULT_NETWORKS;
    if (rows !== this.cells.length || networks + 2 !== this.headings.length) this.build(rows, networks + 2);
    const size = data?.imageSize ?? 0;
    if (size !== this.imageSize) {
      this.imageSize = size;
      for (const row of this.cells) {
        for (const cell of row) {
          cell.image = undefined;
          cell.drawn = undefined;
          if (size > 0) {
            cell.canvas.width = size;
            cell.canvas.height = size;
            cell.image = cell.context?.createImageData(size, size);
          }
        }
      }
    }

    const names = ['Image', 'True mask', ...Array.from({ length: networks }, (_, index) => networkHeading(variants[index], index))];
    names.forEach((name, index) => {
      if (this.headings[index].textContent !== name) this.headings[index].textContent = name;
    });

    this.cells.forEach((row, index) => {
      const truth = data?.shown.truth[index];
      const contents: CellContent[] = [
        { values: data?.shown.images[index], label: `Test image ${index + 1}`, low: -0.6, high: 1.6 },
        { values: truth, label: `True mask of test image ${index + 1}` },
        ...Array.from({ length: networks }, (_, column): CellContent => {
          const variant = variants[column];
          const mask = variant?.masks[index];
          if (!variant || !mask || mask.length === 0 || !truth) return { values: undefined, label: `Mask predicted by network ${column + 1} for test image ${index + 1}: not evaluated yet` };
          const iou = maskIoU(
            mask.map((p) => p - 0.5),
            truth,
          );
          return { values: mask, label: `Mask predicted by the network with ${variant.label} for test image ${index + 1}: IoU ${percent(iou)}` };
        }),
      ];
      contents.forEach((content, column) => this.drawCell(row[column], content));
    });

    const step = Math.max(0, ...variants.map((v) => latestEvaluation(v)?.step ?? 0));
    const note = data ? `at step ${step}` : '';
    if (this.note && this.note.textContent !== note) this.note.textContent = note;
  }

  private drawCell(cell: Cell, content: CellContent): void {
    if (cell.label !== content.label) {
      cell.label = content.label;
      cell.canvas.setAttribute('aria-label', content.label);
      cell.canvas.title = content.label;
    }
    const values = content.values;
    const usable = values !== undefined && values.length > 0 && values.length === this.imageSize * this.imageSize;
    const signature = usable ? valuesSignature(values) : undefined;
    if (signature === cell.drawn) return;
    cell.drawn = signature;
    if (!cell.context) return;
    if (!usable || !cell.image) {
      cell.context.clearRect(0, 0, cell.canvas.width, cell.canvas.height);
      return;
    }
    greyLevels(values, cell.image.data, content.low, content.high);
    cell.context.putImageData(cell.image, 0, 0);
  }
}
