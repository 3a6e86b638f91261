// This checkout against another one, in one process, the two taking turns call by call
// (medians of 11), on the README's two f32 shapes and f64: the check that a change costs
// no speed. The other checkout needs its WASM built (npm run build:wasm there).
//   git worktree add /tmp/before <commit> && (cd /tmp/before && npm ci && npm run build:wasm)
//   npx tsx bench/ab.mts /tmp/before
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as NEW from '../src/index.js';
import { probabilityRows, logitRows, classTargets } from './data.js';

const other = process.argv[2];
if (!other) throw new Error('usage: npx tsx bench/ab.mts <other checkout>');
const OLD = await import(pathToFileURL(resolve(other, 'src/index.ts')).href) as typeof NEW;
await NEW.ready({ required: true }); await OLD.ready({ required: true });
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
function ab(name: string, f: (ik: typeof NEW) => unknown, reps = 11) {
  const t = { new: [] as number[], old: [] as number[] };
  f(NEW); f(OLD);
  for (let i = 0; i < reps; i++) for (const [k, ik] of [['new', NEW], ['old', OLD]] as const) {
    const t0 = performance.now(); f(ik); t[k].push(performance.now() - t0);
  }
  console.log(`${name.padEnd(34)} other ${med(t.old).toFixed(1)} ms  this ${med(t.new).toFixed(1)} ms  this / other: ${(med(t.old) / med(t.new)).toFixed(3)}`);
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
