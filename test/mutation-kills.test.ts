// Tests written to kill mutants that survived `npm run mutate:assembly` and `npm run mutate`
// (issue 13). Each expected value is worked by hand from the definition, or comes from the
// independent f64 references (test/support/independent.ts), never from the code under test.
// Bounds are the documented ones: f32 input 1e-6 relative or 1e-7 absolute, f64 1e-12 relative.
import { describe, expect, it } from 'vitest';
import * as ik from '../src/index.js';
import * as ref from './support/independent.js';
import { expectClose, expectThrows, F32, F64 } from './support/assert.js';
import { BACKENDS, useWasm } from './support/backends.js';

useWasm();

const f32 = (...v: number[]) => new Float32Array(v);
const f64 = (...v: number[]) => new Float64Array(v);
const TYPES = [['f32', Float32Array, F32], ['f64', Float64Array, F64]] as const;
const seen = (x: ArrayLike<number>) => Array.from(x);

describe.each(BACKENDS)('%s', (backend) => {
  describe.each(TYPES)('%s', (_t, T, tol) => {
    it('temperatures outside T\'s safe range (the f64 statsWide / softmaxBlock path): -Infinity logits, smoothing, log-softmax', () => {
      const huge = 1e30, tiny = 1e-30; // 1/T outside [1e-20, 1e20] for f32; f64 uses 1e-300 / 1e300 below
      const [TH, TT] = T === Float32Array ? [huge, tiny] : [1e300, 1e-300];
      // softmax(z / T) -> uniform over the finite logits as T -> Infinity, one-hot as T -> 0;
      // a -Infinity logit has probability 0 at every T, and adds 0 to the entropy
      const z = new T([2, 1, -Infinity, 0.5]);
      expectClose(ik.softmaxEntropy(z, { temperature: TH, backend }), [Math.log(3)], tol, 'H at huge T');
      expectClose(ik.softmaxEntropy(z, { temperature: TT, backend }), [0], tol, 'H at tiny T');
      expectClose(ik.logSoftmax(new T([2, 1, 0.5]), { temperature: TH, backend }), [-Math.log(3), -Math.log(3), -Math.log(3)], tol, 'log-softmax at huge T');
      expectClose(ik.softmax(new T([2, 1, 0.5]), { temperature: TH, backend }), [1 / 3, 1 / 3, 1 / 3], tol, 'softmax at huge T');
      // label smoothing at huge T: every log-probability is -log 3, so the per-row loss is
      // log 3 * sum_c w_c ((1 - eps) [c = y] + eps / 3); here w = (1, 2, 3), y = 0, eps = 0.3:
      // 1 * 0.8 + 2 * 0.1 + 3 * 0.1 = 1.3
      const w = new T([1, 2, 3]);
      const ce = ik.softmaxCrossEntropy(new T([2, 1, 0.5]), new Int32Array([0]), { cols: 3, weight: w, labelSmoothing: 0.3, temperature: TH, reduction: 'sum', backend });
      expectClose([ce as number], [1.3 * Math.log(3)], tol, 'smoothed CE at huge T');
      // and with probability targets (0.5, 0.5, 0), eps = 0.3: a = w * (0.35 + 0.1, 0.35 + 0.1, 0.1) -> 0.45 + 0.9 + 0.3
      const cp = ik.softmaxCrossEntropy(new T([2, 1, 0.5]), new T([0.5, 0.5, 0]), { cols: 3, weight: w, labelSmoothing: 0.3, temperature: TH, reduction: 'sum', backend });
      expectClose([cp as number], [1.65 * Math.log(3)], tol, 'smoothed CE, probability targets, at huge T');
    });

    // The same range on batches of short rows: the SIMD build sends 1/T outside T's safe range
    // to the row kernels (the short-row kernels' f32 gaps would lose it), a block of rows at a time.
    it('temperatures at and outside T\'s safe range on batches of short rows (the short-row kernels\' guard)', () => {
      const invTs = T === Float32Array ? [1e30, 2e20, 1e20, 1e-20, 5e-21, 1e-30] : [1e300, 2e280, 1e280, 1e-280, 5e-281, 1e-300];
      const cols = 5, rows = 8;
      const z = new T(rows * cols).map((_, i) => (i % 7 === 3 ? -Infinity : ((i * 7919) % 13) / 4 - 1.5));
      const y = new Int32Array(rows).map((_, r) => (r * 3) % cols);
      const Z = seen(z);
      const tgt = new T(rows * cols).map((_, i) => (i % cols === 1 ? 0 : 0.25));
      const w = new T([1, 2, 0.5, 3, 1]);
      const finite = z.map((v) => (v === -Infinity ? -50 : v)); // a label's own logit must be finite
      for (const invT of invTs) {
        const o = { cols, temperature: 1 / invT, backend } as const;
        const at = `1/T = ${invT}`;
        expectClose(ik.logSumExp(z, o), ref.logSumExp(Z, cols, o), tol, `logSumExp ${at}`);
        expectClose(ik.softmaxEntropy(z, o), ref.softmaxEntropy(Z, cols, o), tol, `softmaxEntropy ${at}`);
        const ce = { ...o, weight: w, labelSmoothing: 0.1, reduction: 'none' } as const;
        const refCe = { temperature: o.temperature, weight: seen(w), labelSmoothing: 0.1, reduction: 'none' } as const;
        expectClose(ik.softmaxCrossEntropy(finite, y, ce), ref.softmaxCrossEntropy(seen(finite), y, cols, refCe) as number[], tol, `class CE ${at}`);
        expectClose(ik.softmaxCrossEntropy(z, tgt, ce), ref.softmaxCrossEntropy(Z, seen(tgt), cols, refCe) as number[], tol, `target CE ${at}`);
      }
    });

    it('JSD of nearly equal rows (the accurate recomputation below 1e-3 nats), against log1p of the exact pair sums', () => {
      for (const d of [0.3, 1e-2, 1e-3, 1e-5]) {
        const p = new T([0.5 + d, 0.25 - d / 2, 0.25 - d / 2, 0]), q = new T([0.5 - d, 0.25 + d / 2, 0.25 + d / 2, 0]);
        // JSD = 1/2 sum_i [p log(2p / (p + q)) + q log(2q / (p + q))] = 1/2 sum_i (p + q)/2 f(r),
        // r = (p - q) / (p + q), f(r) = (1 + r) log1p(r) + (1 - r) log1p(-r) = sum_k r^2k / (k (2k - 1))
        // (a series of positive terms, summed while it matters; the log form where |r| >= 0.1)
        let s = 0;
        for (let i = 0; i < 4; i++) {
          const a = p[i], b = q[i];
          if (a + b === 0) continue;
          const r = (a - b) / (a + b);
          let f = 0;
          if (Math.abs(r) >= 0.1) f = (1 + r) * Math.log1p(r) + (1 - r) * Math.log1p(-r);
          else for (let k = 1, r2k = r * r; k < 40; k++, r2k *= r * r) f += r2k / (k * (2 * k - 1));
          s += ((a + b) / 2) * f;
        }
        const want = s / 2;
        const got = ik.jsDivergence(p, q, { backend })[0];
        expect(got, `d = ${d}`).toBeGreaterThan(0);
        // relative, however small: the point of the recomputation
        expect(Math.abs(got - want), `d = ${d}: ${got} vs ${want}`).toBeLessThanOrEqual(tol.rel * want);
      }
    });

    it('normalised entropy: an all-zero row is NaN (0/0), the others H(p / sum p)', () => {
      const rows = [[0, 0, 0, 0, 0, 0], [0, 0, 0, 2, 2, 4], [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0], [3, 0, 0, 0, 0, 1]];
      const h = ik.entropy(new T(rows.flat()), { cols: 6, normalize: true, backend });
      expect(h[0]).toBeNaN();
      expect(h[3]).toBeNaN();
      const hb = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
      expectClose([h[1], h[2], h[4]], [1.5 * Math.LN2, Math.log(6), hb], tol, 'H(p / S)');
    });

    // Rows wider than a WASM chunk take the adapter's three-pass path (sum, -sum y log y, finish),
    // which flags a bad row by its NaN and then scans the rows it was given for the value.
    it('normalised entropy of rows wider than a WASM chunk: a bad value in any row or block is named', () => {
      const cols = T === Float32Array ? 270_001 : 150_001; // > 262,144 f32 or 131,072 f64 values
      const x = new T(2 * cols).map((_, i) => 1 + Math.sin(i));
      const want = ref.entropy(seen(x), cols, { normalize: true });
      expectClose(ik.entropy(x, { cols, normalize: true, backend }), want, tol, 'H(p / S)');
      for (const [at, v, why] of [[cols + 5, NaN, 'is NaN'], [2 * cols - 3, -0.5, 'is negative'], [7, -Infinity, 'is negative']] as const) {
        const y = x.slice();
        y[at] = v;
        expectThrows(() => ik.entropy(y, { cols, normalize: true, backend }), RangeError, new RegExp(`p\\[${at}\\] = \\S+ ${why}`));
      }
      // a row of negative values only: its sum is negative and p / S is a distribution, so only the
      // sum's sign tells (no NaN appears)
      const neg = x.slice();
      for (let i = cols; i < 2 * cols; i++) neg[i] = -neg[i] - 1;
      expectThrows(() => ik.entropy(neg, { cols, normalize: true, backend }), RangeError, new RegExp(`p\\[${cols}\\] = \\S+ is negative`));
      const z = x.slice().fill(0, cols); // a wide row of zeros: 0/0, not an error
      const h = ik.entropy(z, { cols, normalize: true, backend });
      expect(h[1]).toBeNaN();
      expectClose([h[0]], [want[0]], tol, 'row 0 beside it');
      // +Infinity is a valid value (>= 0) whose row is NaN (Infinity / Infinity), as in every backend
      // and for short rows: the adapter's NaN flag then finds no bad value to name
      const inf = x.slice();
      inf[0] = 0;
      inf[cols + 9] = Infinity;
      const hi = ik.entropy(inf, { cols, normalize: true, backend });
      expect(hi[1]).toBeNaN();
      expectClose([hi[0]], ref.entropy(seen(inf.subarray(0, cols)), cols, { normalize: true }), tol, 'row 0, with a 0');
    });

    it('mutual information scales out the table total (lambda) on every path', () => {
      // I(X;Y) of [[a, 0], [0, a]] is log 2 for any a > 0; of [[1, 3], [3, 1]] * a it is
      // log 2 - H_b(1/4) = log 2 + (1/4) log(1/4) + (3/4) log(3/4), whatever a
      const hb = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
      const scales = T === Float32Array ? [1, 1000, 2 ** 40, 1e-30, 3e-39] : [1, 1000, 2 ** 600, 1e-300, 3e-320];
      for (const a of scales) {
        const t = new T([1, 3, 3, 1, 2, 6, 6, 2].map((v) => v * a)); // 4 rows x 2, rows 3-4 twice rows 1-2
        const want = Math.LN2 - hb;
        expectClose([ik.mutualInformation(t, { cols: 2, backend })], [want], tol, `I, scale ${a}`);
        const wide = new T(Array.from({ length: 2 * 9 }, (_, i) => ((i < 9) === (i % 9 < 4) ? 3 : 1) * a)); // 2 x 9
        expectClose([ik.mutualInformation(wide, { cols: 9, backend })], [ref.mutualInformation(seen(wide), 9)], tol, `I 2x9, scale ${a}`);
      }
    });
  });
});

