/**
 * Orders of hidden units as one integer (for a setting, a URL and the CLI): the index of a
 * permutation of 0..n−1 in lexicographic order (its Lehmer code). 0 is the identity; n! − 1 the
 * reversal. Pure, used by the experiment and the view.
 */

export function factorial(n: number): number {
  let result = 1;
  for (let k = 2; k <= n; k++) result *= k;
  return result;
}

/** The permutation with lexicographic index `index` (new position k holds old unit order[k]). */
export function orderFromIndex(index: number, n: number): number[] {
  if (!Number.isInteger(index) || index < 0 || index >= factorial(n)) throw new Error(`order index must be an integer from 0 to ${factorial(n) - 1}, got ${index}`);
  const pool = Array.from({ length: n }, (_, i) => i);
  const order: number[] = [];
  let rest = index;
  for (let position = n - 1; position >= 0; position--) {
    const block = factorial(position);
    const pick = Math.floor(rest / block);
    rest %= block;
    order.push(pool.splice(pick, 1)[0]);
  }
  return order;
}

/** The lexicographic index of a permutation of 0..n−1. */
export function indexFromOrder(order: readonly number[]): number {
  const pool = Array.from({ length: order.length }, (_, i) => i);
  let index = 0;
  order.forEach((unit, position) => {
    const pick = pool.indexOf(unit);
    if (pick < 0) throw new Error(`not a permutation: ${order.join(',')}`);
    index += pick * factorial(order.length - 1 - position);
    pool.splice(pick, 1);
  });
  return index;
}

/** Moves the unit at `from` to `to`, shifting the others (what a drag or a Move up/down does). */
export function moveUnit(order: readonly number[], from: number, to: number): number[] {
  const next = [...order];
  const [unit] = next.splice(from, 1);
  next.splice(Math.max(0, Math.min(next.length, to)), 0, unit);
  return next;
}
