// npm run bench: infokernel against the naive JS loop and onnxruntime-web, in one process, on
// the same data. See bench/README.md for the flags and what each column means.
//
// For every workload every variant is called once untimed (its result is checked against an
// f64 reference written here, independent of the package), then all variants are timed in
// rounds, round-robin with the order rotated each round, so machine noise hits them alike.
// Figures are medians of the rounds, in million input elements per second.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-web';
import * as ik from '../src/index.js';
import { classTargets, logitRows, median, probabilityRows } from './data.js';
import {
  ALL_CORES, HAS_THREADS, HAS_ZERO_COPY, SIMULATED, asyncForm, call, initThreads, reportedThreads, zeroCopyBatch, type Batch,
} from './features.js';
import {
  type Data, naiveEntropy, naiveKl, naiveSoftmaxCrossEntropy, naiveSoftmaxEntropy, runKernelTables,
} from './kernels.js';
import { entropyGraph, klGraph, softmaxCrossEntropyGraph, softmaxEntropyGraph } from './onnx.js';
import { runRoute } from './route.js';
import { runSplit } from './split.js';
import { barChart } from './svg.js';

// ---- command line ----

const argv = process.argv.slice(2);
function flagValue(name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  argv.splice(i, 2);
  return v;
}
const has = (name: string) => {
  const i = argv.indexOf(name);
  if (i >= 0) argv.splice(i, 1);
  return i >= 0;
};
if (has('--help') || has('-h')) {
  console.log(fs.readFileSync(new URL('./README.md', import.meta.url), 'utf8'));
  process.exit(0);
}
const QUICK = has('--quick') || process.env.BENCH_QUICK === '1';
const JSON_FILE = flagValue('--json');
const SVG_FILE = has('--no-svg') ? undefined : (flagValue('--svg') ?? 'bench/results/bench.svg');
const KERNELS_ONLY = has('--kernels');
const ROUTE_ONLY = has('--route');
const SPLIT_ONLY = has('--split');
const WITH_KERNELS = has('--all');
const NO_ORT = has('--no-ort');
const ORT_SPIN = has('--ort-spin');
const ORT_CE = (flagValue('--ort-ce') ?? 'fused') as 'fused' | 'manual';
const THREADS = Number(flagValue('--threads') ?? ALL_CORES);
const ROUNDS = Number(flagValue('--rounds') ?? (QUICK ? 3 : 7));
const unknown = argv.filter((a) => a.startsWith('-'));
if (unknown.length) throw new Error(`unknown flag(s): ${unknown.join(' ')} (see bench/README.md)`);
const FILTER = argv.map((a) => a.toLowerCase());
if (ORT_CE !== 'fused' && ORT_CE !== 'manual') throw new Error('--ort-ce takes fused or manual');
if (!(Number.isInteger(THREADS) && THREADS >= 1)) throw new Error('--threads takes a positive integer');
if (!(Number.isInteger(ROUNDS) && ROUNDS >= 1)) throw new Error('--rounds takes a positive integer');
/** stop adding rounds past ROUNDS once a workload has used this much time */
const BUDGET_MS = QUICK ? 1500 : 8000;

// ---- the columns ----

interface Column { id: string; label: string; color: string }
const COLUMNS: Column[] = [
  { id: 'naive', label: 'naive JS', color: '#9e9e9e' },
  { id: 'js', label: 'js backend', color: '#f2b134' },
  { id: 'scalar', label: 'wasm-scalar', color: '#a6cee3' },
  { id: 'simd', label: 'wasm-simd', color: '#1f78b4' },
  { id: 'zerocopy', label: 'simd zero-copy', color: '#33a02c' },
  { id: 'cores', label: `simd ${THREADS} threads`, color: '#0b5d1e' },
  { id: 'coresAsync', label: `simd ${THREADS} threads async`, color: '#6a3d9a' },
  { id: 'ort1', label: 'ORT-web 1 thread', color: '#fb9a99' },
  { id: 'ortN', label: `ORT-web ${THREADS} threads`, color: '#e31a1c' },
];

// ---- workloads ----

type PerRow = Float64Array | Float32Array;
type Fn = 'entropy' | 'klDivergence' | 'softmaxCrossEntropy' | 'softmaxEntropy';

interface Workload {
  id: string;
  /** what is computed, for the table */
  what: string;
  fn: Fn;
  rows: number;
  cols: number;
}

