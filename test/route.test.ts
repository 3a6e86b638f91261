// Issue 10, item 17: calls that name no backend send the narrow shapes where the JS kernels
// are faster (measured: npm run bench -- --route) to JS; an explicit backend is obeyed.
import { describe, expect, it, vi } from 'vitest';
import * as ik from '../src/index.js';
import { jsKernels } from '../src/backend/js.js';
import { SIMD_ROUTES, routed, type RouteTable } from '../src/backend/route.js';
import type { Kernels } from '../src/backend/kernels.js';
import { useWasm } from './support/backends.js';

useWasm();

describe('the default backend routes by shape', () => {
  it('softmax rows of up to SIMD_ROUTES columns run on JS by default, wider ones on WASM; explicit backends are obeyed', () => {
    const spy = vi.spyOn(jsKernels, 'softmaxStats');
    const narrow = SIMD_ROUTES.f32.softmaxStats!;
    expect(narrow).toBeGreaterThanOrEqual(1);
    const x = new Float32Array(64 * 4).map((_, i) => Math.sin(i));
    ik.logSumExp(x, { cols: narrow });
    expect(spy).toHaveBeenCalledTimes(1);
    ik.logSumExp(x, { cols: 64 });
    ik.logSumExp(x, { cols: narrow, backend: 'wasm-simd' });
    ik.logSumExp(x, { cols: narrow, backend: 'wasm' });
    expect(spy).toHaveBeenCalledTimes(1);
    ik.logSumExp(x, { cols: 64, backend: 'js' });
    expect(spy).toHaveBeenCalledTimes(2);
    // the fused class-index cross entropy steps aside for the routed path where its table says so
    expect(SIMD_ROUTES.f32.classCrossEntropy).toBeGreaterThanOrEqual(narrow);
    ik.softmaxCrossEntropy(x, new Int32Array(x.length / narrow), { cols: narrow });
    expect(spy).toHaveBeenCalledTimes(3);
    ik.softmaxCrossEntropy(x, new Int32Array(4), { cols: 64 });
    expect(spy).toHaveBeenCalledTimes(3);
    spy.mockRestore();
  });

  it('the route depends on the element type where the tables differ, and results agree with WASM within the bounds', () => {
    for (const [Type, table] of [[Float32Array, SIMD_ROUTES.f32], [Float64Array, SIMD_ROUTES.f64]] as const) {
      const cols = table.entropy ?? 0;
      if (cols === 0) continue;
      const p = new Type(cols * 1000).map((_, i) => ((i * 7919) % 101) / 101 / cols);
      const spy = vi.spyOn(jsKernels, 'entropy');
      const byDefault = ik.entropy(p, { cols, check: false });
      expect(spy).toHaveBeenCalled();
      spy.mockRestore();
      const wasm = ik.entropy(p, { cols, check: false, backend: 'wasm-simd' });
      const tol = Type === Float32Array ? 1e-6 : 1e-12;
      byDefault.forEach((v, r) => expect(Math.abs(v - wasm[r])).toBeLessThanOrEqual(tol * Math.abs(wasm[r]) + 1e-7));
    }
  });
});

