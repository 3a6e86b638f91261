// The worker pool (src/threads/pool.ts) on its own, with stand-in workers (spawnWorker mocked):
// the start-up handshake and what each worker is given, a worker that fails to start (a
// 'failed' reply or an error event), results and errors of calls, calls in flight when a
// worker fails or the pool stops, and every region given back. threads.test.ts runs the pool
// with real workers; here the rare paths (a worker that cannot start, an error mid-call)
// happen on every run, in whichever order the test chooses.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkerHandle } from '../src/backend/wasm/spawn.js';

const spawned = vi.hoisted(() => [] as FakeWorker[]);
const script = vi.hoisted(() => ({ onInit: 'ready' as 'ready' | 'failed' | 'error', failAt: -1, lastReady: -1 }));

vi.mock('../src/backend/wasm/spawn.js', () => ({
  spawnWorker: async (source: string) => {
    const w = new FakeWorker(source, spawned.length);
    spawned.push(w);
    return w;
  },
}));

import { Arena, SCRATCH_BYTES, SLACK } from '../src/backend/wasm/arena.js';
import { Pool, STAGE_BYTES, type SharedBuild } from '../src/threads/pool.js';
import { controlBytes } from '../src/threads/team.js';
import { TEMP_BYTES } from '../src/measures/scratch.js';

/** A worker that answers the pool's handshake as `script` says, and records what it is sent. */
class FakeWorker implements WorkerHandle {
  readonly posted: Record<string, unknown>[] = [];
  readonly holds: boolean[] = [];
  terminated = false;
  private readonly onMsg: ((d: unknown) => void)[] = [];
  private readonly onErr: ((e: Error) => void)[] = [];
  constructor(readonly source: string, readonly index: number) {
    setTimeout(() => this.reply({ type: 'listening' })); // after the pool has listened, as worker.ts does
  }
  post(m: unknown): void {
    const msg = m as Record<string, unknown>;
    if (msg.type === 'call') structuredClone(msg); // what postMessage would throw on
    this.posted.push(msg);
    if (msg.type !== 'init') return;
    const fails = script.failAt < 0 || script.failAt === this.index;
    const outcome = fails ? script.onInit : 'ready';
    if (outcome === 'ready') setTimeout(() => this.reply({ type: 'ready' }), this.index === script.lastReady ? 20 : 0);
    else if (outcome === 'failed') setTimeout(() => this.reply({ type: 'failed', message: `worker ${this.index} could not instantiate` }));
    else if (outcome === 'error') setTimeout(() => this.fail(new Error(`worker ${this.index} crashed`)));
  }
  onMessage(l: (d: unknown) => void): void { this.onMsg.push(l); }
  onError(l: (e: Error) => void): void { this.onErr.push(l); }
  terminate(): void { this.terminated = true; }
  hold(on: boolean): void { this.holds.push(on); }
  reply(m: unknown): void { for (const l of this.onMsg) l(m); }
  fail(e: Error): void { for (const l of this.onErr) l(e); }
  calls(): Record<string, unknown>[] { return this.posted.filter((m) => m.type === 'call'); }
}

const SHORT = 4096;
let arena: Arena, allocated: Map<number, number>, released: number[];
const build = (): SharedBuild => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4096, shared: true });
  arena = new Arena(memory, 1024);
  allocated = new Map();
  released = [];
  const alloc = arena.alloc.bind(arena), release = arena.release.bind(arena);
  arena.alloc = (bytes: number) => { const p = alloc(bytes); allocated.set(p, bytes); return p; };
  arena.release = (p: number) => { released.push(p); return release(p); };
  return { module: {} as WebAssembly.Module, memory, arena, shortScratchBytes: SHORT, source: 'file:///somewhere/infokernel.threads.wasm' };
};
const tick = () => new Promise((r) => setTimeout(r, 5));

beforeEach(() => {
  spawned.length = 0;
  script.onInit = 'ready';
  script.failAt = -1;
  script.lastReady = -1;
});
afterEach(() => vi.restoreAllMocks());