// src/measures/call.ts streams the per-row results in blocks of BLOCK = 65,536 rows (and
// element-wise ones in blocks of 65,536 elements, a wide row in column ranges): these batches
// cross block boundaries, with every reduction, out, ignored rows and weights.
describe('batches of more than one 65,536-row block (call.ts perRow / perElement)', () => {
  const rows = 2 * 65_536 + 3, cols = 2, n = rows * cols;
  // deterministic, different in every block: p_r = (a, 1 - a), logits (z0, z1)
  const a = (r: number) => 0.05 + 0.9 * (((r * 0.618034) % 1));
  const p = new Float64Array(n).map((_, i) => (i % 2 === 0 ? a(i >> 1) : 1 - a(i >> 1)));
  const q = new Float64Array(n).map((_, i) => (i % 2 === 0 ? 1 - a((i >> 1) + 7) : a((i >> 1) + 7)));
  const z = new Float64Array(n).map((_, i) => Math.sin(i * 0.37) * 4);
  const y = new Int32Array(rows).map((_, r) => (r % 5 === 0 ? -100 : r % 2));
  const w = new Float64Array([0.5, 2]);
  const pw = new Float64Array([3, 0.25]);
  const wEl = new Float64Array(n).map((_, i) => 0.5 + (i % 7) / 7);
  const P = seen(p), Q = seen(q), Z = seen(z);
  const lp = new Float64Array(ref.logSoftmax(Z, cols));
  const REDS = ['none', 'sum', 'mean'] as const;
  const arr = (v: number[] | number) => (typeof v === 'number' ? [v] : v);
  const got = (v: unknown) => (typeof v === 'number' ? [v] : (v as Float64Array));
  // the references, once for the three backends (they are the slow part)
  let memo: ReturnType<typeof references> | undefined;
  function references() {
    const ce = { cols, weight: seen(w), labelSmoothing: 0.1, temperature: 1.5 };
    return {
      entropy: REDS.map((r) => arr(ref.reduceRef(ref.entropy(P, cols), r))),
      kl: ref.klDivergence(P, Q, cols),
      jsMean: arr(ref.reduceRef(ref.jsDivergence(P, Q, cols), 'mean')),
      surprisalMean: arr(ref.reduceRef(ref.surprisal(P), 'mean')),
      binaryEntropySum: arr(ref.reduceRef(ref.binaryEntropy(P), 'sum')),
      ce: REDS.map((r) => arr(ref.softmaxCrossEntropy(Z, y, cols, { ...ce, reduction: r }))),
      erl: REDS.map((r) => arr(ref.entropyRegularizedLoss(Z, P, cols, { beta: 0.3, reduction: r }))),
      nll: REDS.map((r) => arr(ref.nllLoss(seen(lp), y, cols, { weight: seen(w), reduction: r }))),
      ppl: [ref.perplexity(Z, y, cols)],
      distillSum: arr(ref.distillationLoss(Z, Q, cols, { temperature: 2, reduction: 'sum' })),
      lseMean: arr(ref.reduceRef(ref.logSumExp(Z, cols), 'mean')),
      hBitsSum: arr(ref.reduceRef(ref.softmaxEntropy(Z, cols, { base: 2 }), 'sum')),
      bceSum: arr(ref.binaryCrossEntropy(P, Q, cols, { weight: seen(wEl), reduction: 'sum' })),
      bceLogits: arr(ref.binaryCrossEntropyWithLogits(Z, Q, cols, { weight: seen(wEl), posWeight: seen(pw), reduction: 'none' })),
    };
  }
  const R = () => (memo ??= references());
  it.each(BACKENDS)('%s', (backend) => {
    const want = R();
    REDS.forEach((reduction, k) => expectClose(got(ik.entropy(p, { cols, reduction, backend })), want.entropy[k], F64, `entropy ${reduction}`));
    const out = new Float64Array(rows).fill(-1);
    expect(ik.klDivergence(p, q, { cols, out, backend })).toBe(out);
    expectClose(out, want.kl, F64, 'KL into out');
    expectClose(got(ik.jsDivergence(p, q, { cols, reduction: 'mean', backend })), want.jsMean, F64, 'JSD mean');
    // element-wise: 262,150 elements, four blocks
    expectClose(got(ik.surprisal(p, { reduction: 'mean', backend })), want.surprisalMean, F64, 'surprisal mean');
    expectClose(got(ik.binaryEntropy(p, { reduction: 'sum', backend })), want.binaryEntropySum, F64, 'binaryEntropy sum');
    // losses: the weighted mean over kept rows, across blocks
    REDS.forEach((reduction, k) => {
      expectClose(got(ik.softmaxCrossEntropy(z, y, { cols, weight: w, labelSmoothing: 0.1, temperature: 1.5, reduction, backend })), want.ce[k], F64, `CE ${reduction}`);
      expectClose(got(ik.entropyRegularizedLoss(z, p, { cols, beta: 0.3, reduction, backend })), want.erl[k], F64, `ERL ${reduction}`);
      expectClose(got(ik.nllLoss(lp, y, { cols, weight: w, reduction, backend })), want.nll[k], F64, `NLL ${reduction}`);
    });
    expectClose([ik.perplexity(z, y, { cols, backend })], want.ppl, F64, 'perplexity');
    expectClose(got(ik.distillationLoss(z, q, { cols, temperature: 2, reduction: 'sum', backend })), want.distillSum, F64, 'distillation sum');
    expectClose(got(ik.logSumExp(z, { cols, reduction: 'mean', backend })), want.lseMean, F64, 'lse mean');
    expectClose(got(ik.softmaxEntropy(z, { cols, reduction: 'sum', base: 2, backend })), want.hBitsSum, F64, 'softmax entropy sum, bits');
    // BCE: per-element weights (four element blocks) and per-class posWeight
    expectClose(got(ik.binaryCrossEntropy(p, q, { cols, weight: wEl, reduction: 'sum', backend })), want.bceSum, F64, 'BCE sum');
    expectClose(got(ik.binaryCrossEntropyWithLogits(z, q, { cols, weight: wEl, posWeight: pw, reduction: 'none', backend })), want.bceLogits, F64, 'BCE logits');
  });

  const wc = 65_536 + 1_001, wr = 2, wn = wc * wr;
  const u = new Float64Array(wn).map((_, i) => 0.02 + 0.96 * ((i * 0.414214) % 1));
  const t = new Float64Array(wn).map((_, i) => ((i * 0.7548777) % 1));
  const x = new Float64Array(wn).map((_, i) => Math.cos(i * 0.11) * 3);
  const cw = new Float64Array(wc).map((_, i) => 0.5 + (i % 13) / 13);
  let wide: { bce: number[]; logitsMean: number[] } | undefined;
  it.each(BACKENDS)('%s: element-wise losses on rows wider than a block (column ranges, per-class weights sliced)', (backend) => {
    wide ??= {
      bce: arr(ref.binaryCrossEntropy(seen(u), seen(t), wc, { weight: seen(cw), reduction: 'none' })),
      logitsMean: arr(ref.binaryCrossEntropyWithLogits(seen(x), seen(t), wc, { posWeight: seen(cw), reduction: 'mean' })),
    };
    expectClose(got(ik.binaryCrossEntropy(u, t, { cols: wc, weight: cw, reduction: 'none', backend })), wide.bce, F64, 'BCE, class weights');
    expectClose(got(ik.binaryCrossEntropyWithLogits(x, t, { cols: wc, posWeight: cw, reduction: 'mean', backend })), wide.logitsMean, F64, 'BCE logits, class posWeight, mean');
  });

  it.each(BACKENDS)('%s: binary cross entropy on rows of exactly one WASM chunk (131,072 f64), with per-class weights', (backend) => {
    const cols = 131_072;
    const p = new Float64Array(2 * cols).fill(0.25), y = new Float64Array(2 * cols).fill(1);
    const w = new Float64Array(cols).map((_, j) => (j % 2 ? 2 : 1)); // -w log 0.25 = w ln 4
    const got = ik.binaryCrossEntropy(p, y, { cols, weight: w, reduction: 'none', backend });
    expect(got.length).toBe(2 * cols);
    for (const i of [0, 1, cols - 1, cols, 2 * cols - 1]) expect(got[i]).toBeCloseTo(((i % cols) % 2 ? 2 : 1) * Math.log(4), 14);
  });
});

