// Issue 10, item 17: calls that name no backend send the narrow shapes where the JS kernels
// are faster (measured: npm run bench -- --route) to JS; an explicit backend is obeyed.
import { describe, expect, it, vi } from 'vitest';
import * as ik from '../src/index.js';
import { jsKernels } from '../src/backend/js.js';
import { SIMD_ROUTES } from '../src/backend/route.js';
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
