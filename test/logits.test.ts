// Logits and labels: PyTorch golden values (test/golden/logits.json), API.md's worked
// examples, identities, and WASM-SIMD vs WASM-scalar vs JS parity against independent
// f64 references, on odd row lengths, extreme logits and -Infinity entries.
import { describe, expect, it } from 'vitest';
import * as ik from '../src/index.js';
import { loadGolden, array, options, num, isF32, type GoldenCase } from './support/golden.js';
import { expectClose, F32, F64, tolFor, type Tol } from './support/assert.js';
import { BACKENDS, useWasm } from './support/backends.js';
import { rng } from './support/data.js';
import * as ref from './support/reference.js';
import * as independent from './support/independent.js';

useWasm();

function call(c: GoldenCase, backend: string): unknown {
  const o = { ...options(c.options), backend } as Record<string, unknown>;
  const f = (ik as unknown as Record<string, (...a: unknown[]) => unknown>)[c.fn];
  if (c.fn === 'oneHot') return f(array(c.args[0]), o.cols, o.smoothing === undefined ? undefined : { smoothing: o.smoothing }); // takes only smoothing
  return f(...c.args.map(array), o);
}

const cases = loadGolden('logits');

describe.each(BACKENDS)('PyTorch golden values on %s', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const got = call(c, backend);
    const expected = Array.isArray(c.expected) ? c.expected.map(num) : num(c.expected);
    // oneHot returns a Float32Array (API.md), so its values are f32-rounded
    expectClose(got as number | Float64Array, expected, isF32(c) || c.fn === 'oneHot' ? F32 : F64, c.name);
  });
});

it('every golden case runs a function the package exports, with at least 2 cases per logits function', () => {
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(c.fn, (counts.get(c.fn) ?? 0) + 1);
  for (const f of ['logSumExp', 'softmax', 'logSoftmax', 'softmaxCrossEntropy', 'nllLoss', 'binaryCrossEntropy',
    'binaryCrossEntropyWithLogits', 'distillationLoss', 'perplexity', 'softmaxEntropy', 'entropyRegularizedLoss', 'oneHot']) {
    expect(typeof (ik as Record<string, unknown>)[f], f).toBe('function');
    expect(counts.get(f) ?? 0, `${f} golden cases`).toBeGreaterThanOrEqual(2);
  }
});

const TYPES = [['f64', Float64Array, F64], ['f32', Float32Array, F32]] as const;

