// A short tour of infokernel on synthetic data (npm start): uncertainty of a batch of
// classifier predictions, losses against targets, a small joint table, and a quick
// JS-vs-WASM speed comparison for entropy.
import os from 'node:os';
import {
  backendInfo, crossEntropy, entropy, jsDivergence, klDivergence, mostUncertain, mutualInformation,
  jointEntropy, ready,
} from '../src/index.js';
import { type FloatArray, predictionRows, probabilityRows, rng, smoothedTargets } from './data.js';

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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

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

  // ---- speed ----
  const sRows = 16384, sCols = 1024, n = sRows * sCols, RUNS = 5;
  const big = probabilityRows(sRows, sCols, 'float32', 1);
  const out = new Float64Array(sRows);
  const wasm = info.backend === 'js' ? null : info.backend;
  const variants: [string, () => void][] = [
    ['naive JS loop', () => naiveEntropy(big, sCols, out)],
    ['infokernel, js backend', () => entropy(big, { cols: sCols, backend: 'js', out })],
  ];
  if (wasm) variants.push([`infokernel, ${wasm}`, () => entropy(big, { cols: sCols, backend: wasm, out })]);
  const times = variants.map(() => [] as number[]);
  for (const [, run] of variants) run(); // warm up
  for (let i = 0; i < RUNS; i++) {
    // Round-robin, so machine noise hits every variant alike.
    variants.forEach(([, run], v) => {
      const t0 = performance.now();
      run();
      times[v].push(performance.now() - t0);
    });
  }
  console.log();
  console.log(`speed: entropy of ${sRows} x ${sCols} float32 (${(n / 1e6).toFixed(1)} M elements), median of ${RUNS} runs`);
  const base = median(times[0]);
  variants.forEach(([name], v) => {
    const ms = median(times[v]);
    line(`  ${name}`, `${(n / ms / 1e3).toFixed(0)} Melem/s`, `${ms.toFixed(1).padStart(7)} ms   ${(base / ms).toFixed(2)}x naive JS`);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
