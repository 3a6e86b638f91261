// Short rows across lanes (issue 11 item 1): softmax CE (class indices), softmaxEntropy,
// logSumExp on ROWS x cols f32 logits and entropy of probability rows ('pentropy'), for
// several short widths, timed side by side in one process: the naive JS loop (bench/kernels.ts), our JS backend, wasm-simd. Every round
// calls every variant once in a rotated order; the table shows medians and ratios.
//
//   npx tsx bench/shortrows.mts                       cols 2 4 10 16 32, 1,048,576 rows, 9 rounds
//   npx tsx bench/shortrows.mts --rows 262144 --rounds 5 --cols 2,10 --fn ce,entropy
import { performance } from 'node:perf_hooks';
import { ready, backendInfo, softmaxCrossEntropy, softmaxEntropy, logSumExp, entropy } from '../src/index.js';
import { classTargets, logitRows, median, probabilityRows } from './data.js';
import { naiveEntropy, naiveSoftmaxCrossEntropy, naiveSoftmaxEntropy, type Data } from './kernels.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const ROWS = Number(arg('rows', '1048576'));
const ROUNDS = Number(arg('rounds', '9'));
const COLS = arg('cols', '2,4,10,16,32').split(',').map(Number);
const FNS = arg('fn', 'ce,entropy,lse,pentropy').split(','); // pentropy: entropy of probability rows

function naiveLogSumExp(d: Data): Float64Array {
  const { logits: z, rows, cols, outRows: out } = d;
  for (let r = 0; r < rows; r++) {
    const a = r * cols, e = a + cols;
    let m = -Infinity;
    for (let i = a; i < e; i++) if (z[i] > m) m = z[i];
    let s = 0;
    for (let i = a; i < e; i++) s += Math.exp(z[i] - m);
    out[r] = Math.log(s) + m;
  }
  return out;
}


await ready();
console.log(`backend ${backendInfo().backend}; ${ROWS} rows, f32, ${ROUNDS} rounds, medians; Melem/s (x naive JS, x our JS backend)`);
console.log('| fn | cols | naive JS | js backend | wasm-simd | simd / naive | simd / js |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const fn of FNS) {
  for (const cols of COLS) {
    const logits = logitRows(ROWS, cols, 'float32', 11, 3);
    const targets = classTargets(ROWS, cols, 13);
    const outRows = new Float64Array(ROWS);
    const p = fn === 'pentropy' ? probabilityRows(ROWS, cols, 'float32', 1) : logits;
    const d = { rows: ROWS, cols, logits, targets, outRows, p } as unknown as Data;
    const variants: [string, () => unknown][] = fn === 'ce' ? [
      ['naive', () => naiveSoftmaxCrossEntropy(d)],
      ['js', () => softmaxCrossEntropy(logits, targets, { cols, backend: 'js', reduction: 'none', out: outRows })],
      ['simd', () => softmaxCrossEntropy(logits, targets, { cols, backend: 'wasm-simd', reduction: 'none', out: outRows })],
    ] : fn === 'entropy' ? [
      ['naive', () => naiveSoftmaxEntropy(d)],
      ['js', () => softmaxEntropy(logits, { cols, backend: 'js', out: outRows })],
      ['simd', () => softmaxEntropy(logits, { cols, backend: 'wasm-simd', out: outRows })],
    ] : fn === 'pentropy' ? [
      ['naive', () => naiveEntropy(d)],
      ['js', () => entropy(p, { cols, backend: 'js', out: outRows })],
      ['simd', () => entropy(p, { cols, backend: 'wasm-simd', out: outRows })],
    ] : [
      ['naive', () => naiveLogSumExp(d)],
      ['js', () => logSumExp(logits, { cols, backend: 'js', out: outRows })],
      ['simd', () => logSumExp(logits, { cols, backend: 'wasm-simd', out: outRows })],
    ];
    const times: Record<string, number[]> = { naive: [], js: [], simd: [] };
    for (const [, f] of variants) f(); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < variants.length; k++) {
        const [name, f] = variants[(k + round) % variants.length];
        const t0 = performance.now();
        f();
        times[name].push(performance.now() - t0);
      }
    }
    const rate = (n: string) => (ROWS * cols) / median(times[n]) / 1e3;
    const [n, j, s] = [rate('naive'), rate('js'), rate('simd')];
    console.log(`| ${fn} | ${cols} | ${n.toFixed(0)} | ${j.toFixed(0)} | ${s.toFixed(0)} | ${(s / n).toFixed(2)} | ${(s / j).toFixed(2)} |`);
  }
}
