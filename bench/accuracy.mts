// Worst-case accuracy of every function against the independent f64 reference
// (test/support/reference.ts) over the awkward batches of the parity tests.
// Prints, per function and input type, the largest |got - truth| / max(|truth|, 0.1), the
// largest absolute error, and the largest share of the allowed error used (f32:
// max(1e-6 |x|, 1e-7); f64: max(1e-12 |x|, 1e-14)). Usage: npx tsx bench/accuracy.mts
import * as ik from '../src/index.js';
import type { FloatArray } from '../src/index.js';
import { batch, positiveBatch, rng, type Kind } from '../test/support/data.js';
import * as ref from '../test/support/reference.js';

await ik.ready();
const KINDS: Kind[] = ['uniform', 'sparse', 'tiny', 'peaked'];
const COLS = [1, 3, 7, 10, 100, 1000, 1023];
type Row = { rel: number; abs: number; used: number };
const worst = new Map<string, Row>();

function record(key: string, got: ArrayLike<number> | number, want: ArrayLike<number> | number) {
  const g = typeof got === 'number' ? [got] : got, w = typeof want === 'number' ? [want] : want;
  const r = worst.get(key) ?? { rel: 0, abs: 0, used: 0 };
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(w[i])) continue;
    const d = Math.abs(g[i] - w[i]);
    r.rel = Math.max(r.rel, d / Math.max(Math.abs(w[i]), 0.1));
    r.abs = Math.max(r.abs, d);
    // share of the allowed error used: f32 max(1e-6 |x|, 1e-7), f64 max(1e-12 |x|, 1e-14)
    const f32 = key.startsWith('f32');
    r.used = Math.max(r.used, d / Math.max((f32 ? 1e-6 : 1e-12) * Math.abs(w[i]), f32 ? 1e-7 : 1e-14));
  }
  worst.set(key, r);
}

