// Independent f64 references: the textbook formula per row, written plainly and sharing
// no code with src/. Inputs are read as f64 (a Float32Array's values exactly).
type Arr = ArrayLike<number>;

function rowsOf(x: Arr, cols: number): number[][] {
  const rows: number[][] = [];
  for (let o = 0; o < x.length; o += cols) rows.push(Array.from({ length: cols }, (_, i) => x[o + i]));
  return rows;
}

const xlogy = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(y));


export function entropyRef(p: Arr, cols: number, normalize = false): number[] {
  return rowsOf(p, cols).map((row) => {
    const s = normalize ? row.reduce((a, b) => a + b, 0) : 1;
    return -row.reduce((acc, v) => acc + xlogy(v / s, v / s), 0);
  });
}

export function crossEntropyRef(p: Arr, q: Arr, cols: number): number[] {
  const qs = rowsOf(q, cols);
  return rowsOf(p, cols).map((row, r) => -row.reduce((acc, v, i) => acc + xlogy(v, qs[r][i]), 0));
}

/** sum p log(p/q), with log(p/q) = log p - log q where the ratio would overflow. */
export function klRef(p: Arr, q: Arr, cols: number): number[] {
  const qs = rowsOf(q, cols);
  return rowsOf(p, cols).map((row, r) =>
    row.reduce((acc, v, i) => (v === 0 ? acc : acc + v * (Math.log(v) - Math.log(qs[r][i]))), 0));
}

export function klLogTargetRef(lp: Arr, q: Arr, cols: number): number[] {
  const qs = rowsOf(q, cols);
  return rowsOf(lp, cols).map((row, r) =>
    row.reduce((acc, l, i) => (l === -Infinity ? acc : acc + Math.exp(l) * (l - Math.log(qs[r][i]))), 0));
}

export function jsRef(p: Arr, q: Arr, cols: number): number[] {
  const qs = rowsOf(q, cols);
  return rowsOf(p, cols).map((row, r) => {
    let s = 0;
    row.forEach((a, i) => {
      const b = qs[r][i];
      const m = (a + b) / 2;
      if (a > 0) s += a * Math.log(a / m);
      if (b > 0) s += b * Math.log(b / m);
    });
    return s / 2;
  });
}

export function binaryEntropyRef(p: Arr): number[] {
  return Array.from(p, (v) => (v === 0 || v === 1 ? 0 : -v * Math.log(v) - (1 - v) * Math.log1p(-v)));
}

export function jointRefs(x: Arr, cols: number): { hxy: number; hx: number; hy: number; hyx: number; mi: number } {
  const rows = rowsOf(x, cols);
  const total = rows.flat().reduce((a, b) => a + b, 0);
  const r = rows.map((row) => row.reduce((a, b) => a + b, 0));
  const c = Array.from({ length: cols }, (_, j) => rows.reduce((a, row) => a + row[j], 0));
  const h = (v: number[]) => -v.reduce((acc, t) => acc + xlogy(t / total, t / total), 0);
  // (t / total may underflow to 0 for subnormal counts: 0 log 0 = 0 by xlogy's guard)
  const hxy = h(rows.flat()), hx = h(r), hy = h(c);
  let mi = 0;
  rows.forEach((row, i) => row.forEach((v, j) => {
    if (v === 0) return;
    const ratio = (v * total) / (r[i] * c[j]);
    const log = ratio > 0 && ratio < Infinity ? Math.log(ratio) : Math.log(v) + Math.log(total) - Math.log(r[i]) - Math.log(c[j]);
    mi += (v / total) * log;
  }));
  return { hxy, hx, hy, hyx: hxy - hx, mi };
}

// ---- logits (f64, the textbook formulas)
export function logSoftmaxRow(z: number[], invT = 1): number[] {
  const x = z.map((v) => v * invT);
  const m = Math.max(...x);
  const lse = m + Math.log(x.reduce((a, v) => a + Math.exp(v - m), 0));
  return x.map((v) => v - lse);
}

export function rowsOfLogits(x: ArrayLike<number>, cols: number): number[][] {
  return rowsOf(x, cols);
}

/** Per-row cross entropy with class indices, PyTorch's weight / ignore_index / label_smoothing. */
export function crossEntropyIndexRef(z: ArrayLike<number>, y: Int32Array, cols: number,
  o: { weight?: ArrayLike<number>; ignoreIndex?: number; eps?: number } = {}): { loss: number[]; weightSum: number } {
  const ignore = o.ignoreIndex ?? -100, eps = o.eps ?? 0;
  const w = (c: number) => (o.weight ? o.weight[c] : 1);
  let weightSum = 0;
  const loss = rowsOf(z, cols).map((row, r) => {
    if (y[r] === ignore) return 0;
    const lp = logSoftmaxRow(row);
    weightSum += w(y[r]);
    let smooth = 0;
    for (let c = 0; c < cols; c++) smooth += w(c) * -lp[c];
    return (1 - eps) * w(y[r]) * -lp[y[r]] + (eps / cols) * smooth;
  });
  return { loss, weightSum };
}

export function crossEntropyProbRef(z: ArrayLike<number>, t: ArrayLike<number>, cols: number,
  o: { weight?: ArrayLike<number>; eps?: number } = {}): number[] {
  const eps = o.eps ?? 0;
  const ts = rowsOf(t, cols);
  return rowsOf(z, cols).map((row, r) => {
    const lp = logSoftmaxRow(row);
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const tc = ts[r][c] * (1 - eps) + eps / cols;
      if (tc !== 0) s += (o.weight ? o.weight[c] : 1) * tc * -lp[c];
    }
    return s;
  });
}

export function softmaxEntropyRef(z: ArrayLike<number>, cols: number, invT = 1): number[] {
  return rowsOf(z, cols).map((row) => {
    const lp = logSoftmaxRow(row, invT);
    return -lp.reduce((a, l) => a + (l === -Infinity ? 0 : Math.exp(l) * l), 0);
  });
}

/** -w (pw t log sigmoid(x) + (1-t) log(1 - sigmoid(x))), with log sigmoid(x) = -softplus(-x). */
export function bceLogitsRef(x: ArrayLike<number>, t: ArrayLike<number>, w = (_i: number) => 1, pw = (_i: number) => 1): number[] {
  const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  return Array.from(x, (v, i) => w(i) * (pw(i) * t[i] * softplus(-v) + (1 - t[i]) * softplus(v)));
}

export function distillRef(s: ArrayLike<number>, t: ArrayLike<number>, cols: number, T: number): number[] {
  const ts = rowsOf(t, cols);
  return rowsOf(s, cols).map((row, r) => {
    const lps = logSoftmaxRow(row, 1 / T), lpt = logSoftmaxRow(ts[r], 1 / T);
    return T * T * lpt.reduce((a, l, c) => a + (l === -Infinity ? 0 : Math.exp(l) * (l - lps[c])), 0);
  });
}
