// A short tour of infokernel on synthetic data (npm start): uncertainty of a batch of
// classifier predictions, losses against targets, a small joint table, losses and
// review flags straight from logits, and a quick JS-vs-WASM speed comparison.
import os from 'node:os';
import {
  backendInfo, crossEntropy, entropy, jsDivergence, klDivergence, mostUncertain, mutualInformation,
  jointEntropy, perplexity, ready, softmaxCrossEntropy, softmaxEntropy,
} from '../src/index.js';
import { type FloatArray, classTargets, logitRows, median, predictionRows, probabilityRows, rng, smoothedTargets } from './data.js';

const LABEL = 44;
const line = (label: string, value: string, note = '') => console.log(`  ${label.padEnd(LABEL)}${value.padStart(12)}${note ? `   ${note}` : ''}`);
const f4 = (x: number) => x.toFixed(4);

/** The plain loop a user would write: -sum p ln p per row, f64 sum. */
function naiveEntropy(p: FloatArray, cols: number, out: Float64Array): void {
  for (let r = 0, rows = p.length / cols; r < rows; r++) {
    let s = 0;
    for (let i = r * cols, e = i + cols; i < e; i++) {
      const v = p[i];
      if (v > 0) s -= v * Math.log(v);
    }
    out[r] = s;
  }
}


async function main(): Promise<void> {
  await ready();
  const info = backendInfo();
  console.log('infokernel demo');
  console.log(`  node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'}; backend ${info.backend} (simd: ${info.simd}, threads: ${info.threads})`);

  // ---- a batch of predictions and their targets ----
  const rows = 100_000, cols = 10;
  const { p, labels } = predictionRows(rows, cols, 'float32', 7);
  // Ground truth: the predicted class 80% of the time, otherwise a random class.
  const next = rng(11);
  for (let r = 0; r < rows; r++) if (next() < 0.2) labels[r] = Math.floor(next() * cols);
  const t = smoothedTargets(labels, cols, 0.1, 'float32');

  console.log();
  console.log(`${rows.toLocaleString('en-US')} predictions x ${cols} classes (synthetic softmax outputs); targets: one-hot labels smoothed by 0.1`);
  const h = entropy(p, { cols, base: 2 });
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += h[r];
  line('mean entropy of the predictions', `${f4(sum / rows)} bits`, `(at most log2 ${cols} = ${f4(Math.log2(cols))})`);
  console.log('  5 most uncertain rows:');
  for (const r of mostUncertain(p, { cols, k: 5 })) line(`    row ${String(r).padStart(6)}`, `${f4(h[r])} bits`);

  const ce = crossEntropy(t, p, { cols, reduction: 'mean' });
  const kl = klDivergence(t, p, { cols, reduction: 'mean' });
  const ht = entropy(t, { cols, reduction: 'mean' });
  const jsd = jsDivergence(p, t, { cols, reduction: 'mean' });
  line('mean cross entropy H(targets, predictions)', `${f4(ce)} nats`);
  line('mean KL D(targets || predictions)', `${f4(kl)} nats`, `(= H(t,p) - H(t) = ${f4(ce)} - ${f4(ht)})`);
  line('mean Jensen-Shannon divergence', `${f4(jsd)} nats`, `(at most ln 2 = ${f4(Math.LN2)})`);

  // ---- a joint table ----
  // X, Y fair bits that agree 80% of the time: P = [[0.4, 0.1], [0.1, 0.4]].
  // Both marginals are (0.5, 0.5), so I(X;Y) = sum P log2(P / 0.25)
  //   = 2 * 0.4 log2 1.6 + 2 * 0.1 log2 0.4 = 0.54246 - 0.26439 = 0.2781 bits
  //   (= 1 - H_b(0.2) = 1 - 0.7219); H(X,Y) = 1 + H_b(0.2) = 1.7219 bits.
  console.log();
  console.log('joint table P(X,Y) = [[0.4, 0.1], [0.1, 0.4]] (two fair bits that agree 80% of the time)');
  const joint = new Float64Array([0.4, 0.1, 0.1, 0.4]);
  line('mutual information I(X;Y)', `${f4(mutualInformation(joint, { cols: 2, base: 2 }))} bits`, '(1 - H_b(0.2) = 0.2781)');
  line('joint entropy H(X,Y)', `${f4(jointEntropy(joint, { cols: 2, base: 2 }))} bits`, '(1 + H_b(0.2) = 1.7219)');
  line('fair coin H([0.5, 0.5])', `${f4(entropy(new Float64Array([0.5, 0.5]), { base: 2 })[0])} bits`, '(exactly 1)');

  // ---- from logits ----
  const lRows = 100_000, lCols = 10;
  const logits = logitRows(lRows, lCols, 'float32', 21);
  // A decent model: the label is the top logit for 80% of rows, a random class otherwise.
  const y = classTargets(lRows, lCols, 22);
  const coin = rng(23);
  for (let r = 0; r < lRows; r++) {
    if (coin() >= 0.8) continue;
    let best = 0;
    for (let c = 1; c < lCols; c++) if (logits[r * lCols + c] > logits[r * lCols + best]) best = c;
    y[r] = best;
  }
  console.log();
  console.log(`${lRows.toLocaleString('en-US')} rows of logits x ${lCols} classes; labels: the top logit for 80% of rows, random otherwise`);
  line('softmax cross entropy (mean)', `${f4(softmaxCrossEntropy(logits, y, { cols: lCols }))} nats`, 'F.cross_entropy(logits, y)');
  line('  with label smoothing 0.1', `${f4(softmaxCrossEntropy(logits, y, { cols: lCols, labelSmoothing: 0.1 }))} nats`);
  line('perplexity', f4(perplexity(logits, y, { cols: lCols })), `(a uniform guess: ${lCols})`);
  const worked = softmaxCrossEntropy(new Float32Array([2, 1, 0.1]), new Int32Array([0]), { cols: 3 });
  line('F.cross_entropy([[2, 1, 0.1]], [0])', f4(worked), '(PyTorch: 0.4170)');
  // Uncertainty triage: flag predictions whose entropy is above 80% of the maximum for review.
  const H = softmaxEntropy(logits, { cols: lCols, base: 2 });
  const threshold = 0.8 * Math.log2(lCols);
  let flagged = 0;
  for (let r = 0; r < lRows; r++) if (H[r] > threshold) flagged++;
  line(`rows for review (entropy > ${threshold.toFixed(2)} bits)`, flagged.toLocaleString('en-US'), `${((100 * flagged) / lRows).toFixed(1)}% of rows`);

  // ---- speed ----
  const sRows = 16384, sCols = 1024, RUNS = 5;
  const big = probabilityRows(sRows, sCols, 'float32', 1);
  const bigLogits = logitRows(sRows, sCols, 'float32', 2);
  const bigY = classTargets(sRows, sCols, 3);
  const out = new Float64Array(sRows);
  const wasm = info.backend === 'js' ? null : info.backend;
  const wasmLabel = `infokernel, ${wasm}${info.threads > 1 ? `, ${info.threads} threads` : ''}`;
  speed(`entropy of ${sRows} x ${sCols} float32`, sRows * sCols, RUNS, [
    ['naive JS loop', () => naiveEntropy(big, sCols, out)],
    ['infokernel, js backend', () => entropy(big, { cols: sCols, backend: 'js', out })],
    ...(wasm ? [[wasmLabel, () => entropy(big, { cols: sCols, backend: wasm, out })] as Variant] : []),
  ]);
  speed(`softmax cross entropy of ${sRows} x ${sCols} float32 logits`, sRows * sCols, RUNS, [
    ['naive JS loop', () => naiveSoftmaxCrossEntropy(bigLogits, bigY, sCols, out)],
    ['infokernel, js backend', () => softmaxCrossEntropy(bigLogits, bigY, { cols: sCols, backend: 'js', reduction: 'none', out })],
    ...(wasm ? [[wasmLabel, () => softmaxCrossEntropy(bigLogits, bigY, { cols: sCols, backend: wasm, reduction: 'none', out })] as Variant] : []),
  ]);
}

