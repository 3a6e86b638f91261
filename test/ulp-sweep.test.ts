// A strided sweep of the f32 bit patterns through the exported log_f32 / exp_f32 kernels
// (both builds): every 509th positive finite f32 for log, every 509th f32 in
// [-104, 88.72] for exp, about 8.6 million values in all. Dense enough that a 1e-3
// relative change of one polynomial coefficient or range-reduction constant breaks the
// documented bounds (log 1.07 ulp, exp 0.99 ulp: the maxima of bench/ulp.mts's exhaustive
// sweep); a few seconds per build.
import { beforeAll, describe, expect, it } from 'vitest';
import { raw, type Raw } from './support/raw.js';
import { ulpF32 } from './support/ulp.js';

const BUILDS = ['simd', 'scalar'] as const;
const builds: Record<string, Raw> = {};
beforeAll(async () => { for (const b of BUILDS) builds[b] = await raw(b); });

const STRIDE = 509;
const BATCH = 1 << 20;

/** Worst ulp error of kernel `name` over the f32 bit patterns [from, to) taken every STRIDE. */
function sweep(k: Raw, name: 'log' | 'exp', from: number, to: number, truth: (x: number) => number): { ulp: number; x: number } {
  const bits = new Uint32Array(BATCH);
  const xs = new Float32Array(bits.buffer);
  let worst = 0, at = NaN;
  for (let b = from; b < to; b += STRIDE * BATCH) {
    let n = 0;
    for (let v = b; v < to && n < BATCH; v += STRIDE) bits[n++] = v >>> 0;
    const x = xs.subarray(0, n);
    const got = k.call(name, x);
    for (let i = 0; i < n; i++) {
      const t = truth(x[i]);
      if (!Number.isFinite(t)) continue;
      const u = Math.abs(got[i] - t) / ulpF32(t);
      if (u > worst) { worst = u; at = x[i]; }
    }
  }
  return { ulp: worst, x: at };
}

describe.each(BUILDS)('%s build, strided sweep of every f32', (build) => {
  it('log_f32 within 1.07 ulp over positive finite f32 (normal and subnormal)', () => {
    const r = sweep(builds[build], 'log', 1, 0x7f800000, Math.log);
    expect(r.ulp, `worst at x = ${r.x}`).toBeLessThanOrEqual(1.07);
  });

  it('exp_f32 within 0.99 ulp over [-104, 88.72]', () => {
    // positive x: bit patterns 0 .. 88.72; negative: 0x80000000 .. -104
    const pos = sweep(builds[build], 'exp', 0, 0x42b17218, Math.exp);
    const neg = sweep(builds[build], 'exp', 0x80000000, 0xc2d00000, Math.exp);
    expect(pos.ulp, `worst at x = ${pos.x}`).toBeLessThanOrEqual(0.99);
    expect(neg.ulp, `worst at x = ${neg.x}`).toBeLessThanOrEqual(0.99);
  });
});
