// Issue 10, item 19: accuracy where a quantity is within rounding of 1. logsumexp([0, -40])
// is 4.25e-18 (SciPy 1.17, gh-18295; PyTorch gives 0) and rel_entr(x, y) keeps its digits
// for x ~ y (gh-20710). Truth: mpmath at 60 digits on the inputs' exact binary values
// (test/golden/near-one.py writes near-one.json, SciPy's values beside it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ik from '../src/index.js';
import { BACKENDS, useWasm } from './support/backends.js';

useWasm();

interface Lse { dtype: 'f32' | 'f64'; x: number[]; temperature: number; truth: number; scipy: number }
interface Kl { dtype: 'f32' | 'f64'; p: number[]; q: number[]; truth: number; scipy: number }
interface Mi { dtype: 'f32' | 'f64'; cols: number; x: number[]; truth: number; ratioF64: number | null }
const golden = JSON.parse(readFileSync(new URL('./golden/near-one.json', import.meta.url), 'utf8')) as
  { logSumExp: Lse[]; klDivergence: Kl[]; mutualInformation: Mi[] };
const make = (dtype: 'f32' | 'f64', v: number[]) => (dtype === 'f32' ? new Float32Array(v) : new Float64Array(v));
/** Relative error, with 0 exact when the truth is 0. */
const rel = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want));
// Results near 0 are recomputed in f64 from the inputs, so 1e-12 whatever the input type;
// other rows keep the documented bound of their type (f64 1e-12, f32 1e-6).
const bound = (dtype: string, truth: number) => (dtype === 'f64' || Math.abs(truth) < 1e-3 ? 1e-12 : 1e-6);

describe('logSumExp near 0: log1p of the non-maximal terms', () => {
  it.each(BACKENDS)('matches 60-digit values where the sum of exponentials rounds to 1 (%s)', (backend) => {
    for (const { dtype, x, temperature, truth } of golden.logSumExp) {
      const got = ik.logSumExp(make(dtype, x), { temperature, backend })[0];
      expect(rel(got, truth), `${dtype} [${x}] T=${temperature}: ${got} vs ${truth}`).toBeLessThan(bound(dtype, truth));
    }
  });

  it.each(BACKENDS)('in a batch, in bits, and with ties (%s)', (backend) => {
    // rows: [0, -40] (recomputed), [0, 0] (tie: ln 2, not near 0), [3, 1] (far from 0)
    const x = new Float64Array([0, -40, 0, 0, 3, 1]);
    const got = ik.logSumExp(x, { cols: 2, base: 2, backend });
    expect(rel(got[0], Math.exp(-40) / Math.LN2)).toBeLessThan(1e-12);
    expect(rel(got[1], 1)).toBeLessThan(1e-15);
    expect(rel(got[2], (3 + Math.log1p(Math.exp(-2))) / Math.LN2)).toBeLessThan(1e-15);
    // a maximum repeated beyond the first counts as a term of 1: log1p(1 + e^-40) = ln 2 + ...
    expect(ik.logSumExp(new Float64Array([-Math.LN2, -Math.LN2]), { backend })[0]).toBe(0);
  });
});

describe('klDivergence of nearly equal rows: rel_entr in its ratio form, without cancellation', () => {
  it.each(BACKENDS)('matches 60-digit values (%s)', (backend) => {
    for (const { dtype, p, q, truth } of golden.klDivergence) {
      const got = ik.klDivergence(make(dtype, p), make(dtype, q), { backend })[0];
      expect(rel(got, truth), `${dtype} ${p} || ${q}: ${got} vs ${truth}`).toBeLessThan(bound(dtype, truth));
    }
  });

  it.each(BACKENDS)('single values are rel_entr: x log(x/y) for x ~ y, in a batch and in bits (%s)', (backend) => {
    // rel_entr(1, 1 + 1e-10) = -log(1 + 1e-10) = -(1e-10 - 5e-21 + ...), to 1e-16 relative
    const y = 1 + 1e-10;
    const truth = -Math.log1p(y - 1); // y - 1 is exact, so this is the exact value to 1 ulp
    const got = ik.klDivergence(new Float64Array([1, 2]), new Float64Array([y, 1]), { cols: 1, base: 2, backend });
    expect(rel(got[0], truth / Math.LN2)).toBeLessThan(1e-14);
    expect(rel(got[1], 2 * Math.log(2) / Math.LN2)).toBeLessThan(1e-15); // not near 0: the fast form
  });

  it.each(BACKENDS)('identical rows give exactly 0; a nearly equal row matches its second-order expansion (%s)', (backend) => {
    const p = new Float64Array([0.1, 0.2, 0.3, 0.4]);
    expect(ik.klDivergence(p, p, { backend })[0]).toBe(0);
    const q = new Float64Array([0.1 + 1e-9, 0.2 - 1e-9, 0.3 + 2e-9, 0.4 - 2e-9]);
    // sum p log(p/q) >= sum (p - q) exactly; here sum (p - q) rounds to a tiny value, and the
    // nonnegative part is ~ sum (p-q)^2 / 2q = 1.6e-17
    const v = ik.klDivergence(p, q, { backend })[0];
    const quad = [0, 1, 2, 3].reduce((s, i) => s + (p[i] - q[i]) ** 2 / (2 * q[i]), 0);
    const lin = [0, 1, 2, 3].reduce((s, i) => s + (p[i] - q[i]), 0);
    expect(rel(v, quad + lin)).toBeLessThan(1e-6); // higher-order terms are ~|p - q|/q of quad
  });
});

describe('mutualInformation of nearly independent tables: terms that cannot cancel', () => {
  it.each(BACKENDS)('matches 60-digit values from I = 1e-15 to 1 (%s)', (backend) => {
    // every ratio x T / (r c) is near 1: the ratio form's terms x log(ratio) cancel to ~1e-16
    // of the total, 2e-4 relative at I = 1.25e-13 (ratioF64 in the JSON). Computed in f64 from
    // the inputs' exact values, so 1e-12 for f32 tables too.
    for (const { dtype, cols, x, truth } of golden.mutualInformation) {
      const got = ik.mutualInformation(make(dtype, x), { cols, backend });
      expect(rel(got, truth), `${dtype} ${x.length / cols} x ${cols} [${x.slice(0, 4)}...]: ${got} vs ${truth}`).toBeLessThan(1e-12);
    }
  });

  it.each(BACKENDS)('scaling the counts changes nothing; bits divide by ln 2 (%s)', (backend) => {
    const { cols, x, truth } = golden.mutualInformation[0]; // I = 1.25e-13 nats
    for (const s of [2 ** -1000, 2 ** -500, 1, 2 ** 990]) { // powers of two: the same table, exactly
      const got = ik.mutualInformation(new Float64Array(x.map((v) => v * s)), { cols, backend });
      expect(rel(got, truth), `counts x ${s}`).toBeLessThan(1e-12);
    }
    expect(rel(ik.mutualInformation(new Float64Array(x), { cols, base: 2, backend }), truth / Math.LN2)).toBeLessThan(1e-12);
  });
});