describe('starting a pool', () => {
  it('gives each worker its role, index, scratch and the team after it listens, and holds it only until ready', async () => {
    const b = build();
    const pool = await Pool.start(b, 3);
    expect(spawned).toHaveLength(3);
    expect(pool.helpers).toBe(2);
    const inits = spawned.map((w) => w.posted.find((m) => m.type === 'init')!);
    expect(inits.map((m) => [m.role, m.k])).toEqual([['helper', 0], ['helper', 1], ['coordinator', 2]]);
    for (const [i, w] of spawned.entries()) {
      expect(w.source).toBe(b.source);
      expect(w.posted).toHaveLength(1); // only the init, and only after 'listening'
      expect(w.holds).toEqual([true, false]); // alive until ready, then idle workers never keep the process
      const m = inits[i];
      expect(m.module).toBe(b.module);
      expect(m.memory).toBe(b.memory);
      expect(m.layout).toEqual(pool.team.layout);
      expect(m.layout).toEqual({ ctrl: expect.any(Number), helpers: 2 });
      // every worker shares the coordinator's staging and scratch, which no other region overlaps
      expect(m.stage).toEqual(inits[0].stage);
      expect(m.temp).toBe(inits[0].temp);
    }
    // Each worker's scratch holds its short-row region, a call's scratch and the 64 bytes of
    // alignment its kernels take: no two regions handed out overlap.
    const need = SHORT + SCRATCH_BYTES + 64;
    const stage = inits[0].stage as { ptr: number; bytes: number };
    expect(stage.bytes).toBe(STAGE_BYTES);
    const regions = [
      [pool.team.layout.ctrl, controlBytes(2)], [pool.stage.ptr, pool.stage.bytes], [stage.ptr, STAGE_BYTES],
      [inits[0].temp as number, TEMP_BYTES], ...inits.map((m) => [m.base as number, need]),
    ].sort((a, c) => a[0] - c[0]);
    for (let i = 1; i < regions.length; i++) expect(regions[i][0]).toBeGreaterThanOrEqual(regions[i - 1][0] + regions[i - 1][1] + SLACK);
    for (const [ptr, bytes] of regions) expect(allocated.get(ptr)).toBe(bytes);
    expect(new Set(regions.map((r) => r[0])).size).toBe(regions.length);
    expect(pool.stage.bytes).toBe(STAGE_BYTES);
    expect(pool.heldBytes).toBe(regions.reduce((s, r) => s + r[1], 0));
    expect(new Uint8Array(b.memory.buffer, pool.team.layout.ctrl, controlBytes(2)).every((x) => x === 0)).toBe(true);
    pool.stop();
  });

  it('zeroes the control words it hands the team, whatever the memory held before', async () => {
    const b = build();
    const used = b.arena.alloc(4096); // a region another owner wrote, then gave back
    new Uint8Array(b.memory.buffer, used, 4096).fill(0xff);
    b.arena.release(used);
    const pool = await Pool.start(b, 2);
    expect(pool.team.layout.ctrl).toBe(used);
    expect(new Uint8Array(b.memory.buffer, pool.team.layout.ctrl, controlBytes(1)).every((x) => x === 0)).toBe(true);
    pool.stop();
  });

  for (const outcome of ['failed', 'error'] as const) {
    it(`rejects when a worker ${outcome === 'failed' ? "replies 'failed'" : 'emits an error'} before it is ready, and stops the others`, async () => {
      script.onInit = outcome;
      script.failAt = 1;
      const b = build();
      const start = Pool.start(b, 3);
      await expect(start).rejects.toThrow(outcome === 'failed' ? 'worker 1 could not instantiate' : 'worker 1 crashed');
      expect(spawned.every((w) => w.terminated)).toBe(true);
      // every region the pool took is given back
      expect(new Set(released)).toEqual(new Set(allocated.keys()));
      expect(b.arena.alloc(16)).toBe([...allocated.keys()].sort((x, y) => x - y)[0]);
    });
  }
});