describe.each(BACKENDS)('worked examples on %s', (backend) => {
  describe.each(TYPES)('%s', (_t, T, tol) => {
    it('F.cross_entropy([[2, 1, 0.1]], [0]) = 0.4170 and [[2, 1, 0.5]] -> 0.4644', () => {
      const a = ik.softmaxCrossEntropy(new T([2, 1, 0.1]), new Int32Array([0]), { cols: 3, backend });
      const b = ik.softmaxCrossEntropy(new T([2, 1, 0.5]), new Int32Array([0]), { cols: 3, backend });
      expect(a).toBeCloseTo(0.4170, 4);
      expect(b).toBeCloseTo(0.4644, 4);
      expectClose(a, Math.log(Math.exp(2) + Math.exp(1) + Math.exp(0.1)) - 2, tol, 'exact');
    });

    it('softmax([1, 2, 5, 1]) = [0.0169, 0.0458, 0.9205, 0.0169]; its logSoftmax sums to log 1 = 0', () => {
      const p = ik.softmax(new T([1, 2, 5, 1]), { backend });
      expect(p).toBeInstanceOf(T);
      [0.0169, 0.0458, 0.9205, 0.0169].forEach((v, i) => expect(p[i]).toBeCloseTo(v, 4));
      expectClose(ik.logSumExp(ik.logSoftmax(new T([1, 2, 5, 1]), { backend }), { backend }), [0], tol, 'lse(logsoftmax)');
    });

    it('label smoothing 0.1 over 4 classes, class 2: [0.025, 0.025, 0.925, 0.025]', () => {
      expectClose(ik.oneHot(new Int32Array([2]), 4, { smoothing: 0.1 }), [0.025, 0.025, 0.925, 0.025], F32, 'oneHot');
    });

    it('PyTorch edge semantics: all -Infinity rows, -Infinity entries, ignored rows, clamped BCE', () => {
      const ninf = -Infinity;
      const x = new T([ninf, ninf, ninf, 0, ninf, 1]);
      expect(Array.from(ik.logSumExp(x, { cols: 3, backend }))).toEqual([ninf, 1 + Math.log1p(Math.exp(-1))].map((v, i) => (i === 0 ? v : expect.closeTo(v, 6))));
      expect(Array.from(ik.softmax(x, { cols: 3, backend })).slice(0, 3).every(Number.isNaN)).toBe(true);
      expect(ik.softmaxEntropy(x, { cols: 3, backend })[0]).toBeNaN();
      expectClose(ik.softmaxEntropy(x, { cols: 3, backend })[1], ref.softmaxEntropyRef([ninf, 0, 1], 3), tol, '-inf adds 0');
      expect(ik.softmaxCrossEntropy(x, new Int32Array([0, 1]), { cols: 3, reduction: 'none', backend })[1]).toBe(Infinity); // target logit -Infinity
      expect(ik.softmaxCrossEntropy(new T([1, 2]), new Int32Array([-100]), { cols: 2, backend })).toBeNaN(); // all ignored
      expect(ik.softmaxCrossEntropy(new T([1, 2]), new Int32Array([-100]), { cols: 2, reduction: 'sum', backend })).toBe(0);
      expect(ik.binaryCrossEntropy(new T([0]), new T([1]), { backend })).toBe(100); // log clamped at -100
      expectClose(ik.binaryCrossEntropyWithLogits(new T([-1e4]), new T([1]), { posWeight: new T([5]), backend }), 5e4, tol, 'pos weight');
    });
  });
});

// ------------------------------------------------------------------- identities
function logitBatch(T: Float32ArrayConstructor | Float64ArrayConstructor, rows: number, cols: number, seed: number, scale = 4) {
  const r = rng(seed);
  return new T(rows * cols).map(() => (r() - 0.5) * 2 * scale);
}
function labels(rows: number, cols: number, seed: number): Int32Array {
  const r = rng(seed);
  return new Int32Array(rows).map(() => Math.floor(r() * cols));
}

