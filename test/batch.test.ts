// Zero-copy batches (issue 11, item 2): allocBatch puts the values in the default WASM
// build's memory, the kernels read them in place, and the lifecycle fails loudly: free()
// twice, `view` after free(), a view kept past free() or past memory growth.
import { describe, expect, it, vi } from 'vitest';
import * as ik from '../src/index.js';
import { kernelsFor } from '../src/backend/registry.js';
import type { WasmKernels } from '../src/backend/wasm/kernels.js';
import { CHUNK_BYTES } from '../src/backend/wasm/kernels.js';
import { useWasm } from './support/backends.js';
import { expectThrows } from './support/assert.js';
import { logitRows, probabilityRows } from '../bench/data.js';

useWasm();
const simd = () => kernelsFor('test', 'wasm-simd') as WasmKernels;

/** A batch holding a copy of x. */
function batchOf(x: Float32Array | Float64Array, rows: number, cols: number) {
  const b = ik.allocBatch(x instanceof Float64Array ? Float64Array : Float32Array, rows, cols);
  b.view.set(x);
  return b;
}

describe('allocBatch: the kernels read the batch in place', () => {
  it.each(['float32', 'float64'] as const)('every kind of kernel gives the bit-identical result of a copied input (%s)', (dtype) => {
    const rows = 3000, cols = 10;
    const p = probabilityRows(rows, cols, dtype, 1), q = probabilityRows(rows, cols, dtype, 2), z = logitRows(rows, cols, dtype);
    const y = new Int32Array(rows).map((_, i) => i % cols);
    const [bp, bq, bz] = [batchOf(p, rows, cols), batchOf(q, rows, cols), batchOf(z, rows, cols)];
    const backend = 'wasm-simd' as const;
    const write = vi.spyOn(simd().arena, 'write');
    const calls: [string, (a: Float32Array | Float64Array, b: Float32Array | Float64Array, c: Float32Array | Float64Array) => unknown][] = [
      ['entropy', (a) => ik.entropy(a, { cols, backend })],
      ['entropy normalize', (a) => ik.entropy(a, { cols, normalize: true, backend })],
      ['klDivergence', (a, b) => ik.klDivergence(a, b, { cols, backend })],
      ['jsDivergence', (a, b) => ik.jsDivergence(a, b, { cols, backend })],
      ['surprisal', (a) => ik.surprisal(a, { backend })],
      ['mutualInformation', (a) => ik.mutualInformation(a, { cols, backend })],
      ['softmaxCrossEntropy', (_a, _b, c) => ik.softmaxCrossEntropy(c, y, { cols, reduction: 'none', backend })],
      ['softmaxCrossEntropy probabilities', (a, _b, c) => ik.softmaxCrossEntropy(c, a, { cols, reduction: 'none', backend })],
      ['logSoftmax', (_a, _b, c) => ik.logSoftmax(c, { cols, backend })],
      ['distillationLoss', (_a, _b, c) => ik.distillationLoss(c, c, { cols, temperature: 2, reduction: 'none', backend })],
      ['binaryCrossEntropy', (a, b) => ik.binaryCrossEntropy(a, b, { cols, weight: b, reduction: 'none', backend })],
    ];
    for (const [name, call] of calls) {
      write.mockClear();
      const inPlace = call(bp.view, bq.view, bz.view);
      expect(write, `${name} copied its input`).not.toHaveBeenCalled();
      expect(inPlace, name).toEqual(call(p, q, z));
      expect(write, `${name} did not copy an ordinary array`).toHaveBeenCalled();
    }
    write.mockRestore();
    for (const b of [bp, bq, bz]) b.free();
  });

  it('an `out` that is a batch view is written in place, each block at its own rows (several blocks)', () => {
    const cols = 10, rows = 3 * Math.floor(CHUNK_BYTES / 4 / cols) + 123; // four f32 blocks, the last one short
    const z = logitRows(rows, cols, 'float32'), p = probabilityRows(rows, cols, 'float32', 4);
    const y = new Int32Array(rows).map((_, i) => (i * 7) % cols);
    const backend = 'wasm-simd' as const, threads = 1;
    const calls: [string, (out: Float64Array) => unknown][] = [
      ['entropy', (out) => ik.entropy(p, { cols, backend, threads, out })],
      ['softmaxEntropy', (out) => ik.softmaxEntropy(z, { cols, backend, threads, out })],
      ['softmaxCrossEntropy (fused class CE)', (out) => ik.softmaxCrossEntropy(z, y, { cols, reduction: 'none', backend, threads, out })],
      ['softmaxCrossEntropy smoothed', (out) => ik.softmaxCrossEntropy(z, y, { cols, labelSmoothing: 0.1, reduction: 'none', backend, threads, out })],
    ];
    for (const [name, call] of calls) {
      const b = ik.allocBatch(Float64Array, rows, 1);
      const plain = new Float64Array(rows);
      call(plain);
      expect(call(b.view), name).toBe(b.view);
      // the first row that differs (not toEqual: diffing 78,000 values takes vitest minutes)
      expect(b.view.findIndex((v, i) => !Object.is(v, plain[i])), name).toBe(-1);
      expect(plain.every((v) => v > 0), `${name}: every row written`).toBe(true);
      b.free();
    }
  });

  it('kernels never write static memory: every instance\'s scratch is where useScratch put it (threads share one memory)', () => {
    // Instances over one shared memory (the pool's workers) each move the short-row scratch
    // to their own region; a buffer left behind in static data would be written by all.
    const k = kernelsFor('test', 'wasm-simd', 1); // this thread's instance, not the threaded wrapper
    const exports = (k as unknown as { exports: { heapBase(): number; memory: WebAssembly.Memory } }).exports;
    const staticBytes = () => new Uint8Array(exports.memory.buffer, 0, exports.heapBase()).slice();
    const before = staticBytes();
    const backend = 'wasm-simd' as const, threads = 1;
    for (let cols = 1; cols <= 33; cols++) {
      for (const dtype of ['float32', 'float64'] as const) {
        const rows = 700;
        const z = logitRows(rows, cols, dtype), p = probabilityRows(rows, cols, dtype, cols), q = probabilityRows(rows, cols, dtype, cols + 1);
        const y = new Int32Array(rows).map((_, i) => i % cols);
        ik.entropy(p, { cols, backend, threads });
        ik.crossEntropy(p, q, { cols, backend, threads });
        ik.klDivergence(p, q, { cols, backend, threads });
        ik.jsDivergence(p, q, { cols, backend, threads });
        ik.logSumExp(z, { cols, backend, threads });
        ik.softmaxEntropy(z, { cols, backend, threads });
        ik.softmaxCrossEntropy(z, y, { cols, backend, threads });
        ik.softmaxCrossEntropy(z, y, { cols, labelSmoothing: 0.1, temperature: 2, backend, threads });
        ik.softmaxCrossEntropy(z, p, { cols, backend, threads });
        ik.binaryCrossEntropy(p, q, { cols, backend, threads });
      }
    }
    const after = staticBytes();
    expect(after.findIndex((v, i) => v !== before[i]), 'first static byte written').toBe(-1);
  });

  it('rows wider than a chunk stream in place too; a subarray of a batch works; the batch itself can be passed', () => {
    const cols = CHUNK_BYTES / 4 + 1000; // one f32 row wider than a chunk
    const p = probabilityRows(2, cols, 'float32', 3);
    const b = batchOf(p, 2, cols);
    expect(ik.entropy(b.view, { cols, backend: 'wasm-simd' })).toEqual(ik.entropy(p, { cols, backend: 'wasm-simd' }));
    expect(ik.softmaxEntropy(b.view.subarray(cols), { backend: 'wasm-simd' })).toEqual(ik.softmaxEntropy(p.subarray(cols), { backend: 'wasm-simd' }));
    expect(ik.entropy(b as never, { cols })).toEqual(ik.entropy(p, { cols }));
    b.free();
  });

  it('the JS backend and the other WASM build read a batch view as an ordinary array', () => {
    const p = probabilityRows(100, 7, 'float64', 4);
    const b = batchOf(p, 100, 7);
    for (const backend of ['js', 'wasm-scalar'] as const) {
      expect(ik.entropy(b.view, { cols: 7, backend })).toEqual(ik.entropy(p, { cols: 7, backend }));
    }
    b.free();
  });
});