describe('calls on the coordinator', () => {
  const started = async (threads = 2) => {
    const pool = await Pool.start(build(), threads);
    const coordinator = spawned[threads - 1];
    coordinator.holds.length = 0;
    return { pool, coordinator };
  };

  it('posts each call with its own id and settles it by that id, in any order', async () => {
    const { pool, coordinator } = await started();
    const a = pool.call('entropy', [1], 2), c = pool.call('klDivergence', [2, 3], 1);
    const [ma, mc] = coordinator.calls();
    expect(ma).toEqual({ type: 'call', id: expect.any(Number), fn: 'entropy', args: [1], threads: 2 });
    expect(mc).toMatchObject({ fn: 'klDivergence', args: [2, 3], threads: 1 });
    expect(ma.id).not.toBe(mc.id);
    coordinator.reply({ type: 'result', id: mc.id, ok: true, value: 'second' });
    coordinator.reply({ type: 'result', id: 12345, ok: true, value: 'nobody asked' });
    coordinator.reply({ type: 'result', id: ma.id, ok: true, value: 'first' });
    await expect(a).resolves.toBe('first');
    await expect(c).resolves.toBe('second');
    coordinator.reply({ type: 'result', id: ma.id, ok: true, value: 'again' }); // settled already: ignored
    pool.stop();
  });

  it('holds the coordinator while any call is in flight, and only then', async () => {
    const { pool, coordinator } = await started();
    const a = pool.call('entropy', [], 1);
    expect(coordinator.holds).toEqual([true]);
    const c = pool.call('entropy', [], 1);
    expect(coordinator.holds).toEqual([true]);
    const [ma, mc] = coordinator.calls();
    coordinator.reply({ type: 'result', id: ma.id, ok: true, value: 1 });
    expect(coordinator.holds).toEqual([true]);
    coordinator.reply({ type: 'result', id: mc.id, ok: true, value: 2 });
    expect(coordinator.holds).toEqual([true, false]);
    await Promise.all([a, c]);
    // idle again, the pool stays up (only a retired one stops when its calls are done)
    const held = pool.heldBytes;
    expect(spawned.some((w) => w.terminated)).toBe(false);
    const d = pool.call('entropy', [], 1);
    coordinator.reply({ type: 'result', id: coordinator.calls()[2].id, ok: true, value: 3 });
    await expect(d).resolves.toBe(3);
    expect(spawned.some((w) => w.terminated)).toBe(false);
    expect(pool.heldBytes).toBe(held);
    pool.stop();
  });

  it('sends calls to the coordinator, whichever worker was ready last', async () => {
    script.lastReady = 0; // a helper
    const pool = await Pool.start(build(), 3);
    const p = pool.call('entropy', [], 3);
    const coordinator = spawned.find((w) => w.posted.some((m) => m.type === 'init' && m.role === 'coordinator'))!;
    expect(coordinator.index).toBe(2);
    expect(spawned.map((w) => w.calls().length)).toEqual([0, 0, 1]);
    coordinator.reply({ type: 'result', id: coordinator.calls()[0].id, ok: true, value: 7 });
    await expect(p).resolves.toBe(7);
    pool.stop();
  });

  it('rejects a failed call with its error class and message', async () => {
    const { pool, coordinator } = await started();
    const cases = [['TypeError', TypeError], ['RangeError', RangeError], ['Error', Error], ['SyntaxError', Error]] as const;
    const calls = cases.map(() => pool.call('entropy', [], 1));
    coordinator.calls().forEach((m, i) => coordinator.reply({ type: 'result', id: m.id, ok: false, name: cases[i][0], message: `bad ${i}` }));
    for (const [i, p] of calls.entries()) {
      const e = await p.then(() => null, (err: Error) => err);
      expect(e).toBeInstanceOf(cases[i][1]);
      expect(e!.constructor).toBe(cases[i][1]);
      expect(e!.message).toBe(`bad ${i}`);
    }
    pool.stop();
  });

  it('throws at once, posting nothing, for an argument that cannot be cloned', async () => {
    const { pool, coordinator } = await started();
    expect(() => pool.call('entropy', [() => 1], 1)).toThrow();
    expect(coordinator.calls()).toHaveLength(0);
    expect(coordinator.holds).toEqual([]);
    pool.stop();
  });

  it('rejects every call in flight when a worker fails, naming its error', async () => {
    const { pool, coordinator } = await started(3);
    const calls = [pool.call('entropy', [], 3), pool.call('entropy', [], 3)];
    spawned[0].fail(new Error('out of memory'));
    for (const p of calls) await expect(p).rejects.toThrow('infokernel: a worker thread failed: out of memory');
    // and a later reply to them changes nothing
    for (const m of coordinator.calls()) coordinator.reply({ type: 'result', id: m.id, ok: true, value: 1 });
    pool.stop();
  });

  it('stop() rejects the calls in flight, terminates every worker and gives every region back', async () => {
    const { pool } = await started(3);
    const held = [...allocated.keys()];
    const p = pool.call('entropy', [], 3);
    pool.stop();
    await expect(p).rejects.toThrow('infokernel: a worker thread failed: the pool was stopped');
    expect(spawned.every((w) => w.terminated)).toBe(true);
    expect(released.sort()).toEqual(held.sort());
    expect(pool.heldBytes).toBe(0);
  });

  it('retire() stops at once when idle, or after the last call in flight has settled', async () => {
    const idle = await started();
    idle.pool.retire();
    expect(spawned.every((w) => w.terminated)).toBe(true);
    expect(idle.pool.heldBytes).toBe(0);

    spawned.length = 0;
    const busy = await started();
    const a = busy.pool.call('entropy', [], 2), c = busy.pool.call('entropy', [], 2);
    busy.pool.retire();
    const [ma, mc] = busy.coordinator.calls();
    busy.coordinator.reply({ type: 'result', id: ma.id, ok: true, value: 1 });
    await tick();
    expect(spawned.some((w) => w.terminated)).toBe(false);
    expect(busy.pool.heldBytes).toBeGreaterThan(0);
    busy.coordinator.reply({ type: 'result', id: mc.id, ok: true, value: 2 });
    await expect(a).resolves.toBe(1);
    await expect(c).resolves.toBe(2); // settled before the pool stops: not rejected by the stop
    expect(spawned.every((w) => w.terminated)).toBe(true);
    expect(busy.pool.heldBytes).toBe(0);
  });
});
