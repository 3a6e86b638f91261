// Where splitting a call across threads starts to pay (MIN_SPLIT_VALUES in
// src/threads/threaded.ts): a few kernels at sizes from 2^12 to 2^21 values, each timed on
// one thread and on all threads with the threshold lifted (so small calls split too), the
// two taking turns sample by sample. Prints the speed-up (one thread's median time / all
// threads') per size and the smallest size from which every kernel gains at least 10%;
// writes bench/results/split.md.
//
//   npm run bench -- --split              (about a minute on a quiet machine; needs 2+ cores)
//   npm run bench -- --split entropy      only kernels whose name contains a word
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as ik from '../src/index.js';
import { MIN_SPLIT_VALUES, setMinSplitValues } from '../src/threads/threaded.js';
import { classTargets, logitRows, median, probabilityRows } from './data.js';

const SIZES = Array.from({ length: 10 }, (_, i) => 1 << (12 + i));
const SAMPLES = 21;
/** Calls per sample: enough for ~2 ms, so timer resolution and the loop do not count. */
const callsFor = (values: number) => Math.max(1, Math.round((1 << 21) / values / 4));

type Call = (threads: number) => unknown;
interface Kernel { name: string; cols: number; make(rows: number): Call }

function batch(src: Float32Array, rows: number, cols: number): Float32Array {
  const b = ik.allocBatch(Float32Array, rows, cols);
  b.view.set(src);
  return b.view;
}

const KERNELS: Kernel[] = [
  ...[1024, 10].map((cols): Kernel => ({
    name: `entropy x${cols}`, cols,
    make: (rows) => {
      const p = batch(probabilityRows(rows, cols, 'float32', 1) as Float32Array, rows, cols), out = new Float64Array(rows);
      return (threads) => ik.entropy(p, { cols, out, threads });
    },
  })),
  {
    name: 'klDivergence x1024', cols: 1024,
    make: (rows) => {
      const p = batch(probabilityRows(rows, 1024, 'float32', 1) as Float32Array, rows, 1024);
      const q = batch(probabilityRows(rows, 1024, 'float32', 2) as Float32Array, rows, 1024), out = new Float64Array(rows);
      return (threads) => ik.klDivergence(p, q, { cols: 1024, out, threads });
    },
  },
  ...[10, 1024].map((cols): Kernel => ({
    name: `softmaxCrossEntropy x${cols}`, cols,
    make: (rows) => {
      const z = batch(logitRows(rows, cols, 'float32') as Float32Array, rows, cols), y = classTargets(rows, cols);
      const out = new Float64Array(rows);
      return (threads) => ik.softmaxCrossEntropy(z, y, { cols, reduction: 'none', out, threads });
    },
  })),
];

/** Median ms per call on one thread and on `threads`, alternating. */
function time(call: Call, values: number, threads: number): [number, number] {
  const k = callsFor(values);
  const one: number[] = [], all: number[] = [];
  for (let i = 0; i < 3; i++) { call(1); call(threads); }
  for (let s = 0; s < SAMPLES; s++) {
    for (const [n, into] of (s & 1 ? [[threads, all], [1, one]] : [[1, one], [threads, all]]) as [number, number[]][]) {
      const t0 = performance.now();
      for (let c = 0; c < k; c++) call(n);
      into.push((performance.now() - t0) / k);
    }
  }
  return [median(one), median(all)];
}

export async function runSplit(filter: string[]): Promise<void> {
  await ik.ready();
  const threads = os.availableParallelism();
  await ik.setThreads(threads);
  if (ik.backendInfo().threads < 2) {
    console.log(`threads cannot run here (backendInfo().threads = ${ik.backendInfo().threads}): nothing to measure`);
    return;
  }
  const kernels = KERNELS.filter((k) => filter.length === 0 || filter.some((w) => k.name.toLowerCase().includes(w)));
  const was = setMinSplitValues(0);
  const gains = new Map<string, number[]>();
  try {
    for (const k of kernels) {
      const g: number[] = [];
      for (const values of SIZES) {
        const rows = Math.max(1, Math.round(values / k.cols));
        const [one, all] = time(k.make(rows), rows * k.cols, threads);
        g.push(one / all);
      }
      gains.set(k.name, g);
      console.log(`  ${k.name}: ${g.map((x) => x.toFixed(2)).join(' ')}`);
    }
  } finally {
    setMinSplitValues(was);
  }
  const fmt = (v: number) => `2^${Math.log2(v)}`;
  /** Per kernel, the smallest size from which every larger one gains >= 10%; then the largest of them. */
  const from = new Map([...gains].map(([name, g]) => [name, SIZES.find((_, i) => g.slice(i).every((x) => x >= 1.1))]));
  const starts = [...from.values()];
  const pays = starts.length === 0 || starts.includes(undefined) ? undefined : Math.max(...(starts as number[]));
  const worst = Math.min(...[...gains.values()].flat());
  const lines = [
    `# Splitting across threads: speed-up of ${threads} threads over one, by call size`,
    '',
    `${new Date().toISOString()}, Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown'} x ${os.cpus().length}; ` +
      `inputs in allocBatch batches (no staging), medians of ${SAMPLES} samples, one thread and ${threads} taking turns. ` +
      `\`npm run bench -- --split\` (bench/split.ts).`,
    '',
    `| kernel | ${SIZES.map(fmt).join(' | ')} |`,
    `|---|${SIZES.map(() => '---:').join('|')}|`,
    ...[...gains].map(([name, g]) => `| ${name} | ${g.map((x) => `${x.toFixed(2)}x`).join(' | ')} |`),
    '',
    `Gains >= 10% from: ${[...from].map(([name, v]) => `${name} ${v === undefined ? 'none' : fmt(v)}`).join(', ')}. ` +
      `A call splits only where it has two blocks or more (the adapter's blocks hold at most 1 MiB of input: 2^18 f32 values), ` +
      `so smaller calls run on one thread whatever the threshold. Worst ratio in this run: ${worst.toFixed(2)}x.`,
    '',
    pays === undefined
      ? `No size gains 10% on every kernel here; MIN_SPLIT_VALUES is ${fmt(MIN_SPLIT_VALUES)}.`
      : `Every kernel gains >= 10% from ${fmt(pays)} values (${pays.toLocaleString('en-US')}) on; MIN_SPLIT_VALUES is ${fmt(MIN_SPLIT_VALUES)}.`,
  ];
  console.log(`\n${lines.join('\n')}`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/split.md', `${lines.join('\n')}\n`);
  console.log('\nwrote bench/results/split.md');
}
