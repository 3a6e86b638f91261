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