describe.each(BACKENDS)('identities on %s', (backend) => {
  describe.each(TYPES)('%s', (_t, T, tol) => {
    const rows = 37, cols = 11;
    const z = logitBatch(T, rows, cols, 3), y = labels(rows, cols, 4);
    const w = new T(cols).map((_, i) => 0.5 + i / cols);

    it('one-hot probability targets equal class indices (per row, weighted or not)', () => {
      for (const weight of [undefined, w]) {
        const a = ik.softmaxCrossEntropy(z, y, { cols, weight, reduction: 'none', backend });
        const b = ik.softmaxCrossEntropy(z, new T(ik.oneHot(y, cols)), { cols, weight, reduction: 'none', backend });
        expectClose(b, a, tol, 'one-hot');
      }
      // label smoothing with indices = the smoothed one-hot distribution as target (no weights)
      const s = ik.softmaxCrossEntropy(z, y, { cols, labelSmoothing: 0.2, reduction: 'none', backend });
      const t = T === Float32Array ? ik.oneHot(y, cols, { smoothing: 0.2 }) : new Float64Array(ik.oneHot(y, cols)).map((v) => v * 0.8 + 0.2 / cols);
      expectClose(ik.softmaxCrossEntropy(z, new T(t), { cols, reduction: 'none', backend }), s, tol, 'smoothing');
    });

    it('temperature T divides the logits first, for every function that takes it', () => {
      const zt = z.map((v) => v / 2.5);
      expectClose(ik.softmaxCrossEntropy(z, y, { cols, temperature: 2.5, backend }), ik.softmaxCrossEntropy(zt, y, { cols, backend }), tol, 'CE');
      expectClose(ik.logSumExp(z, { cols, temperature: 2.5, backend }), ik.logSumExp(zt, { cols, backend }), tol, 'lse');
      expectClose(ik.softmax(z, { cols, temperature: 2.5, backend }), ik.softmax(zt, { cols, backend }), tol, 'softmax');
    });

    it('softmaxEntropy(x) = entropy(softmax(x)); logSoftmax rows logSumExp to 0; perplexity = exp(mean CE)', () => {
      expectClose(ik.softmaxEntropy(z, { cols, temperature: 1.7, backend }), ik.entropy(ik.softmax(z, { cols, temperature: 1.7, backend }), { cols, backend }), tol, 'H');
      expectClose(ik.logSumExp(ik.logSoftmax(z, { cols, backend }), { cols, backend }), new Float64Array(rows), tol, 'lse');
      // perplexity against the independent reference, not against the kernel it is built on
      expectClose(ik.perplexity(z, y, { cols, backend }), independent.perplexity(Array.from(z), y, cols), tol, 'ppl');
      expectClose(ik.perplexity(z, y, { cols, temperature: 2, labelSmoothing: 0.1, backend }),
        independent.perplexity(Array.from(z), y, cols, { temperature: 2, labelSmoothing: 0.1 }), tol, 'ppl T, smoothing');
    });

    it('cross entropy >= entropy of the target; entropyRegularizedLoss with beta = 0 is cross entropy', () => {
      const t = ik.softmax(logitBatch(T, rows, cols, 5), { cols, backend });
      const ce = ik.softmaxCrossEntropy(z, t, { cols, reduction: 'none', backend });
      const h = ik.entropy(t, { cols, backend });
      for (let r = 0; r < rows; r++) expect(ce[r]).toBeGreaterThanOrEqual(h[r] - 1e-6);
      for (const reduction of ['none', 'sum', 'mean'] as const) {
        expectClose(ik.entropyRegularizedLoss(z, y, { cols, beta: 0, weight: w, reduction, backend }),
          ik.softmaxCrossEntropy(z, y, { cols, weight: w, reduction, backend }), tol, reduction);
      }
      const mean = ik.entropyRegularizedLoss(z, y, { cols, beta: 0.5, backend });
      expectClose(mean, ik.softmaxCrossEntropy(z, y, { cols, backend }) - 0.5 * ik.softmaxEntropy(z, { cols, reduction: 'mean', backend }), tol, 'beta');
    });

    it('distillation of a model by itself is 0; BCE with logits = BCE of the sigmoid', () => {
      expectClose(ik.distillationLoss(z, z, { cols, temperature: 3, backend }), 0, { rel: 0, abs: 1e-12 }, 'self');
      const x = logitBatch(T, 1, 50, 6), t = new T(50).map((_, i) => (i % 3) / 2);
      const sig = x.map((v) => 1 / (1 + Math.exp(-v)));
      expectClose(ik.binaryCrossEntropy(sig, t, { reduction: 'none', backend }), ik.binaryCrossEntropyWithLogits(x, t, { reduction: 'none', backend }),
        { rel: T === Float32Array ? 2e-6 : 1e-12, abs: 1e-7 }, 'sigmoid');
    });
  });
});

// ----------------------------------------------- parity and accuracy vs f64 references
const COLS = [1, 3, 7, 10, 1000, 1023];
const SAME_TERMS: Tol = { rel: 1e-12, abs: 1e-15 };

