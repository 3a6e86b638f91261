// Runs one function on each backend over a seeded batch and reports progress and timings.
import * as ik from 'infokernel';

function batch(rows, cols, seed, Arr, logits) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const x = new Arr(rows * cols);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += x[r * cols + c] = logits ? 8 * next() - 4 : next();
    if (!logits) for (let c = 0; c < cols; c++) x[r * cols + c] /= sum;
  }
  return x;
}

const ready = ik.ready();

self.onmessage = async ({ data: { fn, rows, cols, f32 } }) => {
  await ready;
  const Arr = f32 ? Float32Array : Float64Array;
  const logits = fn.startsWith('softmax');
  const x = batch(rows, cols, 1, Arr, logits);
  const q = batch(rows, cols, 2, Arr, false);
  const labels = new Int32Array(rows).map((_, i) => (i * 7) % cols);
  const out = new Float64Array(rows);
  const call = (backend) => {
    switch (fn) {
      case 'entropy': return ik.entropy(x, { cols, backend, out });
      case 'crossEntropy': return ik.crossEntropy(x, q, { cols, backend, out });
      case 'klDivergence': return ik.klDivergence(x, q, { cols, backend, out });
      case 'jsDivergence': return ik.jsDivergence(x, q, { cols, backend, out });
      case 'softmaxCrossEntropy': return ik.softmaxCrossEntropy(x, labels, { cols, backend, reduction: 'none', out });
      case 'softmaxEntropy': return ik.softmaxEntropy(x, { cols, backend, out });
      default: throw new Error(`unknown function ${fn}`);
    }
  };
  const backends = ['js', 'wasm-scalar', 'wasm-simd'].filter((b) => b === 'js' || ik.backendInfo().sources[b === 'wasm-simd' ? 'simd' : 'scalar']);
  const results = [];
  const budget = 400; // ms of timing per backend
  for (let i = 0; i < backends.length; i++) {
    const backend = backends[i];
    const first = Array.from(call(backend).subarray(0, 3));
    let reps = 0, t = 0;
    const t0 = performance.now();
    while (t < budget || reps < 3) {
      call(backend);
      reps++;
      t = performance.now() - t0;
      if (reps % 2 === 0) self.postMessage({ progress: (i + Math.min(t / budget, 1)) / backends.length });
    }
    results.push({ backend, ms: t / reps, melems: (rows * cols) / (t / reps) / 1e3, first });
  }
  self.postMessage({ progress: 1, results, info: ik.backendInfo() });
};
