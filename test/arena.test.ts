// The arena (src/backend/wasm/arena.ts) on its own, over a WebAssembly.Memory made here:
// the scratch layout and its bound, the batch allocator against an independent model of
// first fit, growth and its failure, and which buffers it recognises as its memory's.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Arena, SCRATCH_BYTES, SLACK } from '../src/backend/wasm/arena.js';
import { expectThrows } from './support/assert.js';

const PAGE = 65536;
const MiB8 = SCRATCH_BYTES / PAGE; // pages of scratch (the scratch is a whole number of pages)
const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** An arena whose scratch starts at offset 0 and ends exactly at the memory's end. */
function exactArena(maximum?: number) {
  const memory = new WebAssembly.Memory(maximum === undefined ? { initial: MiB8 } : { initial: MiB8, maximum });
  return { memory, arena: new Arena(memory, 0) };
}

describe('Arena.layout: the per-call regions', () => {
  it('lays regions out from the aligned heap base, each followed by its slack', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const arena = new Arena(memory, 1000);
    expect(arena.layout([10, 64, 1])).toEqual([1008, 1008 + align16(10 + SLACK), 1008 + align16(10 + SLACK) + align16(64 + SLACK)]);
    expect(memory.buffer.byteLength).toBe(PAGE); // it fitted: no growth
  });

  it('accepts a layout that ends exactly at the scratch end and rejects one 16 bytes past it', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const arena = new Arena(memory, 1000); // base 1008: the message counts from it
    expect(arena.layout([SCRATCH_BYTES - SLACK])).toEqual([1008]);
    expectThrows(() => arena.layout([SCRATCH_BYTES - SLACK + 1]), Error,
      /^infokernel: internal: a call laid out 8388624 bytes of scratch \(> 8388608\)$/);
  });

  it('does not touch the buffer when the memory is exactly large enough (grow(0) would detach it)', () => {
    const { memory, arena } = exactArena();
    const before = memory.buffer;
    arena.layout([SCRATCH_BYTES - SLACK]);
    expect(memory.buffer).toBe(before);
    expect(before.byteLength).toBe(SCRATCH_BYTES);
  });

  it('grows the memory to hold the layout, by whole pages', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const arena = new Arena(memory, 0);
    arena.layout([3 * PAGE]);
    expect(memory.buffer.byteLength).toBe(4 * PAGE); // 3 pages + 32 bytes of slack
  });
});

