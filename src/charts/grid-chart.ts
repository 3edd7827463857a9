/**
 * A chart whose plot area is a grid of cells filling it (the layer heatmap, the matrix heatmap):
 * one cursor cell, moved by the pointer or by arrow keys, Home and End, cleared by Escape, blur or
 * the pointer leaving. A subclass says the grid's size and where the first key press lands, and
 * draws the cursor and its readout in draw().
 */
import { ChartFrame } from './chart-frame';

export interface GridCell {
  row: number;
  column: number;
}

export abstract class GridChart extends ChartFrame {
  protected cursor: GridCell | undefined;

  /** Rows and columns of the grid as drawn now. */
  protected abstract gridSize(): { rows: number; columns: number };
  /** The cell the first key press shows. */
  protected abstract firstCell(rows: number, columns: number): GridCell;
  /** Columns Left/Right move with Shift held (1 by default). */
  protected shiftColumnJump(_columns: number): number {
    return 1;
  }

  /** Drops a cursor that no longer fits the grid (call after new data). */
  protected keepCursorInGrid(): void {
    const { rows, columns } = this.gridSize();
    if (this.cursor && (this.cursor.row >= rows || this.cursor.column >= columns)) this.cursor = undefined;
  }

  protected onKey(key: string, shift: boolean): boolean {
    const { rows, columns } = this.gridSize();
    if (rows === 0 || columns === 0) return false;
    if (key === 'Escape') {
      this.onPointerLeave();
      return true;
    }
    const jump = shift ? this.shiftColumnJump(columns) : 1;
    const moves: Record<string, (cell: GridCell) => GridCell> = {
      ArrowLeft: (c) => ({ ...c, column: Math.max(0, c.column - jump) }),
      ArrowRight: (c) => ({ ...c, column: Math.min(columns - 1, c.column + jump) }),
      ArrowUp: (c) => ({ ...c, row: Math.max(0, c.row - 1) }),
      ArrowDown: (c) => ({ ...c, row: Math.min(rows - 1, c.row + 1) }),
      Home: (c) => ({ ...c, column: 0 }),
      End: (c) => ({ ...c, column: columns - 1 }),
    };
    const move = moves[key];
    if (!move) return false;
    this.cursor = this.cursor ? move(this.cursor) : this.firstCell(rows, columns);
    this.draw();
    return true;
  }

  protected onPointer(pointerX: number, pointerY: number): void {
    const { rows, columns } = this.gridSize();
    if (rows === 0 || columns === 0) return;
    const column = Math.floor(((pointerX - this.margins.left) / this.innerWidth) * columns);
    const row = Math.floor(((pointerY - this.margins.top) / this.innerHeight) * rows);
    if (column < 0 || column >= columns || row < 0 || row >= rows) {
      this.onPointerLeave();
      return;
    }
    if (this.cursor?.row === row && this.cursor.column === column) return;
    this.cursor = { row, column };
    this.draw();
  }

  protected onPointerLeave(): void {
    if (!this.cursor) return;
    this.cursor = undefined;
    this.setReadout('');
    this.draw();
  }
}