describe('error messages name the value (errors.ts) and the scan (validate.ts)', async () => {
  const { formatValue, badOption } = await import('../src/errors.js');
  const { throwFirstInvalid, probability, unitProbability, logProbability } = await import('../src/validate.js');
  it('formatValue: numbers (-0 kept), strings quoted, null, undefined, arrays by constructor, other types by typeof', () => {
    class Thing {}
    const cases: [unknown, string][] = [
      [-0, '-0'], [0, '0'], [NaN, 'NaN'], [-Infinity, '-Infinity'], [1.5, '1.5'], ['a b', '"a b"'], [null, 'null'],
      [undefined, 'undefined'], [new Float32Array(2), 'Float32Array'], [new Int32Array(1), 'Int32Array'], [[1, 2], 'Array'],
      [{}, 'Object'], [Object.create(null), 'Object'], [new Thing(), 'Thing'], [true, 'boolean'], [() => 1, 'function'], [10n, 'bigint'],
    ];
    for (const [v, s] of cases) expect(formatValue(v), String(s)).toBe(s);
    expect(badOption('f', 'k', -0, 'must be > 0').message).toBe('f: option k = -0 must be > 0');
  });
  it('throwFirstInvalid: the first bad element over the arguments in order; a flag it cannot locate is its own error', () => {
    expect(() => throwFirstInvalid('f', [['p', f32(0.5, 1), probability], ['q', f32(-1, NaN), probability]]))
      .toThrow(new RangeError('f: q[0] = -1 is negative; probabilities must be >= 0 (check: false skips this scan)'));
    expect(() => throwFirstInvalid('f', [['p', f64(0.5, NaN), probability]]))
      .toThrow(new RangeError('f: p[1] = NaN is NaN; probabilities must be numbers >= 0 (check: false skips this scan)'));
    expectThrows(() => throwFirstInvalid('g', [['x', f32(0, 1, 1.5), unitProbability]]), RangeError, /^g: x\[2\] = 1\.5 is not a probability in \[0, 1\]/);
    expectThrows(() => throwFirstInvalid('h', [['lp', f64(-Infinity, NaN), logProbability]]), RangeError, /^h: lp\[1\] = NaN is NaN; log-probabilities/);
    expect(() => throwFirstInvalid('f', [['p', f32(0.5, 0), probability], ['x', f32(0, 1), unitProbability], ['lp', f64(-1e300), logProbability]]))
      .toThrow(new RangeError('f: an input value was rejected by the kernel but not located; please report this'));
  });
});

describe('call.ts internals', async () => {
  const { temp, BLOCK, rowsOf } = await import('../src/measures/call.js');
  it('temp: scratch of up to BLOCK = 65,536 values, reused; more is an internal error', () => {
    expect(BLOCK).toBe(65_536);
    const a = temp(5, BLOCK);
    expect(a.length).toBe(BLOCK);
    expect(temp(5, 3).byteOffset).toBe(a.byteOffset); // the same slot reuses its memory
    expect(temp(5, 3).buffer).toBe(a.buffer);
    const b = temp(4, BLOCK); // another slot: its own memory, not overlapping
    expect(b.buffer !== a.buffer || b.byteOffset + b.byteLength <= a.byteOffset || a.byteOffset + a.byteLength <= b.byteOffset).toBe(true);
    expect(() => temp(5, BLOCK + 1)).toThrow(new RangeError(`infokernel: internal: scratch of ${BLOCK + 1} values in slot 5 asked for`));
    expect(() => temp(6, 1)).toThrow(new RangeError('infokernel: internal: scratch of 1 values in slot 6 asked for'));
  });
  it('rowsOf: rows [r0, r0 + n) of a row-major batch', () => {
    expect(Array.from(rowsOf(f64(0, 1, 2, 3, 4, 5, 6, 7, 8), 1, 2, 3))).toEqual([3, 4, 5, 6, 7, 8]);
  });
});

// rowMax returns NaN for a row holding NaN (as torch.max), so NaN reaches every result even
// where the maximum alone would decide it: logsumexp of a row holding NaN and +Infinity (or
// NaN and only -Infinity otherwise) is NaN in PyTorch, not +-Infinity.
describe.each(BACKENDS)('%s: NaN beats +-Infinity in a row\'s maximum', (backend) => {
  it.each(TYPES)('%s: NaN in every lane position of rows of 1..20, with +Infinity or -Infinity elsewhere', (_t, T) => {
    for (let cols = 2; cols <= 20; cols++) {
      for (let k = 0; k < cols; k++) {
        for (const other of [Infinity, -Infinity]) {
          const row = new T(cols).fill(other);
          row[(k + 1) % cols] = other === Infinity ? 1 : -Infinity; // not all the same
          row[k] = NaN;
          if (other === Infinity) row[(k + cols - 1) % cols] = Infinity;
          expect(ik.logSumExp(row, { backend })[0], `cols ${cols}, NaN at ${k}, ${other}`).toBeNaN();
          expect(ik.softmaxEntropy(row, { backend })[0], `H cols ${cols}, NaN at ${k}`).toBeNaN();
        }
      }
    }
  });
  // softmax is shift-invariant, so a wrong maximum goes unseen until exp(z - m) overflows:
  // here the largest logit sits in the first block, 1000 above the rest.
  it('a row wider than a WASM chunk (f64) whose maximum is in the first block, 1000 above the others', () => {
    const cols = 150_001;
    const row = new Float64Array(cols).map((_, i) => Math.sin(i));
    row[3] = 1000;
    const S = ref.sumOf(seen(row).map((v) => Math.exp(v - 1000)));
    expectClose(ik.logSumExp(row, { backend }), [1000 + Math.log(S)], F64, 'logSumExp');
    const p = ik.softmax(row, { backend });
    expectClose([p[3], p[4]], [1 / S, Math.exp(row[4] - 1000) / S], F64, 'softmax');
    expectClose(ik.softmaxEntropy(row, { backend }), ref.softmaxEntropy(seen(row), cols), F64, 'softmaxEntropy');
    // the wide path's status: a negative probability target in the row's second block is named
    const t = new Float64Array(cols).fill(1 / cols);
    t[140_000] = -0.25;
    expectThrows(() => ik.softmaxCrossEntropy(row, t, { cols, backend }), RangeError, /target\[140000\] = -0\.25 is negative/);
  });
  it('a row wider than a WASM chunk (f64: 131,072 values): NaN in one block, +Infinity in another', () => {
    const cols = 150_001;
    for (const [nanAt, infAt] of [[5, 140_000], [140_000, 5]]) {
      const row = new Float64Array(cols).map((_, i) => Math.sin(i));
      row[nanAt] = NaN;
      row[infAt] = Infinity;
      expect(ik.logSumExp(row, { backend })[0], `NaN at ${nanAt}`).toBeNaN();
      expect(Array.from(ik.softmax(row, { backend }).subarray(0, 3))).toEqual([NaN, NaN, NaN]);
    }
  });
});

