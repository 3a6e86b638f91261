// Independent f64 references of every public function, written from the published
// formulas (API.md) and nothing else: they import neither src/ nor test/support/reference.ts,
// and they sum with Neumaier's compensated summation, so the reference's own error is far
// below the bounds the tests hold the backends to (f32 1e-6 relative, f64 1e-12 relative),
// even on rows of 150,001 values. Inputs are read as f64 (a Float32Array's values exactly).
export type Arr = ArrayLike<number>;
export type Reduction = 'none' | 'sum' | 'mean';

/** Compensated sum (Neumaier): exact to a few ulps of the result for any order of terms. */
export class Sum {
  private s = 0;
  private c = 0;
  add(x: number): this {
    const t = this.s + x;
    if (!Number.isFinite(t)) { this.s = t; this.c = 0; return this; }
    if (Math.abs(this.s) >= Math.abs(x)) this.c += (this.s - t) + x;
    else this.c += (x - t) + this.s;
    this.s = t;
    return this;
  }
  get value(): number { return Number.isFinite(this.s) ? this.s + this.c : this.s; }
}

export function sumOf(xs: Arr): number {
  const s = new Sum();
  for (let i = 0; i < xs.length; i++) s.add(xs[i]);
  return s.value;
}

/** Row r of a row-major batch as a plain array. */
function row(x: Arr, cols: number, r: number): number[] {
  const a = new Array<number>(cols);
  for (let j = 0; j < cols; j++) a[j] = x[r * cols + j];
  return a;
}
const rowCount = (x: Arr, cols: number) => x.length / cols;
function perRow(x: Arr, cols: number, f: (row: number[], r: number) => number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rowCount(x, cols); r++) out.push(f(row(x, cols, r), r));
  return out;
}
/** ln -> the unit of `base`. */
const unit = (base: number | undefined) => (base === undefined ? 1 : 1 / Math.log(base));

/** 'none': the values; 'sum'; 'mean' over `den` (default the count). */
export function reduceRef(v: number[], reduction: Reduction, den = v.length): number[] | number {
  if (reduction === 'none') return v;
  const s = sumOf(v);
  return reduction === 'sum' ? s : s / den;
}

// ---- probability space

/** -sum p log p (0 log 0 = 0); normalize divides by the row sum first (all-zero row: NaN). */
export function entropy(p: Arr, cols: number, o: { normalize?: boolean; base?: number } = {}): number[] {
  return perRow(p, cols, (x) => {
    const total = o.normalize ? sumOf(x) : 1;
    if (o.normalize && total === 0) return NaN;
    const s = new Sum();
    for (const v of x) {
      if (v === 0) continue;
      const u = v / total;
      // log(v / total) as a difference when the quotient underflows
      s.add(-u * (u > 0 ? Math.log(u) : Math.log(v) - Math.log(total)));
    }
    return s.value * unit(o.base);
  });
}

/** -sum p log q; p > 0 where q = 0 gives Infinity. */
export function crossEntropy(p: Arr, q: Arr, cols: number, o: { base?: number } = {}): number[] {
  return perRow(p, cols, (x, r) => {
    const y = row(q, cols, r);
    const s = new Sum();
    x.forEach((v, j) => { if (v !== 0) s.add(-v * Math.log(y[j])); });
    return s.value * unit(o.base);
  });
}

/** log(a / b) accurately: the quotient when it is a normal number, else the difference. */
function logRatio(a: number, b: number): number {
  const r = a / b;
  return r > 2.3e-308 && r < Infinity ? Math.log(r) : Math.log(a) - Math.log(b);
}

/** sum p log(p / q); logTarget: the first argument is log p. */
export function klDivergence(p: Arr, q: Arr, cols: number, o: { base?: number; logTarget?: boolean } = {}): number[] {
  return perRow(p, cols, (x, r) => {
    const y = row(q, cols, r);
    const s = new Sum();
    x.forEach((v, j) => {
      if (o.logTarget) {
        if (v === -Infinity) return;
        s.add(Math.exp(v) * (v - Math.log(y[j])));
      } else if (v !== 0) {
        s.add(y[j] === 0 ? Infinity : v * logRatio(v, y[j]));
      }
    });
    return s.value * unit(o.base);
  });
}

