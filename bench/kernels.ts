// The per-kernel tables the README's Performance section quotes (npm run bench -- --kernels):
// for every kernel, the plain JS loop a user would write, then the public API on the 'js',
// 'wasm-scalar' and 'wasm-simd' backends, on the same data in one tinybench run. Rates are
// million input elements per second from the MEDIAN latency.
//
//   npm run bench -- --kernels                 full shapes (about 2-3 minutes)
//   npm run bench -- --kernels --quick         small shapes, short budgets (or BENCH_QUICK=1)
//   npm run bench -- --kernels entropy         only kernels whose name contains "entropy"
//
// To add a kernel, append one entry to KERNELS.
import os from 'node:os';
import { Bench } from 'tinybench';
import {
  backendInfo, binaryEntropy, crossEntropy, entropy, jointEntropy, jsDivergence, klDivergence,
  mutualInformation, ready, softmaxCrossEntropy, softmaxEntropy, surprisal,
} from '../src/index.js';
import { type DType, type FloatArray, classTargets, logitRows, probabilityRows } from './data.js';
import { initThreads } from './features.js';

type Backend = 'js' | 'wasm-scalar' | 'wasm-simd';
const BACKENDS: readonly Backend[] = ['js', 'wasm-scalar', 'wasm-simd'];

/** One batch: p and q (rows normalised), logits and class targets, preallocated outputs. */
export interface Data {
  rows: number;
  cols: number;
  p: FloatArray;
  q: FloatArray;
  /** one value per row */
  outRows: Float64Array;
  /** one value per element (element-wise kernels); allocated on first use */
  readonly outElems: Float64Array;
  /** rows x cols logits (Gaussian, scale 3); generated on first use */
  readonly logits: FloatArray;
  /** one class index in [0, cols) per row; generated on first use */
  readonly targets: Int32Array;
}

/** A per-row/per-element array or a single number; used to check the variants agree. */
export type Result = Float64Array | number;

interface KernelEntry {
  name: string;
  /** the straightforward loop a user would write */
  naive: (d: Data) => Result;
  /** the library through its public API on one backend */
  run: (backend: Backend, d: Data) => Result;
  /** only run on these dtypes (default: all) */
  dtypes?: readonly DType[];
}

// ---- naive JS (f64 math and sums, Math.log, no tricks) ----

export function naiveEntropy(d: Data): Result {
  const { p, rows, cols, outRows: out } = d;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = r * cols, e = i + cols; i < e; i++) {
      const v = p[i];
      if (v > 0) s -= v * Math.log(v);
    }
    out[r] = s;
  }
  return out;
}

function naiveEntropyNormalized(d: Data): Result {
  const { p, rows, cols, outRows: out } = d;
  for (let r = 0; r < rows; r++) {
    const a = r * cols, e = a + cols;
    let total = 0;
    for (let i = a; i < e; i++) total += p[i];
    let s = 0;
    for (let i = a; i < e; i++) {
      const v = p[i] / total;
      if (v > 0) s -= v * Math.log(v);
    }
    out[r] = s;
  }
  return out;
}

function naiveCrossEntropy(d: Data): Result {
  const { p, q, rows, cols, outRows: out } = d;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = r * cols, e = i + cols; i < e; i++) {
      const v = p[i];
      if (v > 0) s -= v * Math.log(q[i]);
    }
    out[r] = s;
  }
  return out;
}

export function naiveKl(d: Data): Result {
  const { p, q, rows, cols, outRows: out } = d;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = r * cols, e = i + cols; i < e; i++) {
      const v = p[i];
      if (v > 0) s += v * Math.log(v / q[i]);
    }
    out[r] = s;
  }
  return out;
}

function naiveJs(d: Data): Result {
  const { p, q, rows, cols, outRows: out } = d;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = r * cols, e = i + cols; i < e; i++) {
      const a = p[i], b = q[i];
      const m = (a + b) / 2;
      if (a > 0) s += a * Math.log(a / m);
      if (b > 0) s += b * Math.log(b / m);
    }
    out[r] = s / 2;
  }
  return out;
}

function naiveSurprisal(d: Data): Result {
  const { p, outElems: out } = d;
  for (let i = 0; i < p.length; i++) out[i] = -Math.log(p[i]);
  return out;
}

function naiveBinaryEntropy(d: Data): Result {
  const { p, outElems: out } = d;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    let h = 0;
    if (v > 0) h -= v * Math.log(v);
    if (v < 1) h -= (1 - v) * Math.log(1 - v);
    out[i] = h;
  }
  return out;
}

/** I(X;Y) = sum x/T log(x T / (rowSum colSum)), the table p read as counts. */
function naiveMutualInformation(d: Data): Result {
  const { p, rows, cols } = d;
  const rowSums = new Float64Array(rows);
  const colSums = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = p[r * cols + c];
      rowSums[r] += v;
      colSums[c] += v;
    }
  }
  let total = 0;
  for (let r = 0; r < rows; r++) total += rowSums[r];
  let s = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = p[r * cols + c];
      if (v > 0) s += v * Math.log((v * total) / (rowSums[r] * colSums[c]));
    }
  }
  return s / total;
}

