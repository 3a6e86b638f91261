// src/measures/scratch.ts on its own (its own module instance here): the scratch arrays of a process without
// shared memory, which the Node tests otherwise never take (the threads build puts the scratch in shared memory).
import { describe, expect, it } from 'vitest';
import { BLOCK, temp, useSharedScratch } from '../src/measures/scratch.js';

describe('temp() without shared scratch', () => {
  it('gives each slot its own BLOCK-value array, reused by later calls, and views of a shared one once set', () => {
    useSharedScratch(null);
    const a = temp(0, 5), b = temp(1, 7), a2 = temp(0, 3);
    expect([a.length, b.length, a2.length]).toEqual([5, 7, 3]);
    expect(a.buffer.byteLength).toBe(BLOCK * 8);
    expect(a2.buffer).toBe(a.buffer); // slot 0 again: the same array
    expect(b.buffer).not.toBe(a.buffer);
    const view = new Float64Array(4 * BLOCK);
    useSharedScratch(view);
    const s = temp(1, 2);
    expect(s.buffer).toBe(view.buffer);
    expect(s.byteOffset).toBe(BLOCK * 8);
    useSharedScratch(null);
    expect(temp(1, 2).buffer).toBe(b.buffer);
  });
});