// The WASM adapter (src/backend/wasm/kernels.ts) streams any call through 1 MiB chunks. The
// measures hand it at most 65,536 elements per call, so its element-wise and binary-loss
// loops run once there; called directly (as a future caller may), they must still cross chunks.
describe('WASM adapter: element-wise and binary-loss calls larger than a chunk', async () => {
  const { kernelsFor } = await import('../src/backend/registry.js');
  const { CHUNK_BYTES } = await import('../src/backend/wasm/kernels.js');
  it.each(['wasm-simd', 'wasm-scalar'] as const)('%s', (backend) => {
    const k = kernelsFor('test', backend);
    const cols = 3, rows = Math.ceil((1.5 * CHUNK_BYTES) / 8 / cols), n = rows * cols; // f64: 1.5 chunks
    const p = new Float64Array(n).map((_, i) => 0.01 + 0.98 * ((i * 0.618034) % 1));
    const t = new Float64Array(n).map((_, i) => ((i * 0.7548777) % 1));
    const w = new Float64Array(n).map((_, i) => 0.25 + (i % 11) / 4);
    const P = seen(p);
    const out = new Float64Array(n);
    expect(k.surprisal(p, 1, out)).toBe(false);
    expectClose(out, ref.surprisal(P), F64, 'surprisal');
    expect(k.bce(p, t, w, 1, rows, cols, out)).toBe(false);
    expectClose(out, ref.binaryCrossEntropy(P, seen(t), cols, { weight: seen(w), reduction: 'none' }) as number[], F64, 'BCE, per-element weights');
    // the binary losses take at most a chunk of columns (the measures slice wider rows): more is a caller's bug, named
    const wide = CHUNK_BYTES / 8 + 1;
    expectThrows(() => k.bceLogits(new Float64Array(wide), new Float64Array(wide), null, 0, null, 0, 1, wide, new Float64Array(wide)),
      RangeError, new RegExp(`internal: bceLogits called with ${wide} columns`));
  });
});

describe('out may be an input itself, never a shifted view of one (call.ts begin)', () => {
  it.each(BACKENDS)('%s', (backend) => {
    const buf = new Float64Array(12).fill(0.25);
    const p = buf.subarray(0, 4), q = buf.subarray(4, 8);
    expectThrows(() => ik.entropy(p, { cols: 2, out: buf.subarray(1, 3), backend }), RangeError, /^entropy: out overlaps p in part/);
    expectThrows(() => ik.klDivergence(buf.subarray(8, 12), q, { cols: 2, out: buf.subarray(5, 7), backend }), RangeError, /^klDivergence: out overlaps q in part/);
    expectThrows(() => ik.surprisal(p, { out: buf.subarray(2, 6), backend }), RangeError, /^surprisal: out overlaps p in part/);
    expectThrows(() => ik.jsDivergence(p, q, { cols: 2, out: buf.subarray(3, 5), backend }), RangeError, /^jsDivergence: out overlaps p in part/);
    // exactly the input is allowed (in place): -log 0.25 = log 4
    const inPlace = buf.subarray(0, 2);
    expect(Array.from(ik.surprisal(inPlace, { out: inPlace, backend }))).toEqual([Math.log(4), Math.log(4)]);
  });
});

// src/options.ts survivors of `STRYKER_FAST=1 npx stryker run --mutate src/options.ts`.
describe('options.ts: the argument and option checks at their edges', async () => {
  const { floatArg, noPartialOverlap, checkOptions } = await import('../src/options.js');
  it('a detached buffer on an engine without ArrayBuffer.prototype.detached (the Uint8Array probe)', () => {
    const p = f32(0.5, 0.5);
    structuredClone(p.buffer, { transfer: [p.buffer] });
    Object.defineProperty(p.buffer, 'detached', { value: undefined }); // as an engine before ES2024
    expect(() => floatArg('f', 'p', p)).toThrow(new TypeError('f: p is a view of a detached ArrayBuffer (transferred, or a batch view from before WebAssembly memory grew: read batch.view again); pass a live array'));
    expectThrows(() => ik.entropy(p), TypeError, /^entropy: p is a view of a detached ArrayBuffer/);
    // a live empty buffer probes as live: the empty array itself is returned
    const empty = new Float64Array(new ArrayBuffer(0));
    Object.defineProperty(empty.buffer, 'detached', { value: undefined });
    expect(floatArg('f', 'p', empty)).toBe(empty);
  });

  it('out and an input sharing a buffer: overlap is any common byte; same start or same end alone is partial', () => {
    const buf = new Float64Array(16);
    const view = (a: number, b: number) => buf.subarray(a, b);
    const check = (out: Float64Array, x: Float64Array) => () => noPartialOverlap('f', out, [['x', x]]);
    expect(check(view(0, 4), view(4, 8))).not.toThrow(); // out just before x
    expect(check(view(8, 12), view(4, 8))).not.toThrow(); // out just after x
    expect(check(view(4, 8), view(4, 8))).not.toThrow(); // exactly x: in place
    expect(check(view(4, 6), view(4, 8))).toThrow(new RangeError('f: out overlaps x in part (bytes 32..48 vs 32..64); use separate memory or exactly the same array'));
    expectThrows(check(view(6, 8), view(4, 8)), RangeError, /^f: out overlaps x in part \(bytes 48\.\.64 vs 32\.\.64\)/);
    expectThrows(check(view(3, 5), view(4, 8)), RangeError, /^f: out overlaps x in part \(bytes 24\.\.40 vs 32\.\.64\)/);
    expect(check(view(0, 16), view(4, 8))).toThrow(RangeError); // out contains x
    expect(check(view(4, 8), new Float64Array(4))).not.toThrow(); // another buffer
    expectThrows(() => noPartialOverlap('f', view(4, 6), [['w', undefined], ['v', null], ['x', view(5, 7)]]), RangeError, /^f: out overlaps x in part/);
    // through a public function: out starting where p starts, shorter than p
    const q = new Float64Array(8).fill(0.25);
    for (const backend of BACKENDS) {
      expectThrows(() => ik.entropy(q, { cols: 4, out: new Float64Array(q.buffer, 0, 2), backend }), RangeError, /^entropy: out overlaps p in part \(bytes 0\.\.16 vs 0\.\.64\)/);
      expectThrows(() => ik.entropy(q, { cols: 4, out: new Float64Array(q.buffer, 48, 2), backend }), RangeError, /^entropy: out overlaps p in part \(bytes 48\.\.64 vs 0\.\.64\)/);
    }
  });

  it('options objects: null-prototype objects are plain; arrays, class instances, functions, strings are not', () => {
    const p = f64(0.5, 0.5);
    const bare = Object.assign(Object.create(null), { cols: 2, base: 2 });
    expect(ik.entropy(p, bare)[0]).toBe(1); // a fair coin: 1 bit
    expect(() => checkOptions('f', Object.create(null), ['cols'])).not.toThrow();
    class Opts { cols = 2; }
    for (const [o, shown] of [[[], 'Array'], [new Opts(), 'Opts'], [() => 1, 'function'], ['cols', '"cols"'], [true, 'boolean'], [2, '2']] as const) {
      expect(() => checkOptions('f', o, ['cols'])).toThrow(new TypeError(`f: options must be a plain object or undefined, got ${shown}`));
    }
  });

  it('unknown keys: SciPy/PyTorch spellings, case, and edits up to 2 get a hint; the message lists the keys taken', () => {
    const keys = ['cols', 'base', 'reduction'];
    const msg = (o: object) => { try { checkOptions('f', o, keys); } catch (e) { return (e as Error).message; } return 'no error'; };
    const takes = "; f takes 'cols', 'base', 'reduction'";
    expect(msg({ dim: 1 })).toBe(`f: unknown option 'dim' (did you mean 'cols'?)${takes}`);
    expect(msg({ axis: 1 })).toBe(`f: unknown option 'axis' (did you mean 'cols'?)${takes}`);
    expect(msg({ COLS: 1 })).toBe(`f: unknown option 'COLS' (did you mean 'cols'?)${takes}`); // case is ignored
    expect(msg({ clos: 1 })).toBe(`f: unknown option 'clos' (did you mean 'cols'?)${takes}`); // 2 substitutions
    expect(msg({ bs: 1 })).toBe(`f: unknown option 'bs' (did you mean 'base'?)${takes}`); // 2 insertions
    expect(msg({ basexy: 1 })).toBe(`f: unknown option 'basexy' (did you mean 'base'?)${takes}`); // 2 deletions
    expect(msg({ reductoin: 1 })).toBe(`f: unknown option 'reductoin' (did you mean 'reduction'?)${takes}`);
    expect(msg({ xyz: 1 })).toBe(`f: unknown option 'xyz'${takes}`); // 3 or more edits from every key: no hint
    expect(msg({ bxyz: 1 })).toBe(`f: unknown option 'bxyz'${takes}`); // 3 from base
    expect(msg({ redu: 1 })).toBe(`f: unknown option 'redu'${takes}`);
    expect(msg({ ction: 1 })).toBe(`f: unknown option 'ction'${takes}`); // a part of 'reduction' is 4 insertions away
    expect(msg({ xy: 1 })).toBe(`f: unknown option 'xy'${takes}`); // 4 edits from 'cols' and 'base'
    expect(msg({ xyzcols: 1 })).toBe(`f: unknown option 'xyzcols'${takes}`); // 3 insertions before 'cols'
    expect(() => ik.mostUncertain(f64(0.5, 0.5), { k: 1, xyz: 1 } as never)) // 3 edits from 'k' (a key shorter than the typo)
      .toThrow(new TypeError("mostUncertain: unknown option 'xyz'; mostUncertain takes 'cols', 'k', 'fromLogits', 'temperature', 'check', 'backend', 'threads'"));
    expectThrows(() => ik.mostUncertain(f64(0.5, 0.5), { k: 1, kk: 1 } as never), TypeError, /^mostUncertain: unknown option 'kk' \(did you mean 'k'\?\)/);
    expect(msg({ log_target: 1 })).toBe(`f: unknown option 'log_target'${takes}`); // a twin the function does not take
    expect(msg({ cols: 2, base: 2 })).toBe('no error');
    expect(msg({ cols: 2, colz: 2 })).toBe(`f: unknown option 'colz' (did you mean 'cols'?)${takes}`);
    expectThrows(() => ik.klDivergence(f64(1), f64(1), { log_target: true } as never), TypeError, /^klDivergence: unknown option 'log_target' \(did you mean 'logTarget'\?\)/);
  });

  it('a snake_case spelling is hinted as its camelCase key, however many underscores', () => {
    expect(() => checkOptions('f', { a_b_c_d: 1 }, ['cols', 'aBCD'])).toThrow(new TypeError("f: unknown option 'a_b_c_d' (did you mean 'aBCD'?); f takes 'cols', 'aBCD'"));
    expectThrows(() => checkOptions('f', { label_smoothing: 1 }, ['labelSmoothing']), TypeError, /^f: unknown option 'label_smoothing' \(did you mean 'labelSmoothing'\?\)/);
    // a function is not an options object, whatever its prototype
    expectThrows(() => checkOptions('f', Object.setPrototypeOf(() => 1, null), ['cols']), TypeError, /^f: options must be a plain object or undefined/);
  });

  it('numeric options reject numeric strings (base, temperature, labelSmoothing, beta, ignoreIndex, cols, k); messages state the rule', () => {
    const z = f64(1, 2, 3, 0.5), y = new Int32Array([0, 1]);
    const opt = (fn: string, name: string, v: string, rule: string) => new RangeError(`${fn}: option ${name} = ${v} ${rule}`);
    expect(() => ik.entropy(z, { base: '2' as never })).toThrow(opt('entropy', 'base', '"2"', 'must be a finite number > 0 and != 1'));
    expect(() => ik.softmax(z, { temperature: '2' as never })).toThrow(opt('softmax', 'temperature', '"2"', 'must be a finite number > 0'));
    expect(() => ik.softmaxCrossEntropy(z, y, { cols: 2, labelSmoothing: '0.5' as never })).toThrow(opt('softmaxCrossEntropy', 'labelSmoothing', '"0.5"', 'must be a number in [0, 1]'));
    expect(() => ik.oneHot(y, 2, { smoothing: '0' as never })).toThrow(opt('oneHot', 'smoothing', '"0"', 'must be a number in [0, 1]'));
    expect(() => ik.entropyRegularizedLoss(z, y, { cols: 2, beta: '1' as never })).toThrow(opt('entropyRegularizedLoss', 'beta', '"1"', 'must be a finite number'));
    expect(() => ik.nllLoss(z, y, { cols: 2, ignoreIndex: '1' as never })).toThrow(opt('nllLoss', 'ignoreIndex', '"1"', 'must be an integer'));
    expect(() => ik.entropy(z, { cols: '2' as never })).toThrow(opt('entropy', 'cols', '"2"', 'must be a positive integer'));
    expect(() => ik.oneHot(y, '2' as never)).toThrow(opt('oneHot', 'cols', '"2"', 'must be a positive integer'));
    expect(() => ik.entropy(z, { cols: 2, reduction: 'sum', out: new Float64Array(2) }))
      .toThrow(new RangeError(`entropy: option out = "Float64Array" is only used with reduction 'none' (reduction is 'sum')`));
  });

  it('checkClassIndices returns the number of rows not ignored', async () => {
    const { checkClassIndices } = await import('../src/options.js');
    expect(checkClassIndices('f', 't', new Int32Array([0, -100, 2, 1, -100]), 3, -100)).toBe(3);
    expect(checkClassIndices('f', 't', new Int32Array([]), 3, -100)).toBe(0);
    expect(checkClassIndices('f', 't', new Int32Array([1, 1]), 3, 1)).toBe(0);
  });
});