const FULL = { wide: 16384, short: 1048576, llm: 64 };
const SMALL = { wide: 2048, short: 131072, llm: 8 };
const N = QUICK ? SMALL : FULL;
const WORKLOADS: Workload[] = [
  { id: 'W1', what: 'entropy', fn: 'entropy', rows: N.wide, cols: 1024 },
  { id: 'W2', what: 'KL divergence', fn: 'klDivergence', rows: N.wide, cols: 1024 },
  { id: 'W3', what: 'softmax CE', fn: 'softmaxCrossEntropy', rows: N.wide, cols: 1024 },
  { id: 'W4', what: 'softmax CE', fn: 'softmaxCrossEntropy', rows: N.short, cols: 10 },
  { id: 'W5', what: 'softmax CE', fn: 'softmaxCrossEntropy', rows: N.llm, cols: 131072 },
  { id: 'W5', what: 'softmaxEntropy', fn: 'softmaxEntropy', rows: N.llm, cols: 131072 },
];

/** The workload's inputs: f32 arrays (generated once per shape, shared across workloads). */
interface Inputs { floats: Float32Array[]; targets?: Int32Array }
const cache = new Map<string, Float32Array | Int32Array>();
function cached<T extends Float32Array | Int32Array>(key: string, make: () => T): T {
  let v = cache.get(key) as T | undefined;
  if (!v) cache.set(key, (v = make()));
  return v;
}
function inputs(w: Workload): Inputs {
  const { rows, cols } = w;
  const p = () => cached(`p${rows}x${cols}`, () => probabilityRows(rows, cols, 'float32', 1) as Float32Array);
  const q = () => cached(`q${rows}x${cols}`, () => probabilityRows(rows, cols, 'float32', 2) as Float32Array);
  const z = () => cached(`z${rows}x${cols}`, () => logitRows(rows, cols, 'float32', 11, 3) as Float32Array);
  const y = () => cached(`y${rows}x${cols}`, () => classTargets(rows, cols, 13));
  switch (w.fn) {
    case 'entropy': return { floats: [p()] };
    case 'klDivergence': return { floats: [p(), q()] };
    case 'softmaxCrossEntropy': return { floats: [z()], targets: y() };
    case 'softmaxEntropy': return { floats: [z()] };
  }
}

// ---- f64 reference (independent of the package): Neumaier-compensated sums, Math.log/exp ----

function reference(w: Workload, inp: Inputs): Float64Array {
  const { rows, cols } = w;
  const out = new Float64Array(rows);
  const [a, b] = inp.floats;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0, c = 0; // Neumaier sum of the terms
    const add = (t: number) => {
      const u = s + t;
      c += Math.abs(s) >= Math.abs(t) ? s - u + t : t - u + s;
      s = u;
    };
    if (w.fn === 'entropy') {
      for (let i = o; i < o + cols; i++) if (a[i] > 0) add(-a[i] * Math.log(a[i]));
      out[r] = s + c;
    } else if (w.fn === 'klDivergence') {
      for (let i = o; i < o + cols; i++) if (a[i] > 0) add(a[i] * (Math.log(a[i]) - Math.log(b[i])));
      out[r] = s + c;
    } else {
      let m = -Infinity;
      for (let i = o; i < o + cols; i++) if (a[i] > m) m = a[i];
      for (let i = o; i < o + cols; i++) add(Math.exp(a[i] - m));
      const sum = s + c;
      if (w.fn === 'softmaxCrossEntropy') {
        out[r] = Math.log(sum) + (m - a[o + inp.targets![r]]);
      } else {
        s = 0; c = 0;
        for (let i = o; i < o + cols; i++) add(Math.exp(a[i] - m) * (a[i] - m));
        out[r] = Math.log(sum) - (s + c) / sum;
      }
    }
  }
  return out;
}

/** Largest |got - ref| / max(|ref|, 0.1) (values below 0.1 compared absolutely, as bench/accuracy.mts). */
function maxRelErr(got: PerRow, ref: Float64Array): number {
  if (got.length !== ref.length) return NaN;
  let m = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(got[i] - ref[i]) / Math.max(Math.abs(ref[i]), 0.1);
    if (!(d <= m)) m = d; // NaN propagates
  }
  return m;
}

// ---- variants ----

interface Variant {
  col: Column;
  /** why it does not run ('—' feature absent, or a reason), or undefined when it runs */
  skip?: string;
  run: () => PerRow | Promise<PerRow>;
  done?: () => void | Promise<void>;
}

