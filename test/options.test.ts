// Option and shape checks of every kind, on every backend: the exact error class, a message
// that starts with the public function's name and names the option or argument, and the
// valid edge of each rule accepted (so a check that is too strict fails too).
import { describe, expect, it } from 'vitest';
import * as ik from '../src/index.js';
import * as ref from './support/independent.js';
import { expectClose, F64 } from './support/assert.js';
import { BACKENDS, useWasm } from './support/backends.js';

useWasm();

type Ctor = new (...a: unknown[]) => Error;
function throws(run: () => unknown, cls: Ctor, fn: string, ...words: (string | RegExp)[]): void {
  let err: unknown;
  try { run(); } catch (e) { err = e; }
  expect(err, `${fn} should throw ${cls.name}`).toBeInstanceOf(cls);
  expect((err as Error).constructor, `${fn} should throw exactly ${cls.name}, not a subclass`).toBe(cls);
  const msg = (err as Error).message;
  expect(msg.startsWith(`${fn}: `), msg).toBe(true);
  for (const w of words) {
    if (typeof w === 'string') expect(msg, msg).toContain(w);
    else expect(msg, msg).toMatch(w);
  }
}

const f64 = (...v: number[]) => new Float64Array(v);

describe.each(BACKENDS)('%s', (backend) => {
  const p = f64(0.2, 0.8, 0.5, 0.5), z = f64(1, 2, 3, 0.5, -1, 2);
  const y = new Int32Array([2, 0]);

  it('cols: a positive integer that divides the length', () => {
    for (const cols of [0, -2, 1.5, NaN, Infinity]) throws(() => ik.entropy(p, { cols, backend }), RangeError, 'entropy', 'cols');
    throws(() => ik.entropy(p, { cols: 3, backend }), RangeError, 'entropy', 'cols = 3', 'length 4');
    throws(() => ik.entropy(p, { cols: '2' as never, backend }), RangeError, 'entropy', 'cols');
    expect(ik.entropy(p, { cols: 4, backend }).length).toBe(1);
    expect(ik.entropy(p, { cols: 1, backend }).length).toBe(4);
    expect(ik.entropy(p, { backend }).length).toBe(1);
  });

  it('base: finite, > 0, != 1; e and undefined mean nats', () => {
    for (const base of [0, -2, 1, NaN, Infinity]) throws(() => ik.entropy(p, { cols: 2, base, backend }), RangeError, 'entropy', 'base');
    expectClose(ik.entropy(p, { cols: 2, base: Math.E, backend }), ref.entropy(p, 2), F64, 'base e');
    expectClose(ik.entropy(p, { cols: 2, base: 0.5, backend }), ref.entropy(p, 2, { base: 0.5 }), F64, 'base 0.5');
    expectClose(ik.logSumExp(z, { cols: 3, base: 2, backend }), ref.logSumExp(z, 3, { base: 2 }), F64, 'lse base 2');
    expectClose(ik.softmaxEntropy(z, { cols: 3, base: 10, backend }), ref.softmaxEntropy(z, 3, { base: 10 }), F64, 'softmaxEntropy base 10');
    expectClose(ik.jointEntropy(p, { cols: 2, base: 2, backend }), ref.jointEntropy(p, 2, { base: 2 }), F64, 'joint base 2');
    expectClose(ik.mutualInformation(f64(3, 1, 1, 3), { cols: 2, base: 2, backend }), ref.mutualInformation([3, 1, 1, 3], 2, { base: 2 }), F64, 'MI base 2');
    expectClose(ik.gaussianEntropy(2, { base: 2 }), ref.gaussianEntropy(2, 2), F64, 'gaussian base 2');
  });

  it('reduction: one of the listed values; out only with none, a Float64Array of the result length', () => {
    throws(() => ik.entropy(p, { cols: 2, reduction: 'avg' as never, backend }), RangeError, 'entropy', 'reduction');
    throws(() => ik.distillationLoss(z, z, { cols: 3, temperature: 1, reduction: 'mean' as never, backend }), RangeError, 'distillationLoss', 'reduction');
    throws(() => ik.entropy(p, { cols: 2, out: new Float64Array(3), backend }), RangeError, 'entropy', 'out');
    throws(() => ik.entropy(p, { cols: 2, out: new Float32Array(2) as never, backend }), TypeError, 'entropy', 'out');
    throws(() => ik.entropy(p, { cols: 2, reduction: 'sum', out: new Float64Array(2), backend }), RangeError, 'entropy', 'out');
    const out = new Float64Array(2);
    expect(ik.entropy(p, { cols: 2, out, backend })).toBe(out);
    expectClose(out, ref.entropy(p, 2), F64, 'out');
    const lossOut = new Float64Array(2);
    expect(ik.softmaxCrossEntropy(z, y, { cols: 3, reduction: 'none', out: lossOut, backend })).toBe(lossOut);
    expectClose(lossOut, ref.softmaxCrossEntropy(z, y, 3, { reduction: 'none' }) as number[], F64, 'loss out');
    throws(() => ik.softmax(z, { cols: 3, out: new Float32Array(6) as never, backend }), TypeError, 'softmax', 'out');
    throws(() => ik.softmax(z, { cols: 3, out: new Float64Array(5), backend }), RangeError, 'softmax', 'out');
    const sm = new Float64Array(6);
    expect(ik.logSoftmax(z, { cols: 3, out: sm, backend })).toBe(sm);
    expectClose(sm, ref.logSoftmax(z, 3), F64, 'logSoftmax out');
  });

  it('array arguments: float arrays of one element type and matching lengths; Int32Array labels', () => {
    throws(() => ik.entropy([0.5, 0.5] as never, { backend }), TypeError, 'entropy', 'p');
    throws(() => ik.crossEntropy(p, new Float32Array(4) as never, { backend }), TypeError, 'crossEntropy', 'q');
    throws(() => ik.crossEntropy(p, f64(1, 2), { backend }), RangeError, 'crossEntropy', 'q', 'length');
    throws(() => ik.softmaxCrossEntropy(z, new Int32Array([1]), { cols: 3, backend }), RangeError, 'softmaxCrossEntropy', 'target');
    throws(() => ik.softmaxCrossEntropy(z, [1, 2] as never, { cols: 3, backend }), TypeError, 'softmaxCrossEntropy', 'target');
    throws(() => ik.nllLoss(z, new Float64Array(2) as never, { cols: 3, backend }), TypeError, 'nllLoss', 'target');
    throws(() => ik.nllLoss(z, new Int32Array(3), { cols: 3, backend }), RangeError, 'nllLoss', 'target');
    throws(() => ik.oneHot([1] as never, 3), TypeError, 'oneHot', 'labels');
    throws(() => ik.gaussianEntropy('1' as never), TypeError, 'gaussianEntropy');
  });

  it('temperature: finite and > 0 (within the supported range)', () => {
    for (const temperature of [0, -1, NaN, Infinity]) {
      throws(() => ik.softmax(z, { cols: 3, temperature, backend }), RangeError, 'softmax', 'temperature');
      throws(() => ik.softmaxCrossEntropy(z, y, { cols: 3, temperature, backend }), RangeError, 'softmaxCrossEntropy', 'temperature');
      throws(() => ik.distillationLoss(z, z, { cols: 3, temperature, backend }), RangeError, 'distillationLoss', 'temperature');
    }
    throws(() => ik.distillationLoss(z, z, { cols: 3, backend } as never), RangeError, 'distillationLoss', 'temperature');
    expectClose(ik.softmaxEntropy(z, { cols: 3, temperature: 1e-3, backend }), ref.softmaxEntropy(z, 3, { temperature: 1e-3 }), F64, 'T = 1e-3');
    expectClose(ik.logSumExp(z, { cols: 3, temperature: 1e3, backend }), ref.logSumExp(z, 3, { temperature: 1e3 }), F64, 'T = 1e3');
  });

  it('labelSmoothing and smoothing in [0, 1], both ends accepted; beta finite', () => {
    for (const labelSmoothing of [-1e-9, 1.0000001, NaN]) throws(() => ik.softmaxCrossEntropy(z, y, { cols: 3, labelSmoothing, backend }), RangeError, 'softmaxCrossEntropy', 'labelSmoothing');
    for (const labelSmoothing of [0, 1]) {
      expectClose(ik.softmaxCrossEntropy(z, y, { cols: 3, labelSmoothing, reduction: 'none', backend }), ref.softmaxCrossEntropy(z, y, 3, { labelSmoothing, reduction: 'none' }) as number[], F64, `eps ${labelSmoothing}`);
    }
    throws(() => ik.oneHot(new Int32Array([0]), 2, { smoothing: -0.1 }), RangeError, 'oneHot', 'smoothing');
    for (const beta of [NaN, Infinity, undefined]) throws(() => ik.entropyRegularizedLoss(z, y, { cols: 3, beta: beta as number, backend }), RangeError, 'entropyRegularizedLoss', 'beta');
  });

  it('ignoreIndex and class counts are integers; class indices in [0, cols) or ignoreIndex', () => {
    for (const ignoreIndex of [1.5, NaN, '1' as never]) {
      throws(() => ik.softmaxCrossEntropy(z, y, { cols: 3, ignoreIndex, backend }), RangeError, 'softmaxCrossEntropy', 'ignoreIndex');
      throws(() => ik.nllLoss(z, y, { cols: 3, ignoreIndex, backend }), RangeError, 'nllLoss', 'ignoreIndex');
    }
    for (const cols of [0, 2.5, NaN, -1]) throws(() => ik.oneHot(new Int32Array([0]), cols), RangeError, 'oneHot', 'cols');
    throws(() => ik.softmaxCrossEntropy(z, new Int32Array([3, 0]), { cols: 3, backend }), RangeError, 'softmaxCrossEntropy', 'target[0] = 3');
    throws(() => ik.softmaxCrossEntropy(z, new Int32Array([0, -1]), { cols: 3, backend }), RangeError, 'softmaxCrossEntropy', 'target[1] = -1');
    throws(() => ik.nllLoss(z, new Int32Array([0, 3]), { cols: 3, backend }), RangeError, 'nllLoss', 'target[1] = 3');
    throws(() => ik.oneHot(new Int32Array([0, -1]), 3), RangeError, 'oneHot', 'labels[1] = -1');
    // the edges: index cols - 1 and 0, and ignoreIndex equal to a valid class
    expectClose(ik.softmaxCrossEntropy(z, new Int32Array([2, 0]), { cols: 3, ignoreIndex: 0, reduction: 'none', backend }),
      ref.softmaxCrossEntropy(z, new Int32Array([2, 0]), 3, { ignoreIndex: 0, reduction: 'none' }) as number[], F64, 'ignore class 0');
    expect(ik.softmaxCrossEntropy(z, new Int32Array([0, 0]), { cols: 3, ignoreIndex: 0, backend })).toBeNaN(); // all ignored: mean NaN
    expect(ik.nllLoss(z, new Int32Array([0, 0]), { cols: 3, ignoreIndex: 0, reduction: 'sum', backend })).toBe(0);
  });

  it('weights: one per class (cols) for CE and nll; per element or per class for BCE', () => {
    throws(() => ik.softmaxCrossEntropy(z, y, { cols: 3, weight: f64(1, 2), backend }), RangeError, 'softmaxCrossEntropy', 'weight');
    throws(() => ik.nllLoss(z, y, { cols: 3, weight: f64(1, 2, 3, 4), backend }), RangeError, 'nllLoss', 'weight');
    throws(() => ik.binaryCrossEntropy(p, p, { cols: 2, weight: f64(1, 2, 3), backend }), RangeError, 'binaryCrossEntropy', 'weight');
    throws(() => ik.binaryCrossEntropyWithLogits(p, p, { cols: 2, posWeight: f64(1, 2, 3), backend }), RangeError, 'binaryCrossEntropyWithLogits', 'posWeight');
    // f32 weights with f64 input (converted), per class and per element
    const t = f64(1, 0, 0.5, 1);
    expectClose(ik.binaryCrossEntropy(p, t, { cols: 2, weight: new Float32Array([2, 0.5]), reduction: 'none', backend }),
      ref.binaryCrossEntropy(p, t, 2, { weight: [2, 0.5], reduction: 'none' }) as number[], F64, 'BCE class weight');
    expectClose(ik.binaryCrossEntropyWithLogits(z.subarray(0, 4), t, { weight: f64(1, 2, 3, 4), posWeight: f64(2, 2, 3, 3), reduction: 'none', backend }),
      ref.binaryCrossEntropyWithLogits(z.subarray(0, 4), t, 4, { weight: [1, 2, 3, 4], posWeight: [2, 2, 3, 3], reduction: 'none' }) as number[], F64, 'BCE logits element weights');
  });

  it('mostUncertain: k an integer in [0, rows]; fromLogits ranks by the softmax entropy', () => {
    for (const k of [-1, 3, 1.5, NaN]) expect(() => ik.mostUncertain(p, { cols: 2, k, backend })).toThrow(RangeError);
    expect(Array.from(ik.mostUncertain(p, { cols: 2, k: 0, backend }))).toEqual([]);
    expect(Array.from(ik.mostUncertain(p, { cols: 2, k: 2, backend }))).toEqual([1, 0]);
    const zz = f64(5, 0, 0, 1, 1, 1, 0, 2, 0);
    const h = ref.softmaxEntropy(zz, 3, { temperature: 3 });
    const order = [0, 1, 2].sort((a, b) => h[b] - h[a]);
    expect(Array.from(ik.mostUncertain(zz, { cols: 3, k: 3, fromLogits: true, temperature: 3, backend }))).toEqual(order);
    // ties keep the lower index first, whatever the heap does
    const tied = f64(0.5, 0.5, 1, 0, 0.5, 0.5, 0.5, 0.5, 1, 0);
    expect(Array.from(ik.mostUncertain(tied, { cols: 2, k: 3, backend }))).toEqual([0, 2, 3]);
    expect(Array.from(ik.mostUncertain(tied, { cols: 2, k: 5, backend }))).toEqual([0, 2, 3, 1, 4]);
    // NaN rows (check: false) rank above every number, two of them by index; check on: a RangeError
    const withNaN = f64(0.5, 0.5, NaN, 0.5, 1, 0, 0.2, NaN, 0.9, 0.1);
    expect(Array.from(ik.mostUncertain(withNaN, { cols: 2, k: 5, check: false, backend }))).toEqual([1, 3, 0, 4, 2]);
    expect(Array.from(ik.mostUncertain(withNaN, { cols: 2, k: 2, check: false, backend }))).toEqual([1, 3]);
    expect(() => ik.mostUncertain(withNaN, { cols: 2, k: 2, backend })).toThrow(RangeError);
    // k = rows, and rows given in increasing entropy (the heap replaces its root every time)
    const rising = f64(1, 0, 0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.5, 0.5);
    expect(Array.from(ik.mostUncertain(rising, { cols: 2, k: 5, backend }))).toEqual([4, 3, 2, 1, 0]);
    expect(Array.from(ik.mostUncertain(rising, { cols: 2, k: 2, backend }))).toEqual([4, 3]);
    expect(Array.from(ik.mostUncertain(rising.slice().reverse(), { cols: 2, k: 3, backend }))).toEqual([0, 1, 2]);
  });

  it('messages show the offending value: -0, strings, null, undefined, arrays, objects, functions', () => {
    throws(() => ik.entropy(p, { cols: -0, backend }), RangeError, 'entropy', 'cols = -0 ');
    throws(() => ik.entropy(p, { cols: '2' as never, backend }), RangeError, 'entropy', 'cols = "2" ');
    throws(() => ik.entropy(p, { cols: null as never, backend }), RangeError, 'entropy', 'cols = null ');
    throws(() => ik.entropy(p, { cols: 2, reduction: null as never, backend }), RangeError, 'entropy', 'reduction = null ');
    throws(() => ik.entropy(undefined as never, { backend }), TypeError, 'entropy', /got undefined$/);
    throws(() => ik.entropy(null as never, { backend }), TypeError, 'entropy', /got null$/);
    throws(() => ik.entropy([0.5, 0.5] as never, { backend }), TypeError, 'entropy', /got Array$/);
    throws(() => ik.entropy(new Int32Array(2) as never, { backend }), TypeError, 'entropy', /got Int32Array$/);
    throws(() => ik.entropy(new Map() as never, { backend }), TypeError, 'entropy', /got Map$/);
    throws(() => ik.entropy(Object.create(null) as never, { backend }), TypeError, 'entropy', /got Object$/);
    throws(() => ik.entropy((() => 1) as never, { backend }), TypeError, 'entropy', /got function$/);
    throws(() => ik.entropy(3 as never, { backend }), TypeError, 'entropy', /got 3$/);
    throws(() => ik.entropy('p' as never, { backend }), TypeError, 'entropy', /got "p"$/);
    throws(() => ik.gaussianEntropy([1] as never), TypeError, 'gaussianEntropy', 'sigma', 'Float64Array');
    // 0 and 1 are probabilities: the first bad one is named
    throws(() => ik.binaryEntropy(f64(0, 1, 1.5), { backend }), RangeError, 'binaryEntropy', 'p[2] = 1.5 ');
    throws(() => ik.binaryCrossEntropy(f64(1, 0, -0.5), f64(1, 1, 1), { backend }), RangeError, 'binaryCrossEntropy', 'prob[2] = -0.5 ');
    expect(() => ik.mostUncertain(p, undefined as never)).toThrow(RangeError); // k is required
  });

  it('gaussianEntropy: sigma > 0, element-wise over arrays, with the index of a bad element', () => {
    for (const s of [0, -1, NaN]) throws(() => ik.gaussianEntropy(s), RangeError, 'gaussianEntropy', 'sigma');
    throws(() => ik.gaussianEntropy(f64(1, 0)), RangeError, 'gaussianEntropy', 'sigma[1]');
    expectClose(ik.gaussianEntropy(new Float32Array([0.5, 4])), [ref.gaussianEntropy(0.5), ref.gaussianEntropy(4)], F64, 'f32 sigma');
  });

  it('check: false skips only the value scan (NaN out, no throw); shapes are still checked', () => {
    const bad = f64(0.5, -0.5, 0.5, 0.5);
    expect(Number.isNaN(ik.entropy(bad, { cols: 2, check: false, backend })[0])).toBe(true);
    expect(ik.entropy(bad, { cols: 2, check: false, backend })[1]).toBeCloseTo(Math.LN2, 12);
    expect(ik.crossEntropy(bad, p, { cols: 2, check: false, backend })[0]).toBeNaN();
    expect(ik.klDivergence(p, bad, { cols: 2, check: false, backend })[0]).toBeNaN();
    expect(ik.jsDivergence(bad, p, { cols: 2, check: false, backend })[0]).toBeNaN();
    expect(ik.surprisal(bad, { check: false, backend })[1]).toBeNaN();
    expect(ik.mutualInformation(bad, { cols: 2, check: false, backend })).toBeNaN();
    expect(ik.jointEntropy(bad, { cols: 2, check: false, backend })).toBeNaN();
    // a negative probability target: the row's loss is NaN, not a plausible number
    const loss = ik.softmaxCrossEntropy(z, f64(0.5, 0.5, 0, 1, -1, 1), { cols: 3, check: false, reduction: 'none', backend });
    expect(loss[1]).toBeNaN();
    expectClose(loss[0], (ref.softmaxCrossEntropy(z, [0.5, 0.5, 0, 1, -1, 1], 3, { reduction: 'none' }) as number[])[0], F64, 'row 0');
    throws(() => ik.entropy(bad, { cols: 3, check: false, backend }), RangeError, 'entropy', 'cols');
  });
});