// out sharing memory with a target, weight or posWeight: only the whole array (in place) is
// allowed, as for the first argument (losses.ts, logits.ts).
describe.each(BACKENDS)('%s: out partly overlapping a target, weight or posWeight, or the logits of softmax', (backend) => {
  it('softmaxCrossEntropy (probability targets), binaryCrossEntropy(WithLogits), softmax, logSoftmax', () => {
    const buf = new Float64Array(12).fill(0.5);
    const z = f64(1, 2, 3, 4), t = buf.subarray(0, 4);
    expect(() => ik.softmaxCrossEntropy(z, t, { cols: 2, reduction: 'none', out: buf.subarray(1, 3), backend }))
      .toThrow(new RangeError('softmaxCrossEntropy: out overlaps target in part (bytes 8..24 vs 0..32); use separate memory or exactly the same array'));
    expectThrows(() => ik.entropyRegularizedLoss(z, t, { cols: 2, beta: 0.5, reduction: 'none', out: buf.subarray(3, 5), backend }), RangeError,
      /^entropyRegularizedLoss: out overlaps target in part/);
    const p = f64(0.2, 0.9, 0.5, 0.7), y = f64(1, 0, 1, 1);
    const w = buf.subarray(4, 8);
    expectThrows(() => ik.binaryCrossEntropy(p, y, { weight: w, reduction: 'none', out: buf.subarray(2, 6), backend }), RangeError,
      /^binaryCrossEntropy: out overlaps weight in part \(bytes 16\.\.48 vs 32\.\.64\)/);
    expectThrows(() => ik.binaryCrossEntropyWithLogits(z, y, { posWeight: w, reduction: 'none', out: buf.subarray(6, 10), backend }), RangeError,
      /^binaryCrossEntropyWithLogits: out overlaps posWeight in part \(bytes 48\.\.80 vs 32\.\.64\)/);
    expectThrows(() => ik.binaryCrossEntropyWithLogits(z, y, { weight: w, posWeight: f64(1, 1, 1, 1), reduction: 'none', out: buf.subarray(5, 9), backend }), RangeError,
      /^binaryCrossEntropyWithLogits: out overlaps weight in part/);
    // separate memory next to them is fine: BCE of (0.2, 0.9, 0.5, 0.7) against (1, 0, 1, 1), weight 1/2
    const out = buf.subarray(8, 12);
    ik.binaryCrossEntropy(p, y, { weight: w, reduction: 'none', out, backend });
    expectClose(out, [-Math.log(0.2) / 2, -Math.log(0.1) / 2, Math.LN2 / 2, -Math.log(0.7) / 2], F64, 'BCE into the next 4 values');
    const x = buf.subarray(0, 4).fill(1);
    for (const fn of [ik.softmax, ik.logSoftmax] as const) {
      expect(() => fn(x, { cols: 2, out: buf.subarray(2, 6), backend })).toThrow(new RangeError(`${fn.name}: out overlaps x in part (bytes 16..48 vs 0..32); use separate memory or exactly the same array`));
    }
  });
});

// joint.ts: a marginal so small (f64 subnormal) that 1 / marginal overflows sends the whole
// table to the log form sum x (log x + log T - log r - log c).
describe.each(BACKENDS)('%s: mutual information of tables with a subnormal marginal (the log form)', (backend) => {
  it('equals the value of the table without that column', () => {
    const e = 1e-320; // 1 / e overflows; the column adds e log(...) ~ 1e-317 to a sum of order 1
    const hb = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
    // total 3 and 8 (scaled by 1/4 and 1/8 to near 1): I = log 2, and log 2 - H_b(1/4) for [[3, 1], [1, 3]]
    expectClose(ik.mutualInformation(f64(1.5, 0, e, 0, 1.5, 0), { cols: 3, backend }), Math.LN2, F64, '[[1.5, 0, e], [0, 1.5, 0]]');
    expectClose(ik.mutualInformation(f64(3, 1, e, 1, 3, 0), { cols: 3, backend }), Math.LN2 - hb, F64, '[[3, 1, e], [1, 3, 0]]');
    expectClose(ik.mutualInformation(f64(3, 1, 1, 3, e, 0), { cols: 2, backend }), Math.LN2 - hb, F64, 'a subnormal row');
    expectClose(ik.mutualInformation(f64(3, 1, e, 1, 3, 0), { cols: 3, base: 2, backend }), (Math.LN2 - hb) / Math.LN2, F64, 'bits');
  });
});