describe('Arena.alloc / release: batches above the scratch', () => {
  it('a memory that cannot grow gives a RangeError naming the bytes needed', () => {
    const { arena } = exactArena(MiB8);
    expectThrows(() => arena.alloc(1), RangeError,
      /^infokernel: a call needs 8388656 bytes of WebAssembly memory, more than this engine allows$/);
  });

  it('release is true once per live batch and false after (or for an offset never allocated)', () => {
    const { arena } = exactArena();
    const a = arena.alloc(100);
    expect(arena.release(a + 16)).toBe(false);
    expect(arena.release(a)).toBe(true);
    expect(arena.release(a)).toBe(false);
    expect(arena.alloc(100)).toBe(a); // the double release left nothing behind
    expect(arena.alloc(100)).toBe(a + align16(100 + SLACK));
  });

  it('reuses a freed gap first fit, splits it, and merges neighbours freed in any order', () => {
    const { arena } = exactArena();
    const s = align16(1000 + SLACK);
    const [a, b, c, d] = [0, 1, 2, 3].map(() => arena.alloc(1000));
    expect([a, b, c, d]).toEqual([0, 1, 2, 3].map((i) => SCRATCH_BYTES + i * s));
    arena.release(c);
    arena.release(a); // freed out of address order: the lower gap is still found first
    expect(arena.alloc(1000)).toBe(a);
    expect(arena.alloc(10)).toBe(c); // c's gap, exactly as large as a batch of 1000: first fit
    expect(arena.alloc(10)).toBe(c + align16(10 + SLACK)); // the rest of c's gap
    arena.release(b);
    // b's gap [b, c) does not merge across the live batch at c: a batch of 2 * 1000 goes to the top
    expect(arena.alloc(2 * s - SLACK)).toBe(d + s);
  });

  it('merges a freed batch with the gaps on both sides, and the highest gap returns to the top', () => {
    const { arena } = exactArena();
    const s = align16(1000 + SLACK);
    const [a, b, c] = [0, 1, 2].map(() => arena.alloc(1000));
    arena.release(a);
    arena.release(c); // the highest: the top comes down to c
    expect(arena.alloc(5000)).toBe(c);
    arena.release(c);
    arena.release(b); // [a, b) + [b, c) + top: everything is free again
    expect(arena.alloc(3 * s - SLACK)).toBe(a);
  });

  it('inBatch: the batch\'s own bytes, not its slack and not across two batches', () => {
    const { arena } = exactArena();
    const a = arena.alloc(100), b = arena.alloc(100);
    const usable = align16(100 + SLACK) - SLACK;
    expect(arena.inBatch(a, usable)).toBe(true);
    expect(arena.inBatch(a + 8, usable - 8)).toBe(true);
    expect(arena.inBatch(a, usable + 1)).toBe(false);
    expect(arena.inBatch(b - 4, 8)).toBe(false);
    expect(arena.inBatch(a - 16, 16)).toBe(false);
    arena.release(a);
    expect(arena.inBatch(a, 4)).toBe(false);
  });

  // The model is the specification without the gap list: a batch goes to the lowest address
  // above the scratch where its aligned size fits between live batches, else above the highest.
  it('matches first fit over the live batches for any sequence of allocations and releases', () => {
    const op = fc.oneof(
      fc.record({ alloc: fc.integer({ min: 1, max: 5000 }) }),
      fc.record({ release: fc.nat() }),
    );
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
      const memory = new WebAssembly.Memory({ initial: 1 });
      const arena = new Arena(memory, 40);
      const base = 48;
      const live = new Map<number, number>(); // ptr -> aligned size
      for (const o of ops) {
        if ('alloc' in o) {
          const size = align16(o.alloc + SLACK);
          let want = base + SCRATCH_BYTES;
          for (const [p, sz] of [...live].sort((x, y) => x[0] - y[0])) {
            if (p - want >= size) break;
            want = Math.max(want, p + sz);
          }
          expect(arena.alloc(o.alloc)).toBe(want);
          live.set(want, size);
          expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(want + size);
        } else {
          const ptrs = [...live.keys()];
          if (ptrs.length === 0) { expect(arena.release(base + SCRATCH_BYTES)).toBe(false); continue; }
          const p = ptrs[o.release % ptrs.length];
          expect(arena.release(p)).toBe(true);
          live.delete(p);
        }
        for (const [p, sz] of live) expect(arena.inBatch(p, sz - SLACK)).toBe(true);
      }
    }), { numRuns: 300 });
  });
});

describe('Arena: its buffers and views', () => {
  it('an unshared memory: owns its current buffer only; growth detaches the old one', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const arena = new Arena(memory, 0);
    const old = arena.buffer;
    expect(arena.owns(old)).toBe(true);
    expect(arena.owns(new ArrayBuffer(PAGE))).toBe(false);
    memory.grow(1);
    expect(arena.owns(old)).toBe(false);
    expect(arena.owns(memory.buffer)).toBe(true);
  });

  it('a shared memory: still owns the buffers it had before growing (their views stay valid)', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    const arena = new Arena(memory, 0);
    const old = arena.buffer;
    memory.grow(1);
    expect(arena.owns(old)).toBe(true);
    expect(arena.owns(memory.buffer)).toBe(true);
    expect(arena.owns(new SharedArrayBuffer(PAGE))).toBe(false);
  });

  it('works where there is no SharedArrayBuffer (a browser page that is not cross-origin isolated)', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const arena = new Arena(memory, 0);
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'SharedArrayBuffer')!;
    delete (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer;
    try {
      expect(arena.buffer).toBe(memory.buffer);
      expect(arena.owns(memory.buffer)).toBe(true);
    } finally {
      Object.defineProperty(globalThis, 'SharedArrayBuffer', saved);
    }
  });

  it('keeps one view per type until the memory grows, then makes one over the new buffer', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const arena = new Arena(memory, 0);
    const [f32, f64] = [arena.f32, arena.f64];
    expect(arena.f32).toBe(f32);
    expect(arena.f64).toBe(f64);
    expect(arena.view(true)).toBe(f64);
    expect(arena.view(false)).toBe(f32);
    memory.grow(1);
    expect(arena.f32 === f32).toBe(false); // (the old view is detached: no matcher may read it)
    expect(arena.f32.buffer).toBe(memory.buffer);
    expect(arena.f64.length).toBe(2 * PAGE / 8);
    expect(arena.byteLength).toBe(2 * PAGE);
  });

  it('write and f64At place and read values at byte offsets in their own type', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const arena = new Arena(memory, 0);
    arena.write(64, new Float64Array([1.5, -2]));
    arena.write(16, new Float32Array([3.25]));
    expect(Array.from(arena.f64At(64, 2))).toEqual([1.5, -2]);
    expect(arena.f32[4]).toBe(3.25);
  });
});