function naiveJointEntropy(d: Data): Result {
  const { p } = d;
  let total = 0;
  for (let i = 0; i < p.length; i++) total += p[i];
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] / total;
    if (v > 0) s -= v * Math.log(v);
  }
  return s;
}

/** Cross entropy of softmax(z) against a class index per row: log sum exp(z - m) + m - z[y]. */
export function naiveSoftmaxCrossEntropy(d: Data): Result {
  const { logits: z, targets, rows, cols, outRows: out } = d;
  for (let r = 0; r < rows; r++) {
    const a = r * cols, e = a + cols;
    let m = -Infinity;
    for (let i = a; i < e; i++) if (z[i] > m) m = z[i];
    let s = 0;
    for (let i = a; i < e; i++) s += Math.exp(z[i] - m);
    out[r] = Math.log(s) + m - z[a + targets[r]];
  }
  return out;
}

/** Entropy of softmax(z) per row: log s - sum e (z - m) / s with e = exp(z - m), s = sum e. */
export function naiveSoftmaxEntropy(d: Data): Result {
  const { logits: z, rows, cols, outRows: out } = d;
  for (let r = 0; r < rows; r++) {
    const b = r * cols, e = b + cols;
    let m = -Infinity;
    for (let i = b; i < e; i++) if (z[i] > m) m = z[i];
    let s = 0, a = 0;
    for (let i = b; i < e; i++) {
      const t = z[i] - m;
      const x = Math.exp(t);
      s += x;
      a += x * t;
    }
    out[r] = Math.log(s) - a / s;
  }
  return out;
}

// ---- the kernel list ----

const KERNELS: KernelEntry[] = [
  { name: 'entropy', naive: naiveEntropy, run: (backend, d) => entropy(d.p, { cols: d.cols, backend, out: d.outRows }) },
  {
    name: 'entropy {normalize}', naive: naiveEntropyNormalized, dtypes: ['float32'],
    run: (backend, d) => entropy(d.p, { cols: d.cols, backend, normalize: true, out: d.outRows }),
  },
  {
    name: 'crossEntropy', naive: naiveCrossEntropy, dtypes: ['float32'],
    run: (backend, d) => crossEntropy(d.p, d.q, { cols: d.cols, backend, out: d.outRows }),
  },
  {
    name: 'klDivergence', naive: naiveKl, dtypes: ['float32'],
    run: (backend, d) => klDivergence(d.p, d.q, { cols: d.cols, backend, out: d.outRows }),
  },
  {
    name: 'jsDivergence', naive: naiveJs, dtypes: ['float32'],
    run: (backend, d) => jsDivergence(d.p, d.q, { cols: d.cols, backend, out: d.outRows }),
  },
  {
    name: 'surprisal', naive: naiveSurprisal, dtypes: ['float32'],
    run: (backend, d) => surprisal(d.p, { backend, out: d.outElems }),
  },
  {
    name: 'binaryEntropy', naive: naiveBinaryEntropy, dtypes: ['float32'],
    run: (backend, d) => binaryEntropy(d.p, { backend, out: d.outElems }),
  },
  {
    name: 'mutualInformation', naive: naiveMutualInformation, dtypes: ['float32'],
    run: (backend, d) => mutualInformation(d.p, { cols: d.cols, backend }),
  },
  {
    name: 'jointEntropy', naive: naiveJointEntropy, dtypes: ['float32'],
    run: (backend, d) => jointEntropy(d.p, { cols: d.cols, backend }),
  },
  {
    name: 'softmaxCrossEntropy', naive: naiveSoftmaxCrossEntropy, dtypes: ['float32'],
    run: (backend, d) => softmaxCrossEntropy(d.logits, d.targets, { cols: d.cols, backend, reduction: 'none', out: d.outRows }),
  },
  {
    name: 'softmaxEntropy', naive: naiveSoftmaxEntropy, dtypes: ['float32'],
    run: (backend, d) => softmaxEntropy(d.logits, { cols: d.cols, backend, reduction: 'none', out: d.outRows }),
  },
];

// ---- configuration ----

let QUICK = false;
let FILTER: string[] = [];

interface Shape { rows: number; cols: number; dtype: DType }

const shapes = (): Shape[] => QUICK
  ? [{ rows: 1024, cols: 1024, dtype: 'float32' }, { rows: 65536, cols: 10, dtype: 'float32' }, { rows: 1024, cols: 1024, dtype: 'float64' }]
  : [{ rows: 16384, cols: 1024, dtype: 'float32' }, { rows: 1048576, cols: 10, dtype: 'float32' }, { rows: 16384, cols: 1024, dtype: 'float64' }];

/** tinybench, sequential: each task runs until BOTH the time budget and the iteration minimum are met. */
const benchOptions = () => QUICK
  ? { time: 60, iterations: 3, warmupTime: 20, warmupIterations: 1 }
  : { time: 350, iterations: 5, warmupTime: 60, warmupIterations: 2 };

// ---- helpers ----

