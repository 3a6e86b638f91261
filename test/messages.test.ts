// How calls cross threads, checked without workers: the argument encoding of asynchronous calls
// (src/threads/messages.ts: views of shared memory by reference, other arrays copied into it,
// results transferred) and the row-split table of the threaded kernels (src/threads/methods.ts:
// which part of each argument a block of rows covers). threads.test.ts runs both end to end;
// here each rule is pinned on its own, so a slip that the end-to-end results happen to absorb
// (a copy instead of a reference, a transfer of a shared buffer) still fails.
import { describe, expect, it } from 'vitest';
import { BatchHandle } from '../src/batch.js';
import { decodeArgs, encodeArgs, encodeResult, optionsOf, shareArgs, type Place } from '../src/threads/messages.js';
import { isOutput, mapArrays, runBlock, shapeOf, type Arg, type Typed } from '../src/threads/methods.js';
import type { Kernels } from '../src/backend/kernels.js';

const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
const sharedBuf = memory.buffer;
const isShared = (b: ArrayBufferLike) => b === sharedBuf;

describe('messages: arguments of asynchronous calls', () => {
  const f32 = new Float32Array(sharedBuf, 64, 10), f64 = new Float64Array(sharedBuf, 128, 3), i32 = new Int32Array(sharedBuf, 256, 5);

  it('views of shared memory cross as references (type code, offset, length); other values as they are', () => {
    const plain = new Float64Array(4);
    const enc = encodeArgs([f32, f64, i32, plain, 3, null, undefined], isShared);
    expect(enc.slice(0, 3)).toEqual([
      { $infokernelView: 0, byteOffset: 64, length: 10 },
      { $infokernelView: 1, byteOffset: 128, length: 3 },
      { $infokernelView: 2, byteOffset: 256, length: 5 },
    ]);
    expect(enc[3]).toBe(plain);
    expect(enc.slice(4)).toEqual([3, null, undefined]);
    // a shared Uint8Array is not an argument type: left for the call to reject
    const u8 = new Uint8Array(sharedBuf, 0, 4);
    expect(encodeArgs([u8], isShared)[0]).toBe(u8);
  });

  it('an options object\'s values are encoded; a batch crosses as its view', () => {
    const batch = new BatchHandle<Float64Array>(2, 2, Float64Array, null, 0);
    const opts = { cols: 2, out: f64, weight: f32 };
    const enc = encodeArgs([batch, opts], isShared);
    expect(enc[0]).toBe(batch.view);
    expect(enc[1]).toEqual({ cols: 2, out: { $infokernelView: 1, byteOffset: 128, length: 3 }, weight: { $infokernelView: 0, byteOffset: 64, length: 10 } });
    expect(opts.out).toBe(f64); // the caller's options are not changed
    // not a plain object (a class instance): left as it is
    class Box { x = f32; }
    const box = new Box();
    expect(encodeArgs([box], isShared)[0]).toBe(box);
  });

  it('decoded in the worker: each reference is a view of the same bytes, of the same type', () => {
    f32.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    i32.set([5, 4, 3, 2, 1]);
    const dec = decodeArgs(encodeArgs([f32, 7, { cols: 5, target: i32, flag: true }, null, undefined, 'x'], isShared), memory);
    expect(dec.slice(3)).toEqual([null, undefined, 'x']);
    const a = dec[0] as Float32Array, o = dec[2] as { cols: number; target: Int32Array; flag: boolean };
    expect(a).toBeInstanceOf(Float32Array);
    expect([a.byteOffset, a.length, a.buffer === memory.buffer]).toEqual([64, 10, true]);
    expect(Array.from(a)).toEqual(Array.from(f32));
    expect(dec[1]).toBe(7);
    expect(o.target).toBeInstanceOf(Int32Array);
    expect(Array.from(o.target)).toEqual([5, 4, 3, 2, 1]);
    expect([o.cols, o.flag]).toEqual([5, true]);
  });

  it('shareArgs: arrays outside shared memory are placed (out without its values), shared ones and repeats are not', () => {
    const p = new Float64Array([0.5, 0.5]), y = new Int32Array([1]), out = new Float64Array(1), w = new Float32Array(2);
    const placed: [Typed, boolean][] = [], copies: Typed[] = [];
    const place: Place = (a, isOut) => {
      placed.push([a, isOut]);
      copies.push(new (a.constructor as new (n: number) => Typed)(a.length));
      return copies[copies.length - 1];
    };
    const moved = shareArgs([p, p, y, f32, { cols: 2, out, weight: w, posWeight: f32 }], isShared, place)!;
    const name = (a: Typed) => (a === p ? 'p' : a === y ? 'y' : a === out ? 'out' : a === w ? 'w' : '?');
    expect(placed.map(([a, o]) => [name(a), o])).toEqual([['p', false], ['y', false], ['w', false], ['out', true]]);
    expect(moved[0]).toBe(copies[0]);
    expect(moved[1]).toBe(copies[0]); // one copy of an array passed twice
    expect(moved[2]).toBe(copies[1]);
    expect(moved[3]).toBe(f32);
    const o = moved[4] as { cols: number; out: Float64Array; weight: Float32Array; posWeight: Float32Array };
    expect(o.weight).toBe(copies[2]);
    expect(o.out).toBe(copies[3]);
    expect([o.cols, o.posWeight]).toEqual([2, f32]);
  });

  it('shareArgs: null when there is no room, or when out shares a buffer with an input (the call checks that overlap)', () => {
    const p = new Float64Array(4);
    expect(shareArgs([p, { cols: 2 }], isShared, () => null)).toBeNull();
    const place: Place = (a) => new (a.constructor as new (n: number) => Typed)(a.length);
    expect(shareArgs([p.subarray(0, 2), { cols: 2, out: p.subarray(2, 3) }], isShared, place)).toBeNull();
    expect(shareArgs([new Float64Array(2), p.subarray(0, 2), { cols: 2, out: p.subarray(2, 3) }], isShared, place)).toBeNull(); // any input
    // out in shared memory beside an input outside it: placed as usual
    expect(shareArgs([p, { cols: 2, out: f64.subarray(0, 2) }], isShared, place)).not.toBeNull();
  });

  it('encodeResult transfers only a whole fresh buffer', () => {
    const fresh = new Float64Array(3);
    const [v, t] = encodeResult(fresh);
    expect(v).toBe(fresh);
    expect(t).toEqual([fresh.buffer]);
    expect(encodeResult(fresh.subarray(1))[1]).toEqual([]); // part of a buffer: the rest may be in use
    expect(encodeResult(new Float64Array(fresh.buffer, 0, 2))[1]).toEqual([]);
    expect(encodeResult(f64)[1]).toEqual([]); // shared memory is never transferred
    expect(encodeResult(new Float64Array(new SharedArrayBuffer(16)))[1]).toEqual([]); // (postMessage would throw)
    expect(encodeResult(1.5)).toEqual([1.5, []]);
  });

  it('optionsOf: the last argument when it is a plain object', () => {
    const o = { cols: 3 };
    expect(optionsOf([f32, o])).toBe(o);
    expect(optionsOf([f32])).toBeUndefined();
    expect(optionsOf([f32, null])).toBeUndefined();
    expect(optionsOf([f32, 3])).toBeUndefined();
    expect(optionsOf([f32, 'x'])).toBeUndefined();
    expect(optionsOf([o, f32])).toBeUndefined();
    expect(optionsOf([new BatchHandle<Float32Array>(1, 1, Float32Array, null, 0)])).toBeUndefined();
    expect(optionsOf([])).toBeUndefined();
  });
});