// helpers.ts topK: the k highest values, highest first, ties by the lower index, NaN above
// every number (torch.topk's order); held to a full sort by that rule on arrays with many
// ties and NaN, every k.
describe('topK against a full sort by (NaN first, value descending, index ascending)', async () => {
  const { topK } = await import('../src/measures/helpers.js');
  const order = (h: ArrayLike<number>) => Array.from(h, (_, i) => i).sort((a, b) => {
    const x = h[a], y = h[b];
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y) ? a - b : Number.isNaN(x) ? -1 : 1;
    return x !== y ? y - x : a - b;
  });
  it('random arrays of 0..40 values from a small set (ties), with NaN, every k', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = [0, 0.5, 1, 2, -1, NaN, Infinity, -Infinity];
    for (let trial = 0; trial < 300; trial++) {
      const n = trial % 41;
      const h = new Float64Array(n).map(() => (trial % 3 === 0 ? rand() : values[Math.floor(rand() * values.length)]));
      const want = order(h);
      for (let k = 0; k <= n; k++) expect(Array.from(topK(h, k)), `n ${n}, k ${k}: ${Array.from(h)}`).toEqual(want.slice(0, k));
    }
  });
  it('ascending, descending and constant arrays', () => {
    for (const h of [[1, 2, 3, 4, 5, 6, 7, 8, 9], [9, 8, 7, 6, 5, 4, 3, 2, 1], [3, 3, 3, 3, 3, 3, 3], [NaN, NaN, 1, NaN], [1, NaN, 2, NaN, 0]]) {
      const a = new Float64Array(h), want = order(a);
      for (let k = 0; k <= h.length; k++) expect(Array.from(topK(a, k)), `${h} k ${k}`).toEqual(want.slice(0, k));
    }
  });
});

describe.each(BACKENDS)('%s: conditional entropy with rows of no mass', (backend) => {
  it.each(TYPES)('%s: they add nothing (their own entropy is 0/0); an all-zero table is NaN', (_t, T, tol) => {
    // H(Y|X) = sum_x P(x) H(Y | X = x): rows 1 and 3 each weigh 4/8
    const hb = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    const t = new T([0, 0, 0, 1, 1, 2, 0, 0, 0, 3, 0, 1]);
    expectClose([ik.conditionalEntropy(t, { cols: 3, backend })], [0.5 * 1.5 * Math.LN2 + 0.5 * hb], tol, 'H(Y|X)');
    expectClose([ik.conditionalEntropy(t, { cols: 3, base: 2, backend })], [(0.75 * Math.LN2 + 0.5 * hb) / Math.LN2], tol, 'H(Y|X) bits');
    expect(ik.conditionalEntropy(new T(6), { cols: 3, backend })).toBeNaN();
    expect(ik.mutualInformation(new T(6), { cols: 3, backend })).toBeNaN();
  });
});

// losses.ts survivors of `STRYKER_FAST=1 npx stryker run --mutate src/measures/losses.ts`.
// NB: vitest's toThrow(/regex/) passes when `undefined` is thrown and ignores the class; exact errors use
// toThrow(new XError(message)), patterns expectThrows(fn, XError, /regex/).
describe.each(BACKENDS)('%s: losses.ts - base with out, argument names, option sets, no options', (backend) => {
  const z = f64(2, 1, 0.1, 0.5, 1.5, -0.3), Z = seen(z);
  const y = new Int32Array([0, 2]);
  const t = f64(0.7, 0.2, 0.1, 0, 0.5, 0.5), T = seen(t);
  it('base 2 per row: entropyRegularizedLoss into out, probability-target cross entropy', () => {
    for (const target of [y, t] as const) {
      const tgt = target instanceof Int32Array ? target : T;
      const nats = ref.entropyRegularizedLoss(Z, tgt, 3, { beta: 0.4, reduction: 'none' }) as number[];
      const out = new Float64Array(2);
      expect(ik.entropyRegularizedLoss(z, target, { cols: 3, beta: 0.4, base: 2, reduction: 'none', out, backend })).toBe(out);
      expectClose(out, nats.map((v) => v / Math.LN2), F64, 'ERL bits, none');
      const ce = ref.softmaxCrossEntropy(Z, tgt, 3, { reduction: 'none' }) as number[];
      expectClose(ik.softmaxCrossEntropy(z, target, { cols: 3, base: 2, reduction: 'none', backend }), ce.map((v) => v / Math.LN2), F64, 'CE bits, none');
      expectClose([ik.softmaxCrossEntropy(z, target, { cols: 3, base: 2, reduction: 'sum', backend })], [(ce[0] + ce[1]) / Math.LN2], F64, 'CE bits, sum');
    }
  });

  it('errors name the argument: logits, target, logProbs, studentLogits, teacherLogits', () => {
    const tf = (msg: string) => new TypeError(msg);
    expect(() => ik.softmaxCrossEntropy([1, 2] as never, y, { backend })).toThrow(tf('softmaxCrossEntropy: logits must be a Float32Array or Float64Array, got Array'));
    expect(() => ik.softmaxCrossEntropy(z, [1, 2] as never, { cols: 3, backend }))
      .toThrow(tf('softmaxCrossEntropy: target must be an Int32Array of class indices or a float array of probabilities, got Array'));
    expect(() => ik.softmaxCrossEntropy(z, new Uint8Array(6) as never, { cols: 3, backend }))
      .toThrow(tf('softmaxCrossEntropy: target must be an Int32Array of class indices or a float array of probabilities, got Uint8Array'));
    expect(() => ik.softmaxCrossEntropy(z, f64(0, 2), { cols: 3, backend })).toThrow(tf('softmaxCrossEntropy: target is a Float64Array of 2 values, ' +
      'one per row: class indices must be an Int32Array (a float target holds class probabilities, rows x cols = 6 values)'));
    expect(() => ik.nllLoss('x' as never, y, { cols: 3, backend })).toThrow(tf('nllLoss: logProbs must be a Float32Array or Float64Array, got "x"'));
    expect(() => ik.binaryCrossEntropy(f64(0.5), [1] as never, { backend })).toThrow(tf('binaryCrossEntropy: target must be a Float32Array or Float64Array, got Array'));
    expect(() => ik.binaryCrossEntropyWithLogits(null as never, f64(1), { backend })).toThrow(tf('binaryCrossEntropyWithLogits: logits must be a Float32Array or Float64Array, got null'));
    expect(() => ik.distillationLoss(1 as never, z, { temperature: 1, backend })).toThrow(tf('distillationLoss: studentLogits must be a Float32Array or Float64Array, got 1'));
    expect(() => ik.distillationLoss(z, {} as never, { temperature: 1, backend })).toThrow(tf('distillationLoss: teacherLogits must be a Float32Array or Float64Array, got Object'));
  });

  it('option sets: perplexity takes neither reduction nor out; distillationLoss takes out; entropyRegularizedLoss needs beta', () => {
    expectThrows(() => ik.perplexity(z, y, { cols: 3, reduction: 'sum', backend } as never), TypeError, /^perplexity: unknown option 'reduction'/);
    expectThrows(() => ik.perplexity(z, y, { cols: 3, out: new Float64Array(2), backend } as never), TypeError, /^perplexity: unknown option 'out'/);
    expect(() => ik.perplexity(z, y, { cols: 3, reduction: 'sum', backend } as never)).toThrow(TypeError);
    expectClose([ik.perplexity(z, y, { cols: 3, temperature: 2, backend })], [ref.perplexity(Z, y, 3, { temperature: 2 })], F64, 'perplexity T = 2');
    const s = f64(0.5, 1.5, -0.3, 1, 1, 1), out = new Float64Array(2);
    expect(ik.distillationLoss(z, s, { cols: 3, temperature: 2, reduction: 'none', out, backend })).toBe(out);
    expectClose(out, ref.distillationLoss(Z, seen(s), 3, { temperature: 2, reduction: 'none' }) as number[], F64, 'distillation into out');
    expect(() => ik.entropyRegularizedLoss(z, y, undefined as never)).toThrow(new RangeError('entropyRegularizedLoss: option beta = undefined must be a finite number'));
  });
});

describe('binary losses without an options object (the default backend)', () => {
  it('binaryCrossEntropy and binaryCrossEntropyWithLogits: the mean over elements', () => {
    // BCE of (0.2, 0.9) against (1, 0): (-log 0.2 - log 0.1) / 2
    expectClose([ik.binaryCrossEntropy(f64(0.2, 0.9), f64(1, 0))], [-(Math.log(0.2) + Math.log(0.1)) / 2], F64, 'BCE');
    // with logits (0, 2) against (1, 0): (log 2 + log(1 + e^2)) / 2
    expectClose([ik.binaryCrossEntropyWithLogits(f64(0, 2), f64(1, 0))], [(Math.LN2 + Math.log1p(Math.exp(2))) / 2], F64, 'BCE logits');
    expectClose([ik.binaryCrossEntropy(f64(0.2, 0.9), f64(1, 0), undefined)], [-(Math.log(0.2) + Math.log(0.1)) / 2], F64, 'BCE, undefined');
  });
});