/** (D(p||m) + D(q||m)) / 2, m = (p + q) / 2. */
export function jsDivergence(p: Arr, q: Arr, cols: number, o: { base?: number } = {}): number[] {
  return perRow(p, cols, (x, r) => {
    const y = row(q, cols, r);
    const s = new Sum();
    x.forEach((a, j) => {
      const b = y[j];
      const m = a / 2 + b / 2; // no overflow for huge a + b
      if (a > 0) s.add(a * logRatio(a, m));
      if (b > 0) s.add(b * logRatio(b, m));
    });
    return (s.value / 2) * unit(o.base);
  });
}

export function surprisal(p: Arr, o: { base?: number } = {}): number[] {
  return Array.from(p, (v) => -Math.log(v) * unit(o.base));
}

export function binaryEntropy(p: Arr, o: { base?: number } = {}): number[] {
  return Array.from(p, (v) => (v === 0 || v === 1 ? 0 : (-v * Math.log(v) - (1 - v) * Math.log1p(-v)) * unit(o.base)));
}

// ---- joint tables

interface Table { cells: number[][]; r: number[]; c: number[]; total: number }
function table(x: Arr, cols: number): Table {
  const cells: number[][] = [];
  for (let i = 0; i < rowCount(x, cols); i++) cells.push(row(x, cols, i));
  const r = cells.map(sumOf);
  const c = Array.from({ length: cols }, (_, j) => sumOf(cells.map((a) => a[j])));
  return { cells, r, c, total: sumOf(r) };
}

/** H(X, Y) = -sum (x/T) log(x/T). */
export function jointEntropy(x: Arr, cols: number, o: { base?: number } = {}): number {
  const t = table(x, cols);
  if (t.total === 0) return NaN; // no distribution
  const s = new Sum();
  for (const a of t.cells) for (const v of a) if (v > 0) s.add(-(v / t.total) * logRatio(v, t.total));
  return s.value * unit(o.base);
}

/** H(Y | X) = -sum (x/T) log(x / r_x): the definition, no H(X,Y) - H(X) cancellation. */
export function conditionalEntropy(x: Arr, cols: number, o: { base?: number } = {}): number {
  const t = table(x, cols);
  if (t.total === 0) return NaN;
  const s = new Sum();
  t.cells.forEach((a, i) => { for (const v of a) if (v > 0) s.add(-(v / t.total) * logRatio(v, t.r[i])); });
  return s.value * unit(o.base);
}

/** I(X;Y) = sum (x/T) log(x T / (r c)), clipped at 0. */
export function mutualInformation(x: Arr, cols: number, o: { base?: number } = {}): number {
  const t = table(x, cols);
  if (t.total === 0) return NaN;
  const s = new Sum();
  t.cells.forEach((a, i) => a.forEach((v, j) => {
    if (v <= 0) return;
    const ratio = (v / t.r[i]) * (t.total / t.c[j]);
    const l = ratio > 2.3e-308 && ratio < Infinity ? Math.log(ratio)
      : Math.log(v) + Math.log(t.total) - Math.log(t.r[i]) - Math.log(t.c[j]);
    s.add((v / t.total) * l);
  }));
  return Math.max(0, s.value * unit(o.base));
}

// ---- logits

/** log softmax(z / T) of one row: z/T - max - log sum exp(z/T - max). */
export function logSoftmaxRow(z: number[], temperature = 1): number[] {
  const x = z.map((v) => v / temperature);
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  if (m === Infinity) return x.map((v) => (v === Infinity ? NaN : -Infinity));
  const s = new Sum();
  for (const v of x) s.add(Math.exp(v - m));
  const l = Math.log(s.value);
  return x.map((v) => (v - m) - l);
}

export function logSumExp(x: Arr, cols: number, o: { temperature?: number; base?: number } = {}): number[] {
  const T = o.temperature ?? 1;
  return perRow(x, cols, (z) => {
    const y = z.map((v) => v / T);
    let m = -Infinity;
    for (const v of y) if (v > m) m = v;
    if (m === -Infinity || m === Infinity) return m;
    const s = new Sum();
    for (const v of y) s.add(Math.exp(v - m));
    return (m + Math.log(s.value)) * unit(o.base);
  });
}

