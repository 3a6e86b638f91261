// allocBatch before ready() (this file's own module instance: nothing has loaded WASM yet) gives a batch in an
// ordinary array, with the same lifecycle: view, free() once, a clear error after (src/batch.ts, API.md).
import { describe, expect, it } from 'vitest';
import * as ik from '../src/index.js';

describe('a batch made before the WASM builds load', () => {
  it('lives in an ordinary array and frees like one in WASM memory', () => {
    const b = ik.allocBatch(Float64Array, 2, 3);
    expect(b.view.buffer).toBeInstanceOf(ArrayBuffer);
    expect(b.view.length).toBe(6);
    b.view.set([0.5, 0.5, 0, 0.25, 0.25, 0.5]);
    const h = ik.entropy(b.view, { cols: 3, base: 2, backend: 'js' }); // 1 bit, 1.5 bits
    expect(h[0]).toBeCloseTo(1, 14);
    expect(h[1]).toBeCloseTo(1.5, 14);
    b.free();
    expect(() => b.view).toThrow('infokernel: batch.view: this batch was freed; allocate a new one with allocBatch');
    expect(() => b.free()).toThrow('infokernel: batch.free(): this batch was freed; allocate a new one with allocBatch');
  });
});