// logits.ts and joint.ts survivors of `STRYKER_FAST=1 npx stryker run --mutate src/measures/joint.ts,src/measures/logits.ts --ignoreStatic`.
describe('logits.ts and joint.ts: argument names, calls without options, 1/T = Infinity', () => {
  it('errors name the function and the argument', () => {
    const tf = (m: string) => new TypeError(m);
    expect(() => ik.logSumExp([1] as never)).toThrow(tf('logSumExp: x must be a Float32Array or Float64Array, got Array'));
    expect(() => ik.logSumExp(f64(1, 2), { temperature: 0 })).toThrow(new RangeError('logSumExp: option temperature = 0 must be a finite number > 0'));
    expect(() => ik.softmaxEntropy('z' as never)).toThrow(tf('softmaxEntropy: logits must be a Float32Array or Float64Array, got "z"'));
    expect(() => ik.softmax([1] as never)).toThrow(tf('softmax: x must be a Float32Array or Float64Array, got Array'));
    expect(() => ik.logSoftmax(f64(1, 2, 3), { cols: 2 })).toThrow(new RangeError('logSoftmax: x has length 3, which is not a multiple of cols = 2'));
    for (const fn of [ik.jointEntropy, ik.conditionalEntropy, ik.mutualInformation]) {
      expect(() => fn(null as never)).toThrow(tf(`${fn.name}: joint must be a Float32Array or Float64Array, got null`));
    }
  });
  it('logSumExp and softmaxEntropy without an options object', () => {
    expectClose(ik.logSumExp(f64(0, Math.log(3))), [Math.log(4)], F64, 'log(1 + 3)');
    expectClose(ik.softmaxEntropy(f64(0, 0, 0, 0)), [Math.log(4)], F64, 'uniform over 4');
  });
  it.each(BACKENDS)('a temperature so small that 1/T is Infinity: the argmax answers, no NaN from 0 * Infinity (%s)', (backend) => {
    const z = f64(0, -1, -2), T = 5e-324; // 1 / 5e-324 = Infinity
    expect(ik.logSumExp(z, { temperature: T, backend })[0]).toBe(0); // max / T = 0 / T = 0
    expect(ik.softmaxCrossEntropy(z, new Int32Array([0]), { cols: 3, temperature: T, backend })).toBe(0);
    expect(ik.nllLoss(f64(0, -Infinity), new Int32Array([0]), { cols: 2, backend })).toBe(0);
  });
});

// js.ts survivors of `STRYKER_FAST=1 npx stryker run --mutate src/backend/js.ts` (the distillation
// cumulant series and label smoothing's class weights); the WASM builds run the same algorithms.
describe.each(BACKENDS)('%s: distillation just inside the cumulant series (max|b|/T < 1e-3), a log-form MI cell, smoothing with a zero class weight', (backend) => {
  it('T^2 KL at temperatures where the series\' k4 and k5 terms matter, against 80-digit Decimal values', () => {
    // Python: decimal, prec 80, T^2 sum p (log p - log q) with p, q = softmax(t/T), softmax(s/T) from exact exp/ln.
    // max|b|/T: 9.4e-4 (T = 1100), 6.9e-4 (1500) for the first row; 1e-3 and 8e-4 for the second.
    const cases: [number[], number[], number, number][] = [
      [[2, 1, 0.1], [0.5, 1.5, -0.3], 1100, 0.3345752709648067467730859],
      [[2, 1, 0.1], [0.5, 1.5, -0.3], 1500, 0.3345403912640755171112385],
      [[3, 0, -1, 0.5], [-1, 2, 0.5, 1], 4000, 2.812400356589883915987489],
      [[3, 0, -1, 0.5], [-1, 2, 0.5, 1], 5000, 2.812420290717249720218491],
    ];
    for (const [s, t, T, want] of cases) {
      const got = ik.distillationLoss(new Float64Array(s), new Float64Array(t), { cols: s.length, temperature: T, backend });
      expect(Math.abs(got - want), `T = ${T}, ${s.length} classes: ${got}`).toBeLessThan(1e-12 * want);
    }
  });
  it('mutual information of a counts table whose tiny cell takes the log form (r c underflows) with a total far from 1', () => {
    // [[1e-155, 0], [0, 1e6]]: T = 1e6 + 1e-155. Cell (0,0): (x/T) log(x T / (r c)) = 1e-161 log(1e161 (1 + 1e-161));
    // cell (1,1): (1e6/T) log(T / 1e6) = 1e-161 to first order. I = 1e-161 (161 ln 10 + 1). (An f64 sum that rounds T
    // to 1e6 loses the second term: 0.27% low.) r c = 1e-310 is subnormal, so the cell's log form runs, with log T = 13.8.
    const got = ik.mutualInformation(new Float64Array([1e-155, 0, 0, 1e6]), { cols: 2, backend });
    const want = 1e-161 * (161 * Math.LN10 + 1);
    expect(Math.abs(got - want), `${got}`).toBeLessThan(1e-12 * want);
  });
  it('mutual information of nearly independent 2x2 tables: sum x^2k / (2k (2k - 1)), x = 4 eps, not a cancelling log form', () => {
    // [[1/4 + e, 1/4 - e], [1/4 - e, 1/4 + e]] (exact in f64): marginals 1/2, I = ((1 + x) log(1 + x) + (1 - x) log(1 - x)) / 2
    // with x = 4e, whose series is sum_k x^2k / (2k (2k - 1)). The log form x (log x - log r - log c) - x + q loses
    // ~1e-16 absolute against cells of x^2 / 16 ~ 4e-6: ~1e-11 relative
    for (const e of [2 ** -10, 2 ** -12, 3 * 2 ** -9]) {
      const x = 4 * e;
      let want = 0;
      for (let k = 1; k < 12; k++) want += x ** (2 * k) / (2 * k * (2 * k - 1));
      const got = ik.mutualInformation(f64(0.25 + e, 0.25 - e, 0.25 - e, 0.25 + e), { cols: 2, backend });
      expect(Math.abs(got - want), `e = ${e}: ${got}`).toBeLessThan(1e-12 * want);
    }
  });
  it('mutual information of [[1e-160, 0], [0, 1]]: r c = 1e-320 keeps 3 digits, so only the log form is accurate', () => {
    // I = (a/T) log(T/a) + log(T)/T with T = 1 + a, a = 1e-160: a (160 ln 10 + 1). The ratio x T / (r c) would carry
    // the subnormal r c's rounding (5e-4 relative) into the log: 1.4e-6 relative
    const got = ik.mutualInformation(new Float64Array([1e-160, 0, 0, 1]), { cols: 2, backend });
    const want = 1e-160 * (160 * Math.LN10 + 1);
    expect(Math.abs(got - want), `${got}`).toBeLessThan(1e-12 * want);
  });
  it('mutual information where x T or r c is just under the normal range and x T is near r c: the series, not the log form', () => {
    // [[x, 1e-100], [c, 1]]: the total is 1 in f64, r = 1e-100, so r c = 1e-100 c ~ x. I is one cell's q phi(d), a
    // subnormal ~2e-311. The log form x (log x + log T - log r - log c) - x + q cancels ~700-sized logs to d ~ 0.05:
    // 49 to 287 ulps (2^-1074) off; the series with the products' rounding errors (inexact under 2^-1022, by under
    // an ulp of the result) is within one. Values: Python decimal, 700 digits, sum x log(x T / (r c)) / T.
    const cases: [number[], number, string][] = [
      [[2.2e-308, 1e-100, 2.3e-208, 1], 2.206122344165483070e-311, 'x T subnormal, r c normal'],
      [[2e-308, 1e-100, 2.1e-208, 1], 2.419671661136149535e-311, 'x T subnormal, r c normal'],
      [[2.1e-308, 1e-100, 2e-208, 1], 2.459344755807225339e-311, 'r c subnormal, above 2^-1030'],
      [[1e-308, 1e-100, 1.1e-208, 1], 4.689820195675235175e-311, 'both subnormal'],
    ];
    for (const [t, want, what] of cases) {
      const got = ik.mutualInformation(new Float64Array(t), { cols: 2, backend });
      expect(Math.abs(got - want) / 2 ** -1074, `${what} [${t}]: ${got} (ulps off)`).toBeLessThanOrEqual(1);
    }
  });
  it('label smoothing skips a class of weight 0 whose logit is -Infinity (0, not 0 * Infinity = NaN)', () => {
    // z = (0, -Infinity, 1), label 0, eps = 0.1, weights (1, 0, 1): log-probabilities -log(1 + e) and 1 - log(1 + e);
    // loss = (1 - eps) w_0 nll_0 + eps/3 (w_0 nll_0 + w_2 nll_2), the weight-0 class adding nothing
    const l = Math.log1p(Math.E), want = 0.9 * l + (0.1 / 3) * (l + (l - 1));
    for (const T of [Float32Array, Float64Array]) {
      const got = ik.softmaxCrossEntropy(new T([0, -Infinity, 1]), new Int32Array([0]), { cols: 3, labelSmoothing: 0.1, weight: new T([1, 0, 1]), reduction: 'none', backend });
      expectClose(got, [want], T === Float32Array ? F32 : F64, `${T.name}`);
    }
  });
});