let ortStarted = false;
/** The main realm's ORT runs the 1-thread column: numThreads = 1 (see ort-worker.mjs for why). */
function startOrt(): void {
  if (ortStarted) return;
  ort.env.logLevel = 'error';
  ort.env.wasm.numThreads = 1; // process-wide per realm, read once when ORT's WASM starts
  ortStarted = true;
}

/** The N-thread column: ORT in a worker_thread of its own with numThreads = N. */
let ortWorker: Worker | undefined;
const pending: ((m: OrtReply) => void)[] = [];
interface OrtReply { ok: boolean; error?: string; data?: Float32Array | null }
function ortWorkerCall(msg: Record<string, unknown>): Promise<OrtReply> {
  if (!ortWorker) {
    ortWorker = new Worker(new URL('./ort-worker.mjs', import.meta.url), { workerData: { threads: THREADS } });
    ortWorker.on('message', (m: OrtReply) => pending.shift()?.(m));
    ortWorker.on('error', (e) => { for (const p of pending.splice(0)) p({ ok: false, error: String(e) }); });
  }
  return new Promise((resolve) => {
    pending.push(resolve);
    ortWorker!.postMessage(msg);
  });
}

const ORT_GRAPH: Record<Fn, (cols: number) => Uint8Array> = {
  entropy: entropyGraph,
  klDivergence: klGraph,
  softmaxCrossEntropy: (cols) => softmaxCrossEntropyGraph(cols, ORT_CE),
  softmaxEntropy: softmaxEntropyGraph,
};
const ORT_IN: Record<Fn, string[]> = { entropy: ['p'], klDivergence: ['p', 'q'], softmaxCrossEntropy: ['x'], softmaxEntropy: ['x'] };
const ORT_OUT: Record<Fn, string> = { entropy: 'h', klDivergence: 'd', softmaxCrossEntropy: 'loss', softmaxEntropy: 'h' };

async function ortVariant(col: Column, w: Workload, inp: Inputs, threads: number): Promise<Variant> {
  const na = (why?: string): Variant => {
    if (why) notes.add(why);
    return { col, skip: 'n/a', run: () => new Float64Array(0) };
  };
  if (NO_ORT) return na();
  if (threads > 1 && THREADS === 1) return na('one core: no multi-thread onnxruntime-web column');
  const model = ORT_GRAPH[w.fn](w.cols);
  const options = {
    executionProviders: ['wasm'],
    intraOpNumThreads: threads,
    graphOptimizationLevel: 'all' as const,
    // Without this ORT's pool threads spin for a while after each run and take a core from
    // whatever the round-robin times next. --ort-spin keeps ORT's default, to time ORT alone.
    extra: { session: { intra_op: { allow_spinning: ORT_SPIN ? '1' : '0' } } },
  };
  const dims = [w.rows, w.cols];
  const out = ORT_OUT[w.fn];

  if (threads > 1) {
    const inputs: Record<string, { type: string; data: Float32Array | Int32Array; dims: number[] }> = {};
    ORT_IN[w.fn].forEach((name, i) => { inputs[name] = { type: 'float32', data: inp.floats[i], dims }; });
    if (inp.targets) inputs.y = { type: 'int32', data: inp.targets, dims: [w.rows, 1] };
    const r = await ortWorkerCall({ type: 'create', model, options, inputs }); // the inputs are copied into the worker once, untimed
    if (!r.ok) return na(`onnxruntime-web ${threads} threads (worker_thread): ${r.error}`);
    let first = true;
    return {
      col,
      run: async () => {
        const m = await ortWorkerCall({ type: 'run', output: out, wantData: first });
        if (!m.ok) throw new Error(`onnxruntime-web ${threads} threads: ${m.error}`);
        first = false;
        return m.data ?? new Float32Array(0);
      },
      done: async () => { await ortWorkerCall({ type: 'release' }); },
    };
  }

  startOrt();
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, options);
  } catch (e) {
    return na(`onnxruntime-web 1 thread: ${(e as Error).message}`);
  }
  return {
    col,
    run: async () => {
      const feeds: Record<string, ort.Tensor> = {};
      ORT_IN[w.fn].forEach((name, i) => { feeds[name] = new ort.Tensor('float32', inp.floats[i], dims); });
      if (inp.targets) feeds.y = new ort.Tensor('int32', inp.targets, [w.rows, 1]);
      const r = await session.run(feeds);
      return r[out].data as Float32Array;
    },
    done: () => session.release(),
  };
}