export function logSoftmax(x: Arr, cols: number, o: { temperature?: number } = {}): number[] {
  return perRow(x, cols, () => 0).flatMap((_, r) => logSoftmaxRow(row(x, cols, r), o.temperature));
}

export function softmax(x: Arr, cols: number, o: { temperature?: number } = {}): number[] {
  return logSoftmax(x, cols, o).map(Math.exp);
}

/** H(softmax(z / T)) per row; -Infinity logits add 0. */
export function softmaxEntropy(x: Arr, cols: number, o: { temperature?: number; base?: number } = {}): number[] {
  return perRow(x, cols, (z) => {
    const lp = logSoftmaxRow(z, o.temperature);
    const s = new Sum();
    for (const l of lp) if (l !== -Infinity) s.add(-Math.exp(l) * l);
    return s.value * unit(o.base);
  });
}

export interface CeOptions {
  weight?: Arr;
  ignoreIndex?: number;
  labelSmoothing?: number;
  temperature?: number;
}

/**
 * F.cross_entropy per row and its 'mean' denominator. Class indices: (1-e) w_y (-lp_y) +
 * (e/C) sum_c w_c (-lp_c), denominator sum of w_y over kept rows. Probability targets:
 * -sum_c w_c ((1-e) t_c + e/C) lp_c, denominator rows.
 */
export function softmaxCrossEntropyRows(z: Arr, target: Int32Array | Arr, cols: number, o: CeOptions = {}): { loss: number[]; den: number } {
  const e = o.labelSmoothing ?? 0;
  const w = (c: number) => (o.weight ? o.weight[c] : 1);
  const rows = rowCount(z, cols);
  const loss: number[] = [];
  const den = new Sum();
  for (let r = 0; r < rows; r++) {
    const lp = logSoftmaxRow(row(z, cols, r), o.temperature);
    if (target instanceof Int32Array) {
      const y = target[r];
      if (y === (o.ignoreIndex ?? -100)) { loss.push(0); continue; }
      den.add(w(y));
      const smooth = new Sum();
      if (e > 0) for (let c = 0; c < cols; c++) smooth.add(w(c) * -lp[c]);
      loss.push((1 - e) * w(y) * -lp[y] + (e / cols) * smooth.value);
    } else {
      const s = new Sum();
      for (let c = 0; c < cols; c++) {
        const t = target[r * cols + c] * (1 - e) + e / cols;
        if (t !== 0) s.add(-w(c) * t * lp[c]);
      }
      loss.push(s.value);
    }
  }
  return { loss, den: target instanceof Int32Array ? den.value : rows };
}

export function softmaxCrossEntropy(z: Arr, target: Int32Array | Arr, cols: number, o: CeOptions & { reduction?: Reduction } = {}): number[] | number {
  const { loss, den } = softmaxCrossEntropyRows(z, target, cols, o);
  return reduceRef(loss, o.reduction ?? 'mean', den);
}

/** exp(mean cross entropy), from the per-row losses (not from the function under test). */
export function perplexity(z: Arr, target: Int32Array | Arr, cols: number, o: CeOptions = {}): number {
  const { loss, den } = softmaxCrossEntropyRows(z, target, cols, o);
  return Math.exp(sumOf(loss) / den);
}

/** CE - beta H(softmax(z/T)) with the same reduction; 'mean' averages H over all rows. */
export function entropyRegularizedLoss(z: Arr, target: Int32Array | Arr, cols: number,
  o: CeOptions & { beta: number; reduction?: Reduction }): number[] | number {
  const { loss, den } = softmaxCrossEntropyRows(z, target, cols, o);
  const h = softmaxEntropy(z, cols, { temperature: o.temperature });
  const red = o.reduction ?? 'mean';
  if (red === 'none') return loss.map((l, r) => l - o.beta * h[r]);
  if (red === 'sum') return sumOf(loss) - o.beta * sumOf(h);
  return sumOf(loss) / den - o.beta * (sumOf(h) / h.length);
}