describe('allocBatch lifecycle', () => {
  it('free() twice, view after free() and a view kept past free() throw clear errors', () => {
    const b = ik.allocBatch(Float32Array, 4, 4);
    expect(b.inWasm).toBe(true);
    expect(b.view.length).toBe(16);
    const stale = b.view;
    b.free();
    expectThrows(() => b.free(), Error, /^infokernel: batch\.free\(\): this batch was freed; allocate a new one with allocBatch$/);
    expectThrows(() => b.view, Error, /^infokernel: batch\.view: this batch was freed; allocate a new one with allocBatch$/);
    expectThrows(() => ik.entropy(stale, { cols: 4 }), TypeError, /^entropy: p views infokernel's WebAssembly memory outside any live batch/);
    expect(() => ik.softmaxCrossEntropy(stale, new Int32Array(4), { cols: 4 })).toThrow(TypeError);
  });

  it('a freed batch\'s view as `out` throws before anything is written: the batch now in part of its place keeps its values', () => {
    const a = ik.allocBatch(Float64Array, 16, 2);
    const stale = a.view; // 32 values
    a.free();
    const b = ik.allocBatch(Float64Array, 4, 2); // first fit: the first 8 of a's values
    expect(b.view.byteOffset).toBe(stale.byteOffset);
    b.view.fill(0.25);
    const p = new Float64Array(32).fill(0.5), y = new Int32Array(16);
    const outside = /out views infokernel's WebAssembly memory outside any live batch \(used after free\(\)\?\)$/;
    expectThrows(() => ik.entropy(p, { cols: 2, out: stale.subarray(0, 16) }), TypeError, new RegExp(`^entropy: ${outside.source}`));
    expectThrows(() => ik.softmaxCrossEntropy(p, y, { cols: 2, reduction: 'none', out: stale.subarray(0, 16) }), TypeError,
      new RegExp(`^softmaxCrossEntropy: ${outside.source}`));
    expectThrows(() => ik.binaryCrossEntropy(p, p, { reduction: 'none', out: stale }), TypeError, new RegExp(`^binaryCrossEntropy: ${outside.source}`));
    expectThrows(() => ik.softmax(p, { cols: 2, out: stale }), TypeError, new RegExp(`^softmax: ${outside.source}`));
    expect(b.view.every((v) => v === 0.25)).toBe(true);
    b.free();
  });

  it('freed memory is reused; growing memory replaces the views, and batch.view follows', () => {
    const a = ik.allocBatch(Float64Array, 10, 10);
    const keep = ik.allocBatch(Float64Array, 1, 1); // above a: freeing a leaves a gap below it
    const at = a.view.byteOffset;
    a.free();
    const b = ik.allocBatch(Float64Array, 5, 10); // fits the freed gap: first fit
    expect(b.view.byteOffset).toBe(at);
    b.view.fill(0.02);
    const c = ik.allocBatch(Float64Array, 2, 10); // the rest of the gap: after b, not over it
    expect(c.view.byteOffset).toBeGreaterThanOrEqual(b.view.byteOffset + b.view.byteLength);
    c.view.fill(7);
    expect(b.view.every((v) => v === 0.02)).toBe(true);
    c.free();
    keep.free();
    const old = b.view;
    const before = simd().arena.byteLength;
    const big = ik.allocBatch(Float32Array, 1024, 8192); // 32 MiB: memory grows
    expect(simd().arena.byteLength).toBeGreaterThan(before);
    if (old.buffer instanceof SharedArrayBuffer) {
      // the threads build's memory is shared: growing it never detaches a view, so old views stay valid
      expect(old.length).toBe(50);
      expect(ik.entropy(old, { cols: 10 })).toEqual(ik.entropy(b.view, { cols: 10 }));
      expect(b.view).not.toBe(old); // a fresh view of the grown buffer
    } else {
      expect(old.length).toBe(0); // detached by the growth
      expectThrows(() => ik.entropy(old), TypeError, /^entropy: p is a view of a detached ArrayBuffer \(transferred, or a batch view from before WebAssembly memory grew: read batch\.view again\)/);
    }
    expect(b.view.length).toBe(50);
    expect(Array.from(b.view.subarray(0, 3))).toEqual([0.02, 0.02, 0.02]); // contents kept
    // calls never grow memory once a batch exists, so views survive any number of calls
    const v = big.view;
    v.fill(1 / 8192);
    const h = ik.entropy(v, { cols: 8192 });
    expect(v.length).toBe(1024 * 8192);
    expect(Math.abs(h[0] - Math.log(8192))).toBeLessThan(1e-6 * Math.log(8192));
    big.free();
    b.free();
  });

  it('bad arguments are errors naming allocBatch', () => {
    expectThrows(() => ik.allocBatch(Array as never, 1, 1), TypeError, /^allocBatch: type must be Float32Array or Float64Array/);
    expect(() => ik.allocBatch(Float32Array, 0, 1)).toThrow(RangeError);
    expectThrows(() => ik.allocBatch(Float32Array, 2, 1.5), RangeError, /^allocBatch: cols must be a positive integer/);
  });
});
