// Backend control (ready, backendInfo, setBackend), the out option, chunking of large
// inputs through WASM memory, and memory that stays bounded across calls.
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as ik from '../src/index.js';
import { kernelsFor } from '../src/backend/registry.js';
import { Arena } from '../src/backend/wasm/arena.js';

const realLayout = Arena.prototype.layout;
import type { WasmKernels } from '../src/backend/wasm/kernels.js';
import { useWasm } from './support/backends.js';
import { batch } from './support/data.js';
import { entropyRef } from './support/reference.js';
import { expectClose, expectThrows, F32 } from './support/assert.js';

useWasm();
afterEach(() => ik.setBackend('wasm'));

describe('backend control', () => {
  it('after ready(), calls run on WASM SIMD; setBackend and the backend option switch', () => {
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-simd', simd: true, threads: Math.min(availableParallelism(), 256), reason: null });
    ik.setBackend('js');
    expect(ik.backendInfo().backend).toBe('js');
    ik.setBackend('wasm-scalar');
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-scalar', simd: false, threads: 1, reason: "setBackend('wasm-scalar')" });
    expect(kernelsFor('t', 'wasm-simd').name).toBe('wasm-simd'); // per-call option wins
    ik.setBackend('wasm');
    expect(ik.backendInfo().backend).toBe('wasm-simd');
  });

  it('ready() is idempotent and every backend gives the same answer', async () => {
    await ik.ready();
    await ik.ready();
    const p = new Float64Array([0.1, 0.2, 0.7]);
    const want = -(0.1 * Math.log(0.1) + 0.2 * Math.log(0.2) + 0.7 * Math.log(0.7));
    for (const backend of ['js', 'wasm', 'wasm-simd', 'wasm-scalar'] as const) {
      expect(ik.entropy(p, { backend })[0]).toBeCloseTo(want, 14);
    }
  });

  it('an unknown backend name throws and leaves the default alone', () => {
    expectThrows(() => ik.setBackend('webgpu' as never), RangeError, /^setBackend: backend "webgpu" is unknown/);
    expect(ik.backendInfo().backend).toBe('wasm-simd');
  });
});

describe('results and memory', () => {
  it('out receives the results and is returned; inputs are never modified', () => {
    const p = batch(Float32Array, 7, 5, 'sparse');
    const copy = p.slice();
    const out = new Float64Array(7);
    expect(ik.entropy(p, { cols: 5, out })).toBe(out);
    expectClose(out, entropyRef(p, 5), F32, 'out');
    expect(p).toEqual(copy);
  });

  it('inputs larger than a chunk, and single rows larger than a chunk, are exact', () => {
    const many = batch(Float32Array, 3001, 33, 'sparse', 5); // ~99k values: two chunks
    expectClose(ik.entropy(many, { cols: 33 }), entropyRef(many, 33), F32, 'many rows');
    const wide = batch(Float32Array, 2, 150001, 'uniform', 6); // each row > one chunk
    expectClose(ik.entropy(wide, { cols: 150001 }), entropyRef(wide, 150001), F32, 'wide rows');
    const whole = batch(Float32Array, 1, 200003, 'uniform', 7); // no cols: one row
    expectClose(ik.entropy(whole), entropyRef(whole, 200003), F32, 'one row');
  });

  it('memory grows to the largest call and not beyond: repeated calls reuse it', () => {
    const k = kernelsFor('t', 'wasm-simd') as WasmKernels;
    // the largest scratch a call lays out (the threads build reserves its scratch up front, so
    // memory itself may not grow: the layouts are what is bounded)
    let largest = 0;
    const layout = vi.spyOn(Arena.prototype, 'layout').mockImplementation(function (this: Arena, sizes: readonly number[]) {
      const offsets = realLayout.call(this, sizes);
      largest = Math.max(largest, offsets[offsets.length - 1] + sizes[sizes.length - 1] - offsets[0]);
      return offsets;
    });
    const big = batch(Float32Array, 4000, 257, 'uniform', 8);
    const q = batch(Float32Array, 4000, 257, 'uniform', 9);
    ik.klDivergence(big, q, { cols: 257 });
    ik.entropy(whole(), {});
    const size = k.arena.byteLength;
    const labels = new Int32Array(4000).map((_, i) => i % 257);
    const logitsCalls = () => {
      ik.softmaxCrossEntropy(big, labels, { cols: 257, labelSmoothing: 0.1 });
      ik.softmaxCrossEntropy(big, q, { cols: 257 });
      ik.entropyRegularizedLoss(big, q, { cols: 257, beta: 0.1 });
      ik.softmax(big, { cols: 257 });
      ik.distillationLoss(big, q, { cols: 257, temperature: 2 });
      ik.binaryCrossEntropyWithLogits(big, q, { cols: 257, posWeight: q.subarray(0, 257), weight: q });
    };
    logitsCalls();
    const size2 = k.arena.byteLength;
    // memory never shrinks, so only an upper bound can fail: the largest call above
    // (BCE with logits, per-element weight) lays out two 1 MiB inputs, a 1 MiB weight region,
    // 257 class weights and a 2 MiB f64 output: 5 MiB plus the static data, in 64 KiB pages
    expect(size).toBeLessThanOrEqual(size2); // and the KL / entropy calls before needed no more
    expect(largest).toBeGreaterThan(4 * 2 ** 20);
    expect(largest).toBeLessThanOrEqual(5 * 2 ** 20 + 128 * 1024);
    layout.mockRestore();
    for (let i = 0; i < 50; i++) {
      ik.klDivergence(big, q, { cols: 257 });
      ik.entropy(whole(), {});
      ik.mutualInformation(big, { cols: 257 });
      ik.surprisal(big, { reduction: 'sum' });
      logitsCalls();
    }
    expect(k.arena.byteLength).toBe(size2);
  });

  it('a call that throws leaves WASM memory and the next call intact', () => {
    const p = batch(Float64Array, 50, 9, 'uniform', 10);
    const before = ik.entropy(p, { cols: 9 });
    const bad = p.slice();
    bad[200] = -1;
    expect(() => ik.entropy(bad, { cols: 9 })).toThrow(RangeError);
    expect(ik.entropy(p, { cols: 9 })).toEqual(before);
  });

  it('empty inputs: no rows gives an empty array, and NaN for a mean', () => {
    expect(ik.entropy(new Float32Array(0), { cols: 4 })).toEqual(new Float64Array(0));
    expect(ik.entropy(new Float32Array(0), { cols: 4, reduction: 'mean' })).toBeNaN();
    expect(ik.entropy(new Float32Array(0))[0]).toBe(0); // one empty distribution
  });
});

function whole(): Float32Array {
  return batch(Float32Array, 1, 70000, 'uniform', 11) as Float32Array;
}