describe('methods: the part of each argument a block of rows covers', () => {
  const rows = 5, cols = 3;
  const z = Float32Array.from({ length: rows * cols }, (_, i) => i), y = Int32Array.from({ length: rows }, (_, i) => i);
  const w = new Float32Array(cols).fill(2), out = new Float64Array(rows);
  const ranges = (method: Parameters<typeof mapArrays>[0], args: Arg[], r0: number, n: number) => {
    const seen: [string, number, number][] = [];
    const names = new Map<unknown, string>([[z, 'z'], [y, 'y'], [w, 'w'], [out, 'out']]);
    const mapped = mapArrays(method, args, r0, n, (a, kind, from, to) => {
      seen.push([`${names.get(a) ?? '?'}:${kind}`, from, to]);
      return a.subarray(from, to);
    });
    return { seen, mapped };
  };

  it('rows x cols arrays by rows, per-row arrays by row, per-class arrays whole; the rows argument becomes the block\'s', () => {
    const { seen, mapped } = ranges('classCrossEntropy', [z, y, w, rows, cols, 1, 0, -100, 3, 1, out], 1, 3);
    expect(seen).toEqual([['z:M', 3, 12], ['y:R', 1, 4], ['w:C', 0, 3], ['out:Ro', 1, 4]]);
    expect(mapped[3]).toBe(3); // rows
    expect(mapped.slice(4, 10)).toEqual([cols, 1, 0, -100, 3, 1]);
    expect(Array.from(mapped[0] as Float32Array)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('a weight array is laid out by its mode: 1 as the batch, else per class', () => {
    const pe = new Float32Array(rows * cols);
    const byElement = ranges('bce', [z, z, pe, 1, rows, cols, out], 2, 2).seen;
    expect(byElement[2]).toEqual(['?:M', 6, 12]);
    const byClass = ranges('bce', [z, z, w, 2, rows, cols, out], 2, 2).seen;
    expect(byClass[2]).toEqual(['w:C', 0, 3]);
    // bceLogits: the weight and posWeight each by their own mode
    const both = ranges('bceLogits', [z, z, w, 2, pe, 1, rows, cols, out], 1, 1).seen;
    expect(both.slice(2, 4)).toEqual([['w:C', 0, 3], ['?:M', 3, 6]]);
    expect(both[4]).toEqual(['out:Mo', 3, 6]);
  });

  it('softmax statistics: each per-row array present is cut by rows, absent ones stay absent', () => {
    const m = new Float64Array(rows), ls = new Float64Array(rows);
    const { mapped } = ranges('softmaxStats', [z, null, null, rows, cols, 1, 0, 0, { m, ls }], 2, 3);
    const s = mapped[8] as { m: Float64Array; ls: Float64Array; h?: Float64Array };
    expect([s.m.byteOffset, s.m.length, s.ls.byteOffset, s.ls.length]).toEqual([16, 3, 16, 3]);
    expect(s.m.buffer).toBe(m.buffer);
    expect('h' in s).toBe(false);
    expect([mapped[1], mapped[2]]).toEqual([null, null]);
  });

  it('shapeOf: element-wise kernels are one column of all their values', () => {
    expect(shapeOf('surprisal', [z, 1, out])).toEqual({ rows: rows * cols, cols: 1 });
    expect(shapeOf('entropy', [z, rows, cols, 1, out])).toEqual({ rows, cols });
    expect(shapeOf('classCrossEntropy', [z, y, w, rows, cols, 1, 0, -100, 3, 1, out])).toEqual({ rows, cols });
    expect(ranges('surprisal', [z, 1, out], 4, 6).seen).toEqual([['z:M', 4, 10], ['out:Ro', 4, 10]]);
  });

  it('isOutput: the kernel writes Mo, Ro and S; reads the rest', () => {
    expect((['M', 'Mo', 'R', 'Ro', 'C', 'W', 'S', 'rows', 'cols', 'n'] as const).filter(isOutput)).toEqual(['Mo', 'Ro', 'S']);
  });

  it('runBlock: block b covers rows [b step, min(n, (b + 1) step)), the last one short', () => {
    const calls: unknown[][] = [];
    const k = { entropy: (...a: unknown[]) => { calls.push(a); return true; } } as unknown as Kernels;
    expect(runBlock(k, 'entropy', [z, rows, cols, 0.5, out], rows, 2, 2)).toBe(true);
    const [p, n, c, scale, o] = calls[0] as [Float32Array, number, number, number, Float64Array];
    expect([p.byteOffset / 4, p.length, n, c, scale, o.byteOffset / 8, o.length]).toEqual([12, 3, 1, 3, 0.5, 4, 1]);
    runBlock(k, 'entropy', [z, rows, cols, 0.5, out], rows, 2, 0);
    expect([(calls[1][0] as Float32Array).length, calls[1][1]]).toEqual([6, 2]);
  });
});