describe.each(TYPES)('parity %s', (_t, T) => {
  describe.each(COLS)('cols = %i', (cols) => {
    const rows = Math.max(2, Math.min(30, Math.floor(12000 / cols)));
    const z = logitBatch(T, rows, cols, cols, 6);
    // extreme and -Infinity logits in some rows (never the whole row, never the target)
    for (let r = 0; r < rows; r += 3) z[r * cols + (r % cols)] = r % 2 ? 1e4 : -1e4;
    for (let r = 1; r < rows && cols > 2; r += 4) z[r * cols + cols - 1] = -Infinity;
    const y = labels(rows, cols, cols + 1).map((v) => (cols > 2 ? v % (cols - 1) : v));
    y[0] = -100;
    const t = ik.softmax(logitBatch(T, rows, cols, cols + 2), { cols, backend: 'js' });
    const w = new T(cols).map((_, i) => 0.5 + ((i * 7) % 5) / 4);
    const xs = logitBatch(T, rows, cols, cols + 3, 20);
    const tb = new T(rows * cols).map((_, i) => (i % 4) / 3);
    const s = logitBatch(T, rows, cols, cols + 4);
    const check: [string, (b: string) => ArrayLike<number> | number, ArrayLike<number> | number][] = [
      ['logSumExp', (b) => ik.logSumExp(z, { cols, backend: b as never }),
        ref.rowsOfLogits(z, cols).map((row) => { const m = Math.max(...row); return m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0)); })],
      ['logSoftmax', (b) => ik.logSoftmax(z, { cols, temperature: 2, backend: b as never }), ref.rowsOfLogits(z, cols).flatMap((row) => ref.logSoftmaxRow(row, 0.5))],
      ['softmax', (b) => ik.softmax(z, { cols, backend: b as never }), ref.rowsOfLogits(z, cols).flatMap((row) => ref.logSoftmaxRow(row).map(Math.exp))],
      ['softmaxEntropy', (b) => ik.softmaxEntropy(z, { cols, temperature: 0.7, backend: b as never }), ref.softmaxEntropyRef(z, cols, 1 / 0.7)],
      ['CE indices, weight, smoothing', (b) => ik.softmaxCrossEntropy(z, y, { cols, weight: w, labelSmoothing: 0.1, reduction: 'none', backend: b as never }),
        ref.crossEntropyIndexRef(z, y, cols, { weight: w, eps: 0.1 }).loss],
      ['CE probabilities, weight', (b) => ik.softmaxCrossEntropy(z, t, { cols, weight: w, reduction: 'none', backend: b as never }), ref.crossEntropyProbRef(z, t, cols, { weight: w })],
      ['BCE with logits, posWeight per class', (b) => ik.binaryCrossEntropyWithLogits(xs, tb, { cols, posWeight: w, reduction: 'none', backend: b as never }),
        ref.bceLogitsRef(xs, tb, () => 1, (i) => w[i % cols])],
      ['distillation', (b) => ik.distillationLoss(s, z, { cols, temperature: 2, reduction: 'none', backend: b as never }), ref.distillRef(s, z, cols, 2)],
    ];
    it.each(check)('%s', (_name, run, expected) => {
      const got = Object.fromEntries(BACKENDS.map((b) => [b, run(b)]));
      for (const b of BACKENDS) expectClose(got[b] as ArrayLike<number>, expected, tolFor(z), `${_name} ${b}`);
      expectClose(got['wasm-simd'] as ArrayLike<number>, got['wasm-scalar'] as ArrayLike<number>, SAME_TERMS, `${_name} simd vs scalar`);
    });
  });
});

it('mostUncertain fromLogits ranks rows by the entropy of their softmax', () => {
  const z = logitBatch(Float32Array, 300, 9, 12);
  const h = ref.softmaxEntropyRef(z, 9);
  const order = h.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, 10).map((x) => x[1]);
  for (const backend of BACKENDS) expect(Array.from(ik.mostUncertain(z, { cols: 9, k: 10, fromLogits: true, backend }))).toEqual(order);
});
