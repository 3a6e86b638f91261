// Seeded test batches, including the awkward values: zeros, 1e-38, subnormals, peaked rows.
/** mulberry32: a small, fast 32-bit PRNG; floats in (0, 1), never 0 (so log(u) is finite). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

export type Kind = 'uniform' | 'sparse' | 'tiny' | 'peaked';
export type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

/** rows x cols of probabilities (each row sums to ~1 before rounding to the type). */
export function batch(Type: Ctor, rows: number, cols: number, kind: Kind, seed = 1): Float32Array | Float64Array {
  const r = rng(seed);
  const f32 = Type === Float32Array;
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) {
      let v = r();
      if (kind === 'sparse' && r() < 0.3) v = 0;
      if (kind === 'peaked') v = j === i % cols ? 1 : r() * 1e-6;
      x[i * cols + j] = v;
      s += v;
    }
    for (let j = 0; j < cols; j++) x[i * cols + j] = s > 0 ? x[i * cols + j] / s : 0;
    if (kind === 'tiny') {
      // after normalising, so they stay tiny: the smallest normal, subnormals, zeros
      const specials = f32 ? [1e-38, 1.1754943508222875e-38, 1e-40, 1.401298464324817e-45, 0]
        : [1e-300, 2.2250738585072014e-308, 1e-310, 5e-324, 0];
      for (let j = 0; j < cols; j += 3) x[i * cols + j] = specials[(i + j) % specials.length];
    }
  }
  return new Type(x);
}

/** A strictly positive batch (every q > 0), for identities that need it. */
export function positiveBatch(Type: Ctor, rows: number, cols: number, seed = 2): Float32Array | Float64Array {
  const r = rng(seed);
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += x[i * cols + j] = 0.01 + r();
    for (let j = 0; j < cols; j++) x[i * cols + j] /= s;
  }
  return new Type(x);
}
