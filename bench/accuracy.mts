// Worst-case accuracy of every function against the independent f64 reference
// (test/support/reference.ts) over the awkward batches of the parity tests.
// Prints, per function and input type, the largest |got - truth| / max(|truth|, floor)
// with floor = 0.1 (so it reads as relative error above 0.1 and absolute error / 0.1 below),
// and the largest plain absolute error. Usage: npx tsx bench/accuracy.mts
import * as ik from '../src/index.js';
import type { FloatArray } from '../src/index.js';
import { batch, positiveBatch, type Kind } from '../test/support/data.js';
import * as ref from '../test/support/reference.js';

await ik.ready();
const KINDS: Kind[] = ['uniform', 'sparse', 'tiny', 'peaked'];
const COLS = [1, 3, 7, 10, 100, 1000, 1023];
type Row = { rel: number; abs: number };
const worst = new Map<string, Row>();

function record(key: string, got: ArrayLike<number> | number, want: ArrayLike<number> | number) {
  const g = typeof got === 'number' ? [got] : got, w = typeof want === 'number' ? [want] : want;
  const r = worst.get(key) ?? { rel: 0, abs: 0 };
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(w[i])) continue;
    const d = Math.abs(g[i] - w[i]);
    r.rel = Math.max(r.rel, d / Math.max(Math.abs(w[i]), 0.1));
    r.abs = Math.max(r.abs, d);
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
console.log('input function                   backend       worst rel (floor 0.1)   worst abs');
for (const [k, r] of [...worst.entries()].sort()) console.log(`${k.padEnd(46)} ${r.rel.toExponential(2).padStart(10)}   ${r.abs.toExponential(2).padStart(10)}`);
