// The vectorised log and exp on their own: Math.log/Math.exp semantics on every special
// value, and the ulp bounds documented in assembly/math (sampled here; bench/ulp.mts
// measures every f32).
import { beforeAll, describe, expect, it } from 'vitest';
import { raw, type Raw } from './support/raw.js';
import { maxUlp } from './support/ulp.js';
import { rng } from './support/data.js';

const BUILDS = ['simd', 'scalar'] as const;
const builds: Record<string, Raw> = {};
beforeAll(async () => { for (const b of BUILDS) builds[b] = await raw(b); });

/** Values spread over every binade of the type, plus its edges. */
function logSample(f32: boolean, n: number): number[] {
  const r = rng(7);
  const [lo, hi] = f32 ? [-149, 128] : [-1074, 1024];
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(2 ** (lo + r() * (hi - lo)));
  for (const e of [1, 1 - 2 ** -24, 1 + 2 ** -23, Math.SQRT2, Math.SQRT1_2, 0.5, 2]) xs.push(e);
  return xs;
}

const LOG_SPECIALS = [0, -0, -1, -Infinity, NaN, Infinity, 1];
const EXP_SPECIALS = [0, -0, -Infinity, Infinity, NaN, 1, -1];

describe.each(BUILDS)('%s build', (build) => {
  it('log f32: special values exactly as Math.log; subnormals exact', () => {
    const xs = new Float32Array([...LOG_SPECIALS, 1e-40, 1.401298464324817e-45, 1.1754942106924411e-38, 3.4028234663852886e38]);
    const got = builds[build].call('log', xs);
    xs.forEach((x, i) => {
      const want = Math.log(x);
      if (Number.isFinite(want)) expect(Math.abs(got[i] - want), `log(${x})`).toBeLessThanOrEqual(Math.abs(want) * 2 ** -21);
      else expect(Object.is(got[i], want), `log(${x}) = ${got[i]}`).toBe(true);
    });
  });

  it('log f64: special values exactly as Math.log', () => {
    const xs = new Float64Array([...LOG_SPECIALS, 5e-324, 1e-310, 2.2250738585072014e-308, 1.7976931348623157e308]);
    const got = builds[build].call('log', xs);
    xs.forEach((x, i) => {
      const want = Math.log(x);
      if (Number.isFinite(want)) expect(Math.abs(got[i] - want), `log(${x})`).toBeLessThanOrEqual(Math.abs(want) * 2 ** -52);
      else expect(Object.is(got[i], want), `log(${x}) = ${got[i]}`).toBe(true);
    });
  });

  it('exp f32/f64: overflow to Infinity, gradual underflow, 0 below, -Infinity -> 0, NaN -> NaN', () => {
    const f = new Float32Array([...EXP_SPECIALS, 88.72, 88.73, -87.5, -100, -103.9, -104.5, -1e4, 1e4]);
    const gf = builds[build].call('exp', f);
    f.forEach((x, i) => {
      const want = Math.fround(Math.exp(x));
      if (want === 0 || !Number.isFinite(want)) expect(Object.is(gf[i], want), `expf(${x}) = ${gf[i]}`).toBe(true);
      else expect(Math.abs(gf[i] - want) / want, `expf(${x})`).toBeLessThan(want < 1.2e-38 ? 0.5 : 2 ** -22);
    });
    const d = new Float64Array([...EXP_SPECIALS, 709.78, 709.79, -708, -740, -745.1, -746, -1e6, 1e6]);
    const gd = builds[build].call('exp', d);
    d.forEach((x, i) => {
      const want = Math.exp(x);
      if (want === 0 || !Number.isFinite(want)) expect(Object.is(gd[i], want), `exp(${x}) = ${gd[i]}`).toBe(true);
      else expect(Math.abs(gd[i] - want) / want, `exp(${x})`).toBeLessThan(want < 2.3e-308 ? 0.5 : 2 ** -51);
    });
  });

  it('log f32 is within 1.07 ulp (the exhaustive maximum) and log f64 within 1 ulp over every binade', () => {
    const x32 = new Float32Array(logSample(true, 1 << 18));
    const g32 = builds[build].call('log', x32);
    expect(maxUlp(g32, Array.from(x32, Math.log), true).ulp).toBeLessThanOrEqual(1.07);
    const x64 = new Float64Array(logSample(false, 1 << 16));
    const g64 = builds[build].call('log', x64);
    expect(maxUlp(g64, Array.from(x64, Math.log), false).ulp).toBeLessThanOrEqual(1);
  });

  it('exp f32 within 0.99 ulp (the exhaustive maximum) on [-87, 88], exp f64 within 1 ulp on [-708, 709]', () => {
    const r = rng(11);
    const x32 = new Float32Array(1 << 18).map(() => -87 + r() * 175);
    const g32 = builds[build].call('exp', x32);
    expect(maxUlp(g32, Array.from(x32, Math.exp), true).ulp).toBeLessThanOrEqual(0.99);
    const x64 = new Float64Array(1 << 16).map(() => -708 + r() * 1417);
    const g64 = builds[build].call('exp', x64);
    expect(maxUlp(g64, Array.from(x64, Math.exp), false).ulp).toBeLessThanOrEqual(1);
  });
});