type Variant = [string, () => void];

/** Median time of each variant over `runs` round-robin runs (noise hits all alike), printed as Melem/s. */
function speed(title: string, n: number, runs: number, variants: Variant[]): void {
  const times = variants.map(() => [] as number[]);
  for (const [, run] of variants) run(); // warm up
  for (let i = 0; i < runs; i++) {
    variants.forEach(([, run], v) => {
      const t0 = performance.now();
      run();
      times[v].push(performance.now() - t0);
    });
  }
  console.log();
  console.log(`speed: ${title} (${(n / 1e6).toFixed(1)} M elements), median of ${runs} runs`);
  const base = median(times[0]);
  variants.forEach(([name], v) => {
    const ms = median(times[v]);
    line(`  ${name}`, `${(n / ms / 1e3).toFixed(0)} Melem/s`, `${ms.toFixed(1).padStart(7)} ms   ${(base / ms).toFixed(2)}x naive JS`);
  });
}

/** The plain loop a user would write: per row max, sum of exp(z - max), log, minus the target logit. */
function naiveSoftmaxCrossEntropy(z: FloatArray, y: Int32Array, cols: number, out: Float64Array): void {
  for (let r = 0; r < y.length; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let i = o; i < o + cols; i++) if (z[i] > m) m = z[i];
    let s = 0;
    for (let i = o; i < o + cols; i++) s += Math.exp(z[i] - m);
    out[r] = Math.log(s) + m - z[o + y[r]];
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