for (const [tname, T] of [['f32', Float32Array], ['f64', Float64Array]] as const) {
  for (const kind of KINDS) {
    for (const cols of COLS) {
      for (let seed = 1; seed <= 3; seed++) {
        const rows = Math.max(2, Math.floor(30000 / cols));
        const p = batch(T, rows, cols, kind, seed * 100 + cols);
        const q = positiveBatch(T, rows, cols, seed * 100 + cols + 1);
        const lp = p.map(Math.log) as FloatArray;
        const counts = p.map((v) => v * 1000) as FloatArray;
        const j = ref.jointRefs(counts, Math.min(cols, 64) === cols ? cols : cols);
        const cases: [string, () => ArrayLike<number> | number, ArrayLike<number> | number][] = [
          ['entropy', () => ik.entropy(p, { cols }), ref.entropyRef(p, cols)],
          ['entropy normalize', () => ik.entropy(counts, { cols, normalize: true }), ref.entropyRef(counts, cols, true)],
          ['crossEntropy', () => ik.crossEntropy(p, q, { cols }), ref.crossEntropyRef(p, q, cols)],
          ['klDivergence', () => ik.klDivergence(p, q, { cols }), ref.klRef(p, q, cols)],
          ['klDivergence logTarget', () => ik.klDivergence(lp, q, { cols, logTarget: true }), ref.klLogTargetRef(lp, q, cols)],
          ['jsDivergence', () => ik.jsDivergence(p, q, { cols }), ref.jsRef(p, q, cols)],
          ['surprisal', () => ik.surprisal(p), Array.from(p, (v) => -Math.log(v))],
          ['binaryEntropy', () => ik.binaryEntropy(p), ref.binaryEntropyRef(p)],
          ['jointEntropy', () => ik.jointEntropy(counts, { cols }), j.hxy],
          ['mutualInformation', () => ik.mutualInformation(counts, { cols }), Math.max(0, j.mi)],
        ];
        for (const [name, run, want] of cases) {
          for (const backend of ['wasm-simd', 'wasm-scalar', 'js'] as const) {
            ik.setBackend(backend);
            record(`${tname} ${name.padEnd(24)} ${backend}`, run(), want);
          }
        }
        ik.setBackend('wasm');
      }
    }
  }
}
// ---- logits and labels: random logits (scale 4), extreme (+-1e4) and -Infinity entries
function logits(T: Float32ArrayConstructor | Float64ArrayConstructor, rows: number, cols: number, seed: number) {
  const r = rng(seed);
  const z = new T(rows * cols).map(() => (r() - 0.5) * 8);
  for (let i = 0; i < rows; i += 3) z[i * cols + (i % cols)] = i % 2 ? 1e4 : -1e4;
  for (let i = 1; i < rows && cols > 2; i += 4) z[i * cols + cols - 1] = -Infinity;
  return z;
}
for (const [tname, T] of [['f32', Float32Array], ['f64', Float64Array]] as const) {
  for (const cols of [1, 3, 10, 100, 1000]) {
    for (let seed = 1; seed <= 3; seed++) {
      const rows = Math.max(2, Math.floor(20000 / cols));
      const z = logits(T, rows, cols, seed * 31 + cols), s = logits(T, rows, cols, seed * 37 + cols);
      const r = rng(seed);
      const y = new Int32Array(rows).map(() => Math.floor(r() * (cols > 2 ? cols - 1 : cols)));
      const t = ik.softmax(logits(T, rows, cols, seed * 41 + cols), { cols, backend: 'js' });
      const w = new T(cols).map((_, i) => 0.5 + (i % 5) / 4);
      const xs = new T(rows * cols).map(() => (r() - 0.5) * 40), tb = new T(rows * cols).map((_, i) => (i % 4) / 3);
      const cases: [string, () => ArrayLike<number>, ArrayLike<number>][] = [
        ['softmax', () => ik.softmax(z, { cols }), ref.rowsOfLogits(z, cols).flatMap((row) => ref.logSoftmaxRow(row).map(Math.exp))],
        ['logSoftmax T=2', () => ik.logSoftmax(z, { cols, temperature: 2 }), ref.rowsOfLogits(z, cols).flatMap((row) => ref.logSoftmaxRow(row, 0.5))],
        ['softmaxEntropy', () => ik.softmaxEntropy(z, { cols }), ref.softmaxEntropyRef(z, cols)],
        ['CE indices weight smooth', () => ik.softmaxCrossEntropy(z, y, { cols, weight: w, labelSmoothing: 0.1, reduction: 'none' }), ref.crossEntropyIndexRef(z, y, cols, { weight: w, eps: 0.1 }).loss],
        ['CE probability targets', () => ik.softmaxCrossEntropy(z, t, { cols, weight: w, reduction: 'none' }), ref.crossEntropyProbRef(z, t, cols, { weight: w })],
        ['BCE with logits', () => ik.binaryCrossEntropyWithLogits(xs, tb, { cols, posWeight: w, reduction: 'none' }), ref.bceLogitsRef(xs, tb, () => 1, (i) => w[i % cols])],
        ['distillation T=2', () => ik.distillationLoss(s, z, { cols, temperature: 2, reduction: 'none' }), ref.distillRef(s, z, cols, 2)],
      ];
      for (const [name, run, want] of cases) {
        for (const backend of ['wasm-simd', 'wasm-scalar', 'js'] as const) {
          ik.setBackend(backend);
          record(`${tname} ${name.padEnd(24)} ${backend}`, run(), want);
        }
        ik.setBackend('wasm');
      }
    }
  }
}

console.log('input function                   backend       worst rel (floor 0.1)   worst abs   share of bound');
for (const [k, r] of [...worst.entries()].sort()) {
  console.log(`${k.padEnd(46)} ${r.rel.toExponential(2).padStart(10)}   ${r.abs.toExponential(2).padStart(10)}   ${(100 * r.used).toFixed(1).padStart(6)}%`);
}
