// This checkout against another one, in one process, the two taking turns call by call
// (medians of 11), on the README's two f32 shapes and f64: the check that a change costs
// no speed. The other checkout needs its WASM built (npm run build:wasm there).
//   git worktree add /tmp/before <commit> && (cd /tmp/before && npm ci && npm run build:wasm)
//   npx tsx bench/ab.mts /tmp/before
//   npx tsx bench/ab.mts /tmp/before --zero-copy   only rows of 10 (W4's shape) in allocBatch
//     batches on one thread, with the naive loop timed in the same rounds (kernel experiments)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as NEW from '../src/index.js';
import { probabilityRows, logitRows, classTargets, median as med } from './data.js';
import { type Data, naiveSoftmaxCrossEntropy } from './kernels.js';

const args = process.argv.slice(2);
const other = args.find((a) => !a.startsWith('--'));
if (!other) throw new Error('usage: npx tsx bench/ab.mts <other checkout> [--zero-copy]');
const OLD = await import(pathToFileURL(resolve(other, 'src/index.ts')).href) as typeof NEW;
await NEW.ready({ required: true }); await OLD.ready({ required: true });
type Side = 'new' | 'old';
/** `f` on each checkout in turns; `naive`, if given, timed in the same rounds. */
function ab(name: string, f: (ik: typeof NEW, side: Side) => unknown, naive?: () => unknown, reps = 11) {
  const t = { new: [] as number[], old: [] as number[], naive: [] as number[] };
  f(NEW, 'new'); f(OLD, 'old');
  for (let i = 0; i < reps; i++) {
    for (const [k, ik] of [['new', NEW], ['old', OLD]] as const) {
      const t0 = performance.now(); f(ik, k); t[k].push(performance.now() - t0);
    }
    if (naive) { const t0 = performance.now(); naive(); t.naive.push(performance.now() - t0); }
  }
  const vsNaive = naive ? `  naive ${med(t.naive).toFixed(1)} ms: this ${(med(t.naive) / med(t.new)).toFixed(2)}x, other ${(med(t.naive) / med(t.old)).toFixed(2)}x` : '';
  console.log(`${name.padEnd(34)} other ${med(t.old).toFixed(1)} ms  this ${med(t.new).toFixed(1)} ms  this / other: ${(med(t.old) / med(t.new)).toFixed(3)}${vsNaive}`);
}

if (args.includes('--zero-copy')) {
  const R = 1048576, C = 10;
  const z = logitRows(R, C, 'float32') as Float32Array, y = classTargets(R, C), p = probabilityRows(R, C, 'float32', 1) as Float32Array;
  const batch = (ik: typeof NEW, src: Float32Array) => { const b = ik.allocBatch(Float32Array, R, C); b.view.set(src); return b.view; };
  const zb = { new: batch(NEW, z), old: batch(OLD, z) }, pb = { new: batch(NEW, p), old: batch(OLD, p) };
  const ob = { new: NEW.allocBatch(Float64Array, R, 1).view, old: OLD.allocBatch(Float64Array, R, 1).view };
  const out = new Float64Array(R);
  // the fields the naive loop reads
  const naive = () => naiveSoftmaxCrossEntropy({ rows: R, cols: C, logits: z, targets: y, outRows: out } as unknown as Data);
  ab('softmaxCE 1Mx10, batch in', (ik, k) => ik.softmaxCrossEntropy(zb[k], y, { cols: C, reduction: 'none', out, threads: 1 }), naive, 15);
  ab('softmaxCE 1Mx10, batch in+out', (ik, k) => ik.softmaxCrossEntropy(zb[k], y, { cols: C, reduction: 'none', out: ob[k], threads: 1 }), naive, 15);
  ab('softmaxEntropy 1Mx10, batch', (ik, k) => ik.softmaxEntropy(zb[k], { cols: C, out, threads: 1 }), undefined, 15);
  ab('entropy 1Mx10, batch', (ik, k) => ik.entropy(pb[k], { cols: C, out, threads: 1 }), undefined, 15);
  process.exit(0);
}
const p = probabilityRows(16384, 1024, 'float32', 1), q = probabilityRows(16384, 1024, 'float32', 2);
const z = logitRows(16384, 1024, 'float32'), y = classTargets(16384, 1024);
const p10 = probabilityRows(1048576, 10, 'float32', 1), q10 = probabilityRows(1048576, 10, 'float32', 2);
const z10 = logitRows(1048576, 10, 'float32'), y10 = classTargets(1048576, 10);
const p64 = probabilityRows(16384, 1024, 'float64', 1);
const out = new Float64Array(1048576);
ab('entropy 16384x1024', (ik) => ik.entropy(p, { cols: 1024, out: out.subarray(0, 16384) }));
ab('klDivergence 16384x1024', (ik) => ik.klDivergence(p, q, { cols: 1024, out: out.subarray(0, 16384) }));
ab('crossEntropy 16384x1024', (ik) => ik.crossEntropy(p, q, { cols: 1024, out: out.subarray(0, 16384) }));
ab('softmaxCrossEntropy 16384x1024', (ik) => ik.softmaxCrossEntropy(z, y, { cols: 1024, reduction: 'none' }));
ab('mutualInformation 16384x1024', (ik) => ik.mutualInformation(p, { cols: 1024 }));
ab('entropy 1Mx10', (ik) => ik.entropy(p10, { cols: 10, out }));
ab('klDivergence 1Mx10', (ik) => ik.klDivergence(p10, q10, { cols: 10, out }));
ab('mutualInformation 1Mx10', (ik) => ik.mutualInformation(p10, { cols: 10 }));
ab('softmaxCrossEntropy 1Mx10', (ik) => ik.softmaxCrossEntropy(z10, y10, { cols: 10, reduction: 'none' }));
ab('softmaxEntropy 1Mx10', (ik) => ik.softmaxEntropy(z10, { cols: 10, out }));
// the short-row kernel's class-dot (label smoothing) and probability-target paths, with class weights
const t10 = probabilityRows(1048576, 10, 'float32', 3), w10 = new Float32Array(10).map((_, i) => 0.5 + i / 10);
ab('softmaxCE smoothing+weight 1Mx10', (ik) => ik.softmaxCrossEntropy(z10, y10, { cols: 10, labelSmoothing: 0.1, weight: w10, reduction: 'none' }));
ab('softmaxCE targets+weight 1Mx10', (ik) => ik.softmaxCrossEntropy(z10, t10, { cols: 10, weight: w10, reduction: 'none' }));
ab('softmaxCE targets 1Mx10', (ik) => ik.softmaxCrossEntropy(z10, t10, { cols: 10, reduction: 'none' }));
ab('entropy f64 16384x1024', (ik) => ik.entropy(p64, { cols: 1024, out: out.subarray(0, 16384) }));
