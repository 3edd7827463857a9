/**
 * Seeded pseudo-random numbers, so that the same seed gives the same weights, data and batches
 * in the browser, in Node and in every run order. mulberry32: tiny, fast, good enough for
 * initialisation and sampling (not for cryptography).
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

export function createRandom(seed: number): Random {
  // Mix the seed so that seeds 1, 2, 3 give unrelated streams.
  let state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  let spareNormal: number | undefined;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    if (spareNormal !== undefined) {
      const value = spareNormal;
      spareNormal = undefined;
      return value;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
  return { next, normal, int: (n) => Math.floor(next() * n) };
}

/** Derives an independent seed for a named purpose (weights, data, batches) from one user seed. */
export function deriveSeed(seed: number, purpose: number): number {
  return (Math.imul(seed + 1, 0x27d4eb2d) ^ Math.imul(purpose + 7, 0x165667b1)) >>> 0;
}
