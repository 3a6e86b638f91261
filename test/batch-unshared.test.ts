// Zero-copy batches over an ordinary (not shared) WebAssembly memory: what a browser page that
// is not cross-origin isolated gets, or a Node process told where the SIMD and scalar builds are
// but not the threads build. There, growing memory detaches every view of the old buffer; the
// shared memory of batch.test.ts never detaches, so its branch for this case cannot run.
import { beforeAll, describe, expect, it } from 'vitest';
import * as ik from '../src/index.js';
import { kernelsFor } from '../src/backend/registry.js';
import type { WasmKernels } from '../src/backend/wasm/kernels.js';
import { expectThrows } from './support/assert.js';

const wasm = (name: string) => new URL(`../src/backend/wasm/infokernel.${name}.wasm`, import.meta.url);

beforeAll(async () => {
  // this file runs in its own worker, so this is the first load: no threads build
  await ik.ready({ wasmPaths: { simd: wasm('simd'), scalar: wasm('scalar') }, required: true });
});

describe('zero-copy batches when memory growth detaches views', () => {
  it('runs on the SIMD build over an unshared memory, one thread', () => {
    const info = ik.backendInfo();
    expect(info.backend).toBe('wasm-simd');
    expect(info.threads).toBe(1);
    expect(info.sources.simd).toMatch(/infokernel\.simd\.wasm$/);
    const arena = (kernelsFor('test', 'wasm-simd') as WasmKernels).arena;
    expect(arena.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('a view taken before growth is detached and named as such; batch.view is fresh and keeps the contents', () => {
    const b = ik.allocBatch(Float64Array, 5, 10);
    b.view.fill(0.1);
    const old = b.view;
    const want = ik.entropy(old, { cols: 10 });
    expect(want[0]).toBeCloseTo(Math.log(10), 14);
    const arena = (kernelsFor('test', 'wasm-simd') as WasmKernels).arena;
    const before = arena.byteLength;
    const big = ik.allocBatch(Float32Array, 1024, 8192); // 32 MiB: memory grows
    expect(arena.byteLength).toBeGreaterThan(before);
    expect(old.length).toBe(0); // detached by the growth
    expectThrows(() => ik.entropy(old, { cols: 10 }), TypeError,
      /^entropy: p is a view of a detached ArrayBuffer \(transferred, or a batch view from before WebAssembly memory grew: read batch\.view again\)/);
    // as `out` too (not "out has length 0"): per-row results and softmax's array
    expectThrows(() => ik.logSumExp(b.view, { cols: 10, out: old }), TypeError, /^logSumExp: out is a view of a detached ArrayBuffer/);
    expectThrows(() => ik.softmax(b.view, { cols: 10, out: old }), TypeError, /^softmax: out is a view of a detached ArrayBuffer/);
    expect(b.view.length).toBe(50);
    expect(ik.entropy(b.view, { cols: 10 })).toEqual(want);
    big.free();
    b.free();
    expectThrows(() => b.view, Error, /^infokernel: batch\.view: this batch was freed; allocate a new one with allocBatch$/);
  });

  it('calls never grow memory once a batch exists, so a view survives any number of calls', () => {
    const b = ik.allocBatch(Float32Array, 64, 1000);
    const v = b.view;
    v.fill(1 / 1000);
    const x = new Float32Array(200_000).fill(0.5); // a copied input larger than one chunk
    for (let i = 0; i < 5; i++) {
      ik.entropy(x, { cols: 2 });
      ik.softmaxCrossEntropy(v, new Int32Array(64), { cols: 1000 });
    }
    expect(v.length).toBe(64_000);
    expect(ik.entropy(v, { cols: 1000 })[63]).toBeCloseTo(Math.log(1000), 5);
    b.free();
  });
});