export function nllLoss(lp: Arr, target: Int32Array, cols: number,
  o: { weight?: Arr; ignoreIndex?: number; reduction?: Reduction } = {}): number[] | number {
  const w = (c: number) => (o.weight ? o.weight[c] : 1);
  const loss: number[] = [];
  const den = new Sum();
  for (let r = 0; r < target.length; r++) {
    if (target[r] === (o.ignoreIndex ?? -100)) { loss.push(0); continue; }
    den.add(w(target[r]));
    loss.push(-w(target[r]) * lp[r * cols + target[r]]);
  }
  return reduceRef(loss, o.reduction ?? 'mean', den.value);
}

/** Element weight: per element (length n) or per class (length cols, broadcast). */
function elementWeight(w: Arr | undefined, n: number, cols: number): (i: number) => number {
  if (!w) return () => 1;
  return w.length === n ? (i) => w[i] : (i) => w[i % cols];
}

/** F.binary_cross_entropy: -w (t max(log p, -100) + (1 - t) max(log(1 - p), -100)). */
export function binaryCrossEntropy(p: Arr, t: Arr, cols: number, o: { weight?: Arr; reduction?: Reduction } = {}): number[] | number {
  const w = elementWeight(o.weight, p.length, cols);
  const v = Array.from(p, (x, i) => {
    const lp = Math.max(Math.log(x), -100), lq = Math.max(Math.log1p(-x), -100);
    // 0 * (-100) is 0: no special case needed, the clamp keeps the logs finite
    return -w(i) * (t[i] * lp + (1 - t[i]) * lq);
  });
  return reduceRef(v, o.reduction ?? 'mean');
}

/** log(1 + e^v) without overflow or cancellation. */
function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/** F.binary_cross_entropy_with_logits: w (pw t softplus(-x) + (1 - t) softplus(x)). */
export function binaryCrossEntropyWithLogits(x: Arr, t: Arr, cols: number,
  o: { weight?: Arr; posWeight?: Arr; reduction?: Reduction } = {}): number[] | number {
  const w = elementWeight(o.weight, x.length, cols);
  const pw = elementWeight(o.posWeight, x.length, cols);
  const v = Array.from(x, (z, i) => {
    const pos = t[i] === 0 ? 0 : pw(i) * t[i] * softplus(-z);
    const neg = t[i] === 1 ? 0 : (1 - t[i]) * softplus(z);
    return w(i) * (pos + neg);
  });
  return reduceRef(v, o.reduction ?? 'mean');
}

/** T^2 KL(softmax(t/T) || softmax(s/T)) per row; 'batchmean' = sum / rows. */
export function distillationLoss(s: Arr, t: Arr, cols: number, o: { temperature: number; reduction?: 'none' | 'sum' | 'batchmean' }): number[] | number {
  const T = o.temperature;
  const v = perRow(s, cols, (zs, r) => {
    const ls = logSoftmaxRow(zs, T), lt = logSoftmaxRow(row(t, cols, r), T);
    const k = new Sum();
    lt.forEach((l, c) => { if (l !== -Infinity) k.add(Math.exp(l) * (l - ls[c])); });
    return T * T * k.value;
  });
  const red = o.reduction ?? 'batchmean';
  return red === 'none' ? v : red === 'sum' ? sumOf(v) : sumOf(v) / v.length;
}

// ---- helpers

export function oneHot(labels: Int32Array, cols: number, smoothing = 0): number[] {
  const out: number[] = [];
  for (const y of labels) for (let c = 0; c < cols; c++) out.push((c === y ? 1 - smoothing : 0) + smoothing / cols);
  return out;
}

/** Row indices by entropy, highest first; ties: lower index first; NaN above every number. */
export function mostUncertain(p: Arr, cols: number, k: number): number[] {
  const h = entropy(p, cols);
  const key = (v: number) => (Number.isNaN(v) ? Infinity : v);
  return h.map((v, i) => [v, i] as const)
    .sort((a, b) => {
      const na = Number.isNaN(a[0]), nb = Number.isNaN(b[0]);
      if (na !== nb) return na ? -1 : 1;
      return key(b[0]) - key(a[0]) || a[1] - b[1];
    })
    .slice(0, k).map((x) => x[1]);
}

/** 0.5 log(2 pi e sigma^2) = 0.5 (log(2 pi) + 1) + log sigma. */
export function gaussianEntropy(sigma: number, base?: number): number {
  return (0.5 * (Math.log(2 * Math.PI) + 1) + Math.log(sigma)) * unit(base);
}