describe('routed(): every kernel goes by its own entry, width and element type', () => {
  /** A fake backend that records which method ran (and returns null for the fused CE). */
  const fake = (name: 'js' | 'wasm-simd', log: string[]) => new Proxy({ name } as unknown as Kernels, {
    get: (t, m) => (m === 'name' ? name : (..._: unknown[]) => { log.push(`${name}:${String(m)}`); return m === 'classCrossEntropy' ? 7 : false; }),
  });
  // kernel -> how to call it with a given cols on an array of the given type
  const f32 = new Float32Array(8), f64 = new Float64Array(8), o = new Float64Array(8), y = new Int32Array(8);
  const calls: [keyof RouteTable['f32'], (k: Kernels, cols: number, x: Float32Array | Float64Array) => unknown][] = [
    ['entropy', (k, c, x) => k.entropy(x, 1, c, 1, o)],
    ['entropyNormalized', (k, c, x) => k.entropyNormalized(x, 1, c, 1, o)],
    ['crossEntropy', (k, c, x) => k.crossEntropy(x, x, 1, c, 1, o)],
    ['klDivergence', (k, c, x) => k.klDivergence(x, x, 1, c, 1, o)],
    ['klDivergenceLogTarget', (k, c, x) => k.klDivergenceLogTarget(x, x, 1, c, 1, o)],
    ['jsDivergence', (k, c, x) => k.jsDivergence(x, x, 1, c, 1, o)],
    ['marginals', (k, c, x) => k.marginals(x, 1, c, o, o)],
    ['mutualInformationSum', (k, c, x) => k.mutualInformationSum(x, 1, c, o, o, 1, 1)],
    ['softmaxStats', (k, c, x) => k.softmaxStats(x, null, null, 1, c, 1, 0, 1, { m: o, ls: o })],
    ['softmaxTargets', (k, c, x) => k.softmaxStats(x, x, null, 1, c, 1, 0, 4, { m: o, ls: o })],
    ['softmax', (k, c, x) => k.softmax(x, 1, c, 1, false, x)],
    ['distill', (k, c, x) => k.distill(x, x, 1, c, 1, o)],
    ['bce', (k, c, x) => k.bce(x, x, null, 0, 1, c, o)],
    ['bceLogits', (k, c, x) => k.bceLogits(x, x, null, 0, null, 0, 1, c, o)],
  ];
  const method = (kernel: string) => (kernel === 'softmaxTargets' ? 'softmaxStats' : kernel);

  it.each(calls.map(([kernel]) => kernel))('%s: JS up to its width, WASM above it; f64 by the f64 entry', (kernel) => {
    const call = calls.find(([k]) => k === kernel)![1];
    const log: string[] = [];
    const table: RouteTable = { f32: { [kernel]: 3 }, f64: { [kernel]: 5 } };
    const k = routed(fake('wasm-simd', log), table, fake('js', log));
    call(k, 3, f32); call(k, 4, f32); call(k, 5, f64); call(k, 6, f64);
    const m = method(kernel);
    expect(log).toEqual([`js:${m}`, `wasm-simd:${m}`, `js:${m}`, `wasm-simd:${m}`]);
    // another kernel's entry does not route this one
    log.length = 0;
    const other = routed(fake('wasm-simd', log), { f32: { entropy: kernel === 'entropy' ? 0 : 99 }, f64: {} }, fake('js', log));
    call(other, 3, f32);
    expect(log).toEqual([`wasm-simd:${m}`]);
  });

  it('element-wise kernels count as one column; the fused class-index CE returns null where JS is chosen', () => {
    const log: string[] = [];
    const k = routed(fake('wasm-simd', log), { f32: { surprisal: 1, classCrossEntropy: 2 }, f64: { binaryEntropy: 1 } }, fake('js', log));
    k.surprisal(f32, 1, o); k.binaryEntropy(f32, 1, o); k.surprisal(f64, 1, o); k.binaryEntropy(f64, 1, o);
    expect(log).toEqual(['js:surprisal', 'wasm-simd:binaryEntropy', 'wasm-simd:surprisal', 'js:binaryEntropy']);
    log.length = 0;
    expect(k.classCrossEntropy!(f32, y, null, 1, 2, 1, 0, -100, 2, 1, o)).toBeNull();
    expect(k.classCrossEntropy!(f32, y, null, 1, 3, 1, 0, -100, 3, 1, o)).toBe(7);
    expect(log).toEqual(['wasm-simd:classCrossEntropy']);
    // a backend without the fused kernel: the routed one has none either
    const plain = routed({ ...jsKernels, name: 'wasm-simd' } as Kernels, { f32: {}, f64: {} });
    expect(plain.classCrossEntropy).toBeUndefined();
  });
});