function selected(k: KernelEntry, dtype: DType): boolean {
  if (k.dtypes && !k.dtypes.includes(dtype)) return false;
  return FILTER.length === 0 || FILTER.some((f) => k.name.toLowerCase().includes(f));
}

function makeData(shape: Shape): Data {
  const { rows, cols, dtype } = shape;
  let outElems: Float64Array | null = null;
  let logits: FloatArray | null = null;
  let targets: Int32Array | null = null;
  return {
    rows, cols,
    p: probabilityRows(rows, cols, dtype, 1),
    q: probabilityRows(rows, cols, dtype, 2),
    outRows: new Float64Array(rows),
    get outElems() { return (outElems ??= new Float64Array(rows * cols)); },
    get logits() { return (logits ??= logitRows(rows, cols, dtype, 11, 3)); },
    get targets() { return (targets ??= classTargets(rows, cols, 13)); },
  };
}

/** A strided copy of a result (at most 4096 values), kept for comparison after the buffer is reused. */
function sample(r: Result): number[] {
  if (typeof r === 'number') return [r];
  const step = Math.max(1, Math.floor(r.length / 4096));
  const s: number[] = [];
  for (let i = 0; i < r.length; i += step) s.push(r[i]);
  return s;
}

/** Largest relative difference (absolute below 1e-9). */
function maxRelDiff(a: number[], ref: number[]): number {
  let m = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(a[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-9);
    if (!(d <= m)) m = d; // NaN propagates
  }
  return m;
}

/** Backends this engine runs (wasm-simd needs SIMD support). */
function availableBackends(): Backend[] {
  return BACKENDS.filter((b) => {
    try {
      entropy(new Float32Array([0.5, 0.5]), { backend: b });
      return true;
    } catch {
      return false;
    }
  });
}

const fmtRate = (x: number | undefined) => (x === undefined ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

// ---- main ----

export async function runKernelTables(opts: { quick: boolean; filter: string[] }): Promise<void> {
  QUICK = opts.quick;
  FILTER = opts.filter.map((a) => a.toLowerCase());
  const SHAPES = shapes();
  const BENCH_OPTIONS = benchOptions();
  await ready();
  initThreads(1); // these tables are one thread (once the package has threads, its default is all cores)
  const backends = availableBackends();
  const t0 = performance.now();
  console.log(`# infokernel kernel tables${QUICK ? ' (quick)' : ''}`);
  console.log();
  console.log(`node ${process.version} | ${os.cpus()[0]?.model ?? 'unknown cpu'} (${os.cpus().length} cpus) | backendInfo: ${JSON.stringify(backendInfo())}`);
  console.log(`tinybench: time ${BENCH_OPTIONS.time} ms and >= ${BENCH_OPTIONS.iterations} iterations per task, warmup ${BENCH_OPTIONS.warmupTime} ms / ${BENCH_OPTIONS.warmupIterations} iterations. ` +
    'Cells: million input elements per second from the median latency (higher is better); all variants of a kernel run on the same data, back to back.');
  if (FILTER.length) console.log(`filter: ${FILTER.join(', ')}`);

  for (const shape of SHAPES) {
    const kernels = KERNELS.filter((k) => selected(k, shape.dtype));
    if (kernels.length === 0) continue;
    const elements = shape.rows * shape.cols;
    const data = makeData(shape);
    const rows: string[][] = [];
    const notes: string[] = [];
    for (const k of kernels) {
      process.stderr.write(`  ${shape.rows}x${shape.cols} ${shape.dtype} ${k.name} ...`);
      // One untimed call of each variant: checks they agree before timing them.
      const ref = sample(k.naive(data));
      for (const b of backends) {
        const diff = maxRelDiff(sample(k.run(b, data)), ref);
        if (!(diff < 1e-4)) notes.push(`${k.name} on ${b}: max relative difference from naive JS ${diff.toExponential(2)}`);
      }

      const bench = new Bench({ ...BENCH_OPTIONS, throws: true });
      bench.add('naive JS', () => { k.naive(data); });
      for (const b of backends) bench.add(b, () => { k.run(b, data); });
      await bench.run();

      const rate = (name: string): number | undefined => {
        const r = bench.getTask(name)?.result;
        if (!r || (r.state !== 'completed' && r.state !== 'aborted-with-statistics')) return undefined;
        return elements / (r.latency.p50 * 1e3); // Melem/s: elements / (median ms * 1000)
      };
      const naive = rate('naive JS');
      const simd = rate('wasm-simd');
      rows.push([
        k.name, fmtRate(naive), fmtRate(rate('js')), fmtRate(rate('wasm-scalar')), fmtRate(simd),
        naive && simd ? `${(simd / naive).toFixed(2)}x` : 'n/a',
      ]);
      process.stderr.write(' done\n');
    }
    console.log();
    console.log(`## ${shape.rows} x ${shape.cols} ${shape.dtype} (${(elements / 1e6).toFixed(1)} M elements; Melem/s from median latency)`);
    console.log();
    console.log(table(['kernel', 'naive JS', 'js backend', 'wasm-scalar', 'wasm-simd', 'simd / naive'], rows));
    for (const n of notes) console.log(`\nWARNING: ${n}`);
  }
  console.log();
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