function packageArgs(w: Workload, floats: unknown[], targets: Int32Array | undefined): unknown[] {
  return w.fn === 'softmaxCrossEntropy' ? [floats[0], targets] : floats;
}
function packageOpts(w: Workload, backend: string, out: Float64Array): Record<string, unknown> {
  const o: Record<string, unknown> = { cols: w.cols, backend, out };
  if (w.fn === 'softmaxCrossEntropy' || w.fn === 'softmaxEntropy') o.reduction = 'none';
  return o;
}

async function variants(w: Workload, inp: Inputs): Promise<Variant[]> {
  const out = new Float64Array(w.rows);
  const col = (id: string) => COLUMNS.find((c) => c.id === id)!;
  const data = { rows: w.rows, cols: w.cols, p: inp.floats[0], q: inp.floats[1], logits: inp.floats[0], targets: inp.targets, outRows: out } as unknown as Data;
  const naive = { entropy: naiveEntropy, klDivergence: naiveKl, softmaxCrossEntropy: naiveSoftmaxCrossEntropy, softmaxEntropy: naiveSoftmaxEntropy }[w.fn];
  const onBackend = (id: string, backend: string): Variant => ({
    col: col(id),
    run: () => call(w.fn, 1, packageArgs(w, inp.floats, inp.targets), packageOpts(w, backend, out)) as PerRow,
  });
  const vs: Variant[] = [
    { col: col('naive'), run: () => naive(data) as PerRow },
    onBackend('js', 'js'),
    onBackend('scalar', 'wasm-scalar'),
    onBackend('simd', 'wasm-simd'),
  ];

  // zero-copy and all cores (features.ts): a batch per float input, filled once
  let batches: Batch[] | undefined;
  if (HAS_ZERO_COPY) batches = inp.floats.map((f) => zeroCopyBatch(f, w.rows, w.cols));
  const freeBatches = () => { batches?.forEach((b) => b.free()); batches = undefined; };
  vs.push(HAS_ZERO_COPY
    ? { col: col('zerocopy'), run: () => call(w.fn, 1, packageArgs(w, batches!.map((b) => b.arg()), inp.targets), packageOpts(w, 'wasm-simd', out)) as PerRow }
    : { col: col('zerocopy'), skip: '—', run: () => out });
  if (HAS_THREADS) {
    const floats = () => (batches ? batches.map((b) => b.arg()) : inp.floats);
    // the synchronous call (Node splits it; the caller waits), then the Async form (a coordinator worker runs it)
    vs.push({ col: col('cores'), run: () => call(w.fn, THREADS, packageArgs(w, floats(), inp.targets), packageOpts(w, 'wasm-simd', out)) as PerRow });
    vs.push({ col: col('coresAsync'), run: () => call(w.fn, THREADS, packageArgs(w, floats(), inp.targets), packageOpts(w, 'wasm-simd', out), true) as Promise<PerRow> });
  } else {
    vs.push({ col: col('cores'), skip: '—', run: () => out });
    vs.push({ col: col('coresAsync'), skip: '—', run: () => out });
  }
  vs[vs.length - 1].done = freeBatches;

  vs.push(await ortVariant(col('ort1'), w, inp, 1));
  vs.push(await ortVariant(col('ortN'), w, inp, THREADS));
  return vs;
}

// ---- timing ----

interface Figure {
  status: 'ok' | 'absent' | 'n/a';
  melemPerSec?: number;
  medianMs?: number;
  timesMs?: number[];
  ratioToNaive?: number;
  maxRelErr?: number;
  /** process CPU time / wall time during the timed calls (about the number of busy threads) */
  cpuPerWall?: number;
}
interface Row { workload: string; what: string; fn: Fn; rows: number; cols: number; elements: number; figures: Record<string, Figure> }


const notes = new Set<string>();

// A full collection before each timed call (untimed): one variant's garbage (the naive loops',
// ORT's outputs) is otherwise collected by V8's background threads during the next variant's
// call, and on 2 cores those take the core a helper thread needs. `npm run bench` also runs
// node with --single-threaded-gc (GC work stays on the thread that allocates; V8 cannot switch
// that at run time). --no-gc turns the collections off.
if (typeof (globalThis as { gc?: unknown }).gc !== 'function') v8.setFlagsFromString('--expose-gc');
const collect: () => void = process.argv.includes('--no-gc') ? () => undefined : vm.runInNewContext('gc');

