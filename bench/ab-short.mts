// Rows of 10 (W4's shape, 1,048,576 rows; COLS=n for another width) on zero-copy batches: this checkout
// against another, the two taking turns call by call, medians of 15, with the naive JS loop timed in
// the same rounds for softmax CE. For kernel experiments: edit assembly/ in a second checkout, build
// its WASM there, then
//   npx tsx bench/ab-short.mts ../other-checkout
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as NEW from '../src/index.js';
import { probabilityRows, logitRows, classTargets } from './data.js';
const other = process.argv[2];
const OLD = await import(pathToFileURL(resolve(other, 'src/index.ts')).href) as typeof NEW;
await NEW.ready({ required: true }); await OLD.ready({ required: true });
NEW.setThreads?.(1); OLD.setThreads?.(1);
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
const R = 1048576, C = Number(process.env.COLS ?? 10);
const z = logitRows(R, C, 'float32'), y = classTargets(R, C), p = probabilityRows(R, C, 'float32', 1);
function batch(ik: typeof NEW, src: Float32Array) { const b = ik.allocBatch(Float32Array, R, C); b.view.set(src); return b; }
const zb = { new: batch(NEW, z as Float32Array), old: batch(OLD, z as Float32Array) };
const pb = { new: batch(NEW, p as Float32Array), old: batch(OLD, p as Float32Array) };
const out = new Float64Array(R);
/** The loop a user would write (as bench.ts's naive column): f64 max, exp sum, log, per row. */
function naive() {
  for (let r = 0; r < R; r++) {
    const o = r * C;
    let m = -Infinity;
    for (let j = 0; j < C; j++) m = Math.max(m, z[o + j]);
    let t = 0;
    for (let j = 0; j < C; j++) t += Math.exp(z[o + j] - m);
    out[r] = Math.log(t) + m - z[o + y[r]];
  }
}
function ab(name: string, f: (ik: typeof NEW, k: 'new' | 'old') => unknown, reps = 15) {
  const t = { new: [] as number[], old: [] as number[], naive: [] as number[] };
  f(NEW, 'new'); f(OLD, 'old');
  for (let i = 0; i < reps; i++) {
    for (const [k, ik] of [['new', NEW], ['old', OLD]] as const) { const t0 = performance.now(); f(ik, k); t[k].push(performance.now() - t0); }
    if (name.startsWith('softmaxCE')) { const t0 = performance.now(); naive(); t.naive.push(performance.now() - t0); }
  }
  const nv = t.naive.length ? ` naive ${med(t.naive).toFixed(1)} ms  this/naive ${(med(t.naive) / med(t.new)).toFixed(2)}x other/naive ${(med(t.naive) / med(t.old)).toFixed(2)}x` : '';
  console.log(`${name.padEnd(28)} other ${med(t.old).toFixed(2)} ms  this ${med(t.new).toFixed(2)} ms  this/other ${(med(t.old) / med(t.new)).toFixed(3)}${nv}`);
}
ab(`softmaxCE ${C}, batch in`, (ik, k) => ik.softmaxCrossEntropy(zb[k].view, y, { cols: C, reduction: 'none', out }));
const ob = { new: NEW.allocBatch(Float64Array, R, 1), old: OLD.allocBatch(Float64Array, R, 1) };
ab(`softmaxCE ${C}, batch in+out`, (ik, k) => ik.softmaxCrossEntropy(zb[k].view, y, { cols: C, reduction: "none", out: ob[k].view }));
ab(`softmaxEntropy ${C}`, (ik, k) => ik.softmaxEntropy(zb[k].view, { cols: C, out }));
ab(`entropy ${C}`, (ik, k) => ik.entropy(pb[k].view, { cols: C, out }));
