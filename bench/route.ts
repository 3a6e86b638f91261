// Where the default backend should send narrow rows (src/backend/route.ts): every kernel
// through the public API on 'js', 'wasm-scalar' and 'wasm-simd', at each width, on the same
// data, the backends interleaved rep by rep so machine drift hits all alike. Prints the
// speed of each WASM build relative to JS (> 1: WASM faster) and the widest cols at which
// JS wins, per kernel and dtype; writes bench/results/route.json.
//
//   npm run bench -- --route            (about 10 minutes on a quiet machine)
//   npm run bench -- --route logSumExp  only calls whose name contains a word
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, binaryEntropy, crossEntropy, distillationLoss, entropy, jsDivergence,
  klDivergence, logSoftmax, logSumExp, mutualInformation, ready, softmax, softmaxCrossEntropy, softmaxEntropy, surprisal,
} from '../src/index.js';
import { type DType, type FloatArray, classTargets, logitRows, median, probabilityRows } from './data.js';

type Backend = 'js' | 'wasm-scalar' | 'wasm-simd';
const BACKENDS: readonly Backend[] = ['js', 'wasm-scalar', 'wasm-simd'];
const WIDTHS = [1, 2, 3, 4, 6, 8, 12, 16, 32];
const ELEMENTS = 1 << 21;
const REPS = 9;

interface Data { p: FloatArray; q: FloatArray; logp: FloatArray; z: FloatArray; y: Int32Array; cols: number }

/** kernel (as named in route.ts) -> the public call that runs it; null: not at this shape. */
const CALLS: [string, string, (d: Data, backend: Backend) => unknown][] = [
  ['entropy', 'entropy', (d, backend) => entropy(d.p, { cols: d.cols, backend })],
  ['entropyNormalized', 'entropy {normalize}', (d, backend) => entropy(d.p, { cols: d.cols, normalize: true, backend })],
  ['crossEntropy', 'crossEntropy', (d, backend) => crossEntropy(d.p, d.q, { cols: d.cols, backend })],
  ['klDivergence', 'klDivergence', (d, backend) => klDivergence(d.p, d.q, { cols: d.cols, backend })],
  ['klDivergenceLogTarget', 'klDivergence {logTarget}', (d, backend) => klDivergence(d.logp, d.q, { cols: d.cols, logTarget: true, backend })],
  ['jsDivergence', 'jsDivergence', (d, backend) => jsDivergence(d.p, d.q, { cols: d.cols, backend })],
  ['softmaxStats', 'logSumExp', (d, backend) => logSumExp(d.z, { cols: d.cols, backend })],
  ['softmaxStats', 'softmaxEntropy', (d, backend) => softmaxEntropy(d.z, { cols: d.cols, backend })],
  ['classCrossEntropy', 'softmaxCrossEntropy labels', (d, backend) => softmaxCrossEntropy(d.z, d.y, { cols: d.cols, backend })],
  ['softmaxTargets', 'softmaxCrossEntropy probabilities', (d, backend) => softmaxCrossEntropy(d.z, d.q, { cols: d.cols, backend })],
  ['softmax', 'softmax', (d, backend) => softmax(d.z, { cols: d.cols, backend })],
  ['softmax', 'logSoftmax', (d, backend) => logSoftmax(d.z, { cols: d.cols, backend })],
  ['distill', 'distillationLoss', (d, backend) => distillationLoss(d.z, d.logp, { cols: d.cols, temperature: 2, backend })],
  ['marginals', 'mutualInformation', (d, backend) => mutualInformation(d.p, { cols: d.cols, backend })],
  ['surprisal', 'surprisal', (d, backend) => surprisal(d.p, { backend })],
  ['binaryEntropy', 'binaryEntropy', (d, backend) => binaryEntropy(d.q, { backend })],
  ['bce', 'binaryCrossEntropy', (d, backend) => binaryCrossEntropy(d.q, d.p, { cols: d.cols, backend })],
  ['bceLogits', 'binaryCrossEntropyWithLogits', (d, backend) => binaryCrossEntropyWithLogits(d.z, d.p, { cols: d.cols, backend })],
];
const ELEMENTWISE = new Set(['surprisal', 'binaryEntropy']);

function makeData(cols: number, dtype: DType): Data {
  const rows = ELEMENTS / cols | 0;
  const p = probabilityRows(rows, cols, dtype, 1), q = probabilityRows(rows, cols, dtype, 2);
  const logp = p.map(Math.log) as FloatArray;
  return { p, q, logp, z: logitRows(rows, cols, dtype), y: classTargets(rows, cols), cols };
}

/** Median ms per backend, the backends taking turns within each rep. */
function time(d: Data, call: (d: Data, b: Backend) => unknown): Record<Backend, number> {
  const t: Record<Backend, number[]> = { js: [], 'wasm-scalar': [], 'wasm-simd': [] };
  for (const b of BACKENDS) call(d, b); // warm up
  for (let rep = 0; rep < REPS; rep++) {
    for (const b of BACKENDS) {
      const t0 = performance.now();
      call(d, b);
      t[b].push(performance.now() - t0);
    }
  }
  return { js: median(t.js), 'wasm-scalar': median(t['wasm-scalar']), 'wasm-simd': median(t['wasm-simd']) };
}

export async function runRoute(filter: string[] = []): Promise<void> {
  await ready({ required: true });
  const results: { kernel: string; call: string; dtype: DType; cols: number; ms: Record<Backend, number> }[] = [];
  for (const dtype of ['float32', 'float64'] as DType[]) {
    console.log(`\n### ${dtype}: WASM speed / JS speed (median of ${REPS}, ${ELEMENTS} elements); JS wins where < 1\n`);
    console.log(`| call | build | ${WIDTHS.map((c) => `cols ${c}`).join(' | ')} |`);
    console.log(`|---|---|${WIDTHS.map(() => '---:').join('|')}|`);
    const data = new Map(WIDTHS.map((c) => [c, makeData(c, dtype)]));
    for (const [kernel, name, call] of CALLS) {
      if (filter.length && !filter.some((w) => name.toLowerCase().includes(w))) continue;
      const widths = ELEMENTWISE.has(kernel) ? [1] : WIDTHS;
      const row = widths.map((cols) => {
        const ms = time(data.get(cols)!, call);
        results.push({ kernel, call: name, dtype, cols, ms });
        return ms;
      });
      for (const build of ['wasm-simd', 'wasm-scalar'] as const) {
        console.log(`| ${name} | ${build} | ${row.map((ms) => (ms.js / ms[build]).toFixed(2)).join(' | ')} |`);
      }
    }
  }
  // per build, dtype and kernel: the widest cols at which a call of the kernel ran clearly
  // (> 5%, above this machine's noise) faster on JS; the route table in src/backend/route.ts
  const routes: Record<string, Record<string, Record<string, number>>> = {};
  for (const r of results) {
    for (const build of ['wasm-simd', 'wasm-scalar'] as const) {
      const t = ((routes[build] ??= {})[r.dtype === 'float32' ? 'f32' : 'f64'] ??= {});
      if (r.ms.js < 0.95 * r.ms[build]) t[r.kernel] = Math.max(t[r.kernel] ?? 0, r.cols);
    }
  }
  console.log('\nJS clearly faster up to cols (route tables):');
  for (const [build, t] of Object.entries(routes)) console.log(`  ${build}: ${JSON.stringify(t)}`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/route.json', import.meta.url), JSON.stringify({ elements: ELEMENTS, reps: REPS, routes, results }, null, 1));
}