async function runWorkload(w: Workload): Promise<Row> {
  const elements = w.rows * w.cols;
  const inp = inputs(w);
  const ref = reference(w, inp);
  const vs = await variants(w, inp);
  const live = vs.filter((v) => !v.skip);
  const figures: Record<string, Figure> = {};
  for (const v of vs) if (v.skip) figures[v.col.id] = { status: v.skip === '—' ? 'absent' : 'n/a' };

  // one untimed call each: warm-up and the accuracy check
  for (const v of live) {
    const got = await v.run();
    figures[v.col.id] = { status: 'ok', maxRelErr: maxRelErr(got, ref) };
  }
  const times = new Map<string, number[]>(live.map((v) => [v.col.id, []]));
  const cpu = new Map<string, number[]>(live.map((v) => [v.col.id, []]));
  const t0 = performance.now();
  for (let r = 0; ; r++) {
    for (let k = 0; k < live.length; k++) {
      const v = live[(k + r) % live.length];
      collect();
      const c0 = process.cpuUsage();
      const s = performance.now();
      const res = v.run();
      if (res instanceof Promise) await res;
      const dt = performance.now() - s;
      const c = process.cpuUsage(c0);
      times.get(v.col.id)!.push(dt);
      cpu.get(v.col.id)!.push((c.user + c.system) / 1e3 / dt);
    }
    const elapsed = performance.now() - t0;
    if (r + 1 >= ROUNDS && (elapsed > BUDGET_MS || r + 1 >= 3 * ROUNDS)) break;
  }
  for (const v of vs) await v.done?.();

  for (const v of live) {
    const ms = median(times.get(v.col.id)!);
    Object.assign(figures[v.col.id], { medianMs: ms, timesMs: times.get(v.col.id)!.map((t) => +t.toFixed(3)), melemPerSec: elements / ms / 1e3, cpuPerWall: median(cpu.get(v.col.id)!) });
  }
  const base = figures.naive.melemPerSec;
  for (const f of Object.values(figures)) if (f.melemPerSec && base) f.ratioToNaive = f.melemPerSec / base;
  return { workload: w.id, what: w.what, fn: w.fn, rows: w.rows, cols: w.cols, elements, figures };
}

// ---- printing ----

const fmtRate = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const fmtErr = (x: number | undefined) => (x === undefined ? '' : Number.isNaN(x) ? 'NaN' : x === 0 ? '0' : x.toExponential(1));
const shape = (r: { rows: number; cols: number }) => `${r.rows.toLocaleString('en-US')} x ${r.cols.toLocaleString('en-US')}`;

function cell(f: Figure): string {
  if (f.status === 'absent') return '—';
  if (f.status === 'n/a' || f.melemPerSec === undefined) return 'n/a';
  return f.ratioToNaive !== undefined ? `${fmtRate(f.melemPerSec)} (${f.ratioToNaive.toFixed(1)}x)` : fmtRate(f.melemPerSec);
}