describe('options the first `npm run mutate` chunk found unexercised', () => {
  it('klDivergence with no options object: one row, D([.5, .5] || [.9, .1]) = ln(5/3)', () => {
    // 0.5 ln(0.5/0.9) + 0.5 ln(0.5/0.1) = 0.5 ln(25/9)
    for (const T of [Float32Array, Float64Array]) {
      expectClose(ik.klDivergence(new T([0.5, 0.5]), new T([0.9, 0.1])), [Math.log(5 / 3)], T === Float32Array ? F32 : F64, T.name);
    }
  });

  it('softmax and logSoftmax take the threads option: the same values on any count, and its range is checked', () => {
    const z = f64(2, 1, 0.1, 0, -1, 3);
    for (const [name, fn] of [['softmax', ik.softmax], ['logSoftmax', ik.logSoftmax]] as const) {
      const one = fn(z, { cols: 3, threads: 1 });
      expect(seen(fn(z, { cols: 3, threads: 2 }))).toEqual(seen(one));
      // row 1 is [2, 1, 0.1]: softmax_0 = 1 / (1 + e^-1 + e^-1.9)
      const p0 = 1 / (1 + Math.exp(-1) + Math.exp(-1.9));
      expectClose([one[0]], [name === 'softmax' ? p0 : Math.log(p0)], F64, name);
      expectThrows(() => fn(z, { cols: 3, threads: 0 }), RangeError, new RegExp(`^${name}: option threads = 0 must be an integer from 1 to 256$`));
    }
  });

  it('distillationLoss takes the threads option too', () => {
    // the student equal to the teacher: KL(teacher || student) = 0 per row, on any count
    const z = f64(2, 1, 0.1, 0, -1, 3);
    for (const threads of [1, 2]) expect(seen(ik.distillationLoss(z, z, { cols: 3, temperature: 2, reduction: 'none', threads }))).toEqual([0, 0]);
    const t = f64(1, 1, 1, 0, 0, 0); // a uniform teacher: KL(u || softmax(z / 2)) = lse(z / 2) - mean(z / 2), times T^2
    const want = [0, 1].map((r) => {
      const row = [...z.slice(3 * r, 3 * r + 3)].map((v) => v / 2);
      return 4 * (Math.log(row.reduce((a, v) => a + Math.exp(v), 0)) - row.reduce((a, v) => a + v, 0) / 3 - Math.log(3));
    });
    expectClose(ik.distillationLoss(z, t, { cols: 3, temperature: 2, reduction: 'none', threads: 2 }), want, F64, 'uniform teacher');
    expectThrows(() => ik.distillationLoss(z, z, { cols: 3, temperature: 2, threads: 0 }), RangeError, /^distillationLoss: option threads = 0 must be an integer from 1 to 256$/);
  });
});

describe.each(BACKENDS)('%s: the JS backend\'s numeric forms (js.ts lines 1-126 in `npm run mutate`)', (backend) => {
  it('JSD of a subnormal p against q = 0: p log 2 / 2 (5e-324 / 2 would round to 0 and the ratio to Infinity)', () => {
    // class 1: p = 5e-324, q = 0, so m = p / 2 and the term is p ln 2 / 2 ~ 1.7e-324, which rounds to 0 or 5e-324
    const got = ik.jsDivergence(f64(1, 5e-324), f64(1, 0), { backend })[0];
    expect(got >= 0 && got <= 5e-324, `${got}`).toBe(true);
  });
  it('KL of single terms whose ratio is near 1 at extreme magnitudes: p log1p((p - q) / q), not log p - log q', () => {
    // p - q is exact (Sterbenz), so the reference keeps f64 accuracy; the difference of two logs of size 690 loses
    // ~1e-13 absolute, 1e-11 relative to log(p / q) ~ 0.01
    for (const [p, q] of [[0.99e-300, 1e-300], [1.01e-300, 1e-300], [0.995e300, 1e300], [2.5e-308 * 1.01, 2.5e-308]]) {
      const got = ik.klDivergence(f64(p), f64(q), { backend })[0];
      const want = p * Math.log1p((p - q) / q);
      expect(Math.abs(got - want), `${p} ${q}: ${got}`).toBeLessThan(1e-12 * Math.abs(want));
    }
  });
  it('distillation where the teacher mirrors the student: T^2 KL = 2 T tanh(1/T), outside the cumulant series', () => {
    // s = (1, -1), t = (-1, 1): log(p_c / q_c) = -+2/T, so KL = (2/T)(p_1 - p_0) = (2/T) tanh(1/T). t + s = 0 while
    // max|t - s - mean_q(t - s)| / T = 0.04: the series (max|b|/T < 1e-3) must not be chosen
    // The teacher also 2^20 higher (exact in f64; softmax is shift invariant): mean_q(t - s) then rounds by ~1e-10,
    // which the tilted form must keep: sum q b' (lin), zero but for that rounding.
    for (const T of [50, 200, 1]) {
      for (const offset of [0, 2 ** 20]) {
        const got = ik.distillationLoss(f64(1, -1), f64(offset - 1, offset + 1), { cols: 2, temperature: T, backend });
        const want = 2 * T * Math.tanh(1 / T);
        expect(Math.abs(got - want), `T = ${T}, offset ${offset}: ${got}`).toBeLessThan(1e-12 * want);
      }
    }
  });
  it('distillation with the teacher 2^20 above the student: the same T^2 KL (the mean\'s rounding removed before the moments)', () => {
    // t = s + 2^20 + d with every sum exact in f64; softmax is shift invariant, so T^2 KL is that of t = s + d:
    // 1.79484227576153946e-8 (Python decimal, 80 digits: T^2 sum p (log p - log q)). mean_q(t - s) rounds at 2^20
    // (1e-10), which the series' central moments see unless that rounding is measured and taken out first.
    const s = f64(0.5, -0.25, 0.125, 1), d = [3, -1, 2, -4].map((k) => k * 2 ** -14);
    const want = 1.7948422757615394606e-8;
    for (const offset of [0, 2 ** 20]) {
      const t = f64(...[...s].map((v, i) => v + offset + d[i]));
      const got = ik.distillationLoss(s, t, { cols: 4, temperature: 1, backend });
      expect(Math.abs(got - want), `offset ${offset}: ${got}`).toBeLessThan(1e-12 * want);
    }
  });
});

// distributions.ts klNearZero: rows under KL_NEAR_ZERO (1e-3 nats) are recomputed without cancellation, in the
// caller's unit: the threshold is 1e-3 nats times the scale (1 / ln b), not divided by it, which for a base near 1
// (ln 1.001 = 1e-3: 1e-9 nats) would leave cancelling rows of KL ~ 1e-8 nats to the kernels' direct sums.
describe.each(BACKENDS)('%s: KL of nearly equal rows in a base near 1 is refined like KL in nats', (backend) => {
  it('10 columns, q uniform, p = q (1 +- a (1 + i/7)) with a = 1e-4, base 1.001, against the independent reference', () => {
    for (const [T, tol] of [[Float32Array, F32], [Float64Array, F64]] as const) {
      const cols = 10, a = 1e-4, p = new T(cols), q = new T(cols).fill(1 / cols);
      for (let i = 0; i < cols; i++) p[i] = (1 / cols) * (1 + (i % 2 ? a : -a) * (1 + i / 7));
      expectClose(ik.klDivergence(p, q, { cols, base: 1.001, backend }), ref.klDivergence(seen(p), seen(q), cols, { base: 1.001 }), tol, T.name);
    }
  });
});

// near-one.ts klRow: a term whose ratio p/q overflows (p = 1e-6 over a subnormal q) in a row still refined (KL < 1e-3
// nats) takes the difference of the logs, x (log x - log y), not the ratio (Infinity) nor a wrong sign or operator.
describe.each(BACKENDS)('%s: KL of a row whose p/q overflows yet refined (klRow\'s log form)', (backend) => {
  it('KL([1e-6, 1 - 1e-6] || [1e-320, 1]) = 1e-6 (ln 1e-6 - ln 1e-320) + (1 - 1e-6) log1p(-1e-6), about 7.2e-4', () => {
    const p = f64(1e-6, 1 - 1e-6), q = f64(1e-320, 1);
    const [x, p1] = p, y = q[0];
    const want = x * (Math.log(x) - Math.log(y)) + p1 * Math.log1p(p1 - 1); // p1 - 1 exact (Sterbenz)
    expectClose(ik.klDivergence(p, q, { cols: 2, backend }), [want], F64, 'KL');
  });
});