function table(header: string[], rows: string[][], leftCols = 1): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((s, c) => (c < leftCols ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c < leftCols ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const OURS = ['js', 'scalar', 'simd', 'zerocopy', 'cores', 'coresAsync'];
const PEER = ['ort1', 'ortN'];
const worst = (r: Row, ids: string[]) => {
  const es = ids.map((id) => r.figures[id]?.maxRelErr).filter((e): e is number => e !== undefined);
  return es.length ? es.reduce((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b))) : undefined;
};

function speedTable(rows: Row[]): string {
  return table(
    ['workload', 'shape (f32)', ...COLUMNS.map((c) => c.label), 'max rel err, ours', 'max rel err, ORT'],
    rows.map((r) => [`${r.workload} ${r.what}`, shape(r), ...COLUMNS.map((c) => cell(r.figures[c.id])), fmtErr(worst(r, OURS)) || 'n/a', fmtErr(worst(r, PEER)) || 'n/a']),
    2,
  );
}

function errorTable(rows: Row[]): string {
  return table(
    ['workload', ...COLUMNS.map((c) => c.label)],
    rows.map((r) => [`${r.workload} ${r.what}`, ...COLUMNS.map((c) => {
      const f = r.figures[c.id];
      return f.status === 'absent' ? '—' : f.status === 'n/a' ? 'n/a' : fmtErr(f.maxRelErr);
    })]),
  );
}

function cpuTable(rows: Row[]): string {
  const ids = ['simd', 'cores', 'coresAsync', 'ort1', 'ortN'];
  return table(
    ['workload', ...ids.map((id) => COLUMNS.find((c) => c.id === id)!.label)],
    rows.map((r) => [`${r.workload} ${r.what}`, ...ids.map((id) => {
      const f = r.figures[id];
      return f.status === 'absent' ? '—' : f.cpuPerWall === undefined ? 'n/a' : f.cpuPerWall.toFixed(2);
    })]),
  );
}

/** The "done when" figures of issue #11, from this run (— where a column did not run). */
function targetsTable(rows: Row[]): string {
  const rate = (r: Row | undefined, id: string) => r?.figures[id]?.melemPerSec;
  const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined ? a / b : undefined);
  const out: string[][] = [];
  const add = (what: string, goal: number, got: number | undefined) =>
    out.push([what, `>= ${goal}x`, got === undefined ? '—' : `${got.toFixed(2)}x`, got === undefined ? '—' : got >= goal ? 'yes' : 'no']);
  for (const r of rows) {
    const goal = r.workload === 'W4' ? 10 : 8;
    add(`${r.workload} ${r.what}: zero-copy / naive JS`, goal, ratio(rate(r, 'zerocopy'), rate(r, 'naive')));
    if (r.workload === 'W4') add('W4 softmax CE: zero-copy / ORT-web 1 thread', 4, ratio(rate(r, 'zerocopy'), rate(r, 'ort1')));
    add(`${r.workload} ${r.what}: copying / zero-copy (within 25%)`, 0.8, ratio(rate(r, 'simd'), rate(r, 'zerocopy')));
    if (r.workload === 'W4' || r.workload === 'W1') {
      const one = rate(r, HAS_ZERO_COPY ? 'zerocopy' : 'simd'), goal = r.workload === 'W4' ? 1.6 : 1.3;
      add(`${r.workload} ${r.what}: ${THREADS} threads / 1 thread (zero-copy)`, goal, ratio(rate(r, 'cores'), one));
      add(`${r.workload} ${r.what}: ${THREADS} threads async / 1 thread (zero-copy)`, goal, ratio(rate(r, 'coresAsync'), one));
    }
  }
  return table(['target (issue #11)', 'goal', 'this run', 'met'], out);
}

// ---- main ----

async function main(): Promise<void> {
  if (KERNELS_ONLY) {
    await runKernelTables({ quick: QUICK, filter: FILTER });
    return;
  }
  if (ROUTE_ONLY) {
    await runRoute(FILTER);
    return;
  }
  if (SPLIT_ONLY) {
    await runSplit(FILTER);
    return;
  }
  await ik.ready();
  if (HAS_THREADS) initThreads(THREADS);
  const t0 = performance.now();
  const cpus = os.cpus();
  const info = ik.backendInfo();
  const ortVersion = NO_ORT ? 'not run' : (ort.env.versions as Record<string, string>).web ?? 'unknown';
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    threads: THREADS,
    quick: QUICK,
    rounds: ROUNDS,
    backendInfo: info,
    reportedThreads: reportedThreads(),
    features: {
      simulated: SIMULATED,
      zeroCopy: HAS_ZERO_COPY,
      threads: HAS_THREADS,
      asyncForms: HAS_THREADS ? [...new Set(WORKLOADS.map((w) => asyncForm(w.fn)))] : [],
    },
    onnxruntimeWeb: { version: ortVersion, executionProvider: 'wasm', oneThread: 'main realm, env.wasm.numThreads = 1', nThreads: `worker_thread, env.wasm.numThreads = ${THREADS}, intraOpNumThreads = ${THREADS}`, intraOpSpinning: ORT_SPIN, softmaxCrossEntropyGraph: ORT_CE === 'fused' ? 'LogSoftmax + GatherElements' : 'ReduceMax/Sub/Exp/ReduceSum/Log + GatherElements' },
    columns: COLUMNS.map(({ id, label }) => ({ id, label })),
    metric: 'million input elements per second from the median wall time of the timed rounds; ratioToNaive against the naive JS loop of the same run; maxRelErr = max |got - ref| / max(|ref|, 0.1) over every row against an f64 reference',
  };

  console.log(`# infokernel benchmark${QUICK ? ' (quick: small shapes)' : ''}`);
  console.log();
  console.log(`node ${process.version} | ${meta.cpu} (${meta.cores} cpus) | backendInfo ${JSON.stringify(info)} | onnxruntime-web ${ortVersion} (wasm EP)`);
  console.log(`zero-copy batches: ${HAS_ZERO_COPY ? 'yes' : 'not in this build (—)'} | threads: ${HAS_THREADS ? `yes, ${THREADS}` : 'not in this build (—)'} | ` +
    `>= ${ROUNDS} round-robin rounds per workload, median`);
  if (FILTER.length) console.log(`filter: ${FILTER.join(', ')}`);
  if (SIMULATED) console.log('**BENCH_SIMULATE_FEATURES=1: zero-copy and threads are SIMULATED (plumbing check); their figures mean nothing.**');

  const rows: Row[] = [];
  for (const w of WORKLOADS) {
    if (FILTER.length && !FILTER.some((f) => `${w.id} ${w.what} ${w.fn}`.toLowerCase().includes(f))) continue;
    process.stderr.write(`  ${w.id} ${w.what} ${shape(w)} ...`);
    const s = performance.now();
    rows.push(await runWorkload(w));
    process.stderr.write(` ${((performance.now() - s) / 1000).toFixed(1)} s\n`);
  }

  console.log();
  console.log('## Speed: Melem/s, median (x naive JS in the same run); max relative error against an f64 reference');
  console.log();
  console.log(speedTable(rows));
  console.log();
  console.log('## Max relative error per column (|got - ref| / max(|ref|, 0.1), every row)');
  console.log();
  console.log(errorTable(rows));
  console.log();
  console.log('## CPU time / wall time during the timed calls (about how many cores were busy)');
  console.log();
  console.log(cpuTable(rows));
  console.log();
  console.log('## Targets of issue #11 in this run (quote from a quiet machine)');
  console.log();
  console.log(targetsTable(rows));
  console.log();
  console.log(`Columns: naive JS = the loop a user would write; js / wasm-scalar / wasm-simd = infokernel's copying API on that backend, one thread; ` +
    `simd zero-copy = inputs in a batch from allocBatch; simd ${THREADS} threads = threads option${HAS_ZERO_COPY ? ' on the zero-copy batch' : ''}, the synchronous call (Node splits it; the caller waits) and the Async form (run by a coordinator worker; labels and out copied to shared memory); ` +
    `ORT-web = onnxruntime-web ${ortVersion}, WASM EP, graph built in the bench (softmax CE: ${meta.onnxruntimeWeb.softmaxCrossEntropyGraph}), inputs copied in by ORT on every run. — = feature not in this build.`);
  for (const n of notes) console.log(`NOTE: ${n}`);

  if (JSON_FILE) {
    fs.mkdirSync(path.dirname(JSON_FILE), { recursive: true });
    fs.writeFileSync(JSON_FILE, JSON.stringify({ meta, notes: [...notes], results: rows }, null, 2) + '\n');
    console.log(`\nwrote ${JSON_FILE}`);
  }
  if (SVG_FILE && rows.length) {
    fs.mkdirSync(path.dirname(SVG_FILE), { recursive: true });
    fs.writeFileSync(SVG_FILE, barChart({
      title: `infokernel vs naive JS and onnxruntime-web${QUICK ? ' (quick shapes)' : ''}`,
      subtitle: `f32, million elements/s (median), higher is better · node ${process.version}, ${meta.cpu}, ${meta.cores} cpus · onnxruntime-web ${ortVersion} · ${meta.date.slice(0, 10)}`,
      groups: rows.map((r) => `${r.workload} ${r.what}`),
      groupNotes: rows.map((r) => shape(r)),
      series: COLUMNS.map((c) => {
        const values = rows.map((r) => r.figures[c.id]?.melemPerSec);
        return { label: values.every((v) => v === undefined) ? `${c.label} (not measured)` : c.label, color: c.color, values };
      }),
      baseline: 0,
      yLabel: 'million elements / s (log scale)',
    }));
    console.log(`wrote ${SVG_FILE}`);
  }
  if (WITH_KERNELS) {
    console.log();
    await runKernelTables({ quick: QUICK, filter: [] });
  }
  console.log();
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0), // onnxruntime-web's worker threads would keep the process alive
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
