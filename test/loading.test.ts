// Honest loading: each WASM build loads on its own, every fallback warns once (naming the
// URL and the reason) and shows in backendInfo(), ready({ required: true }) rejects instead,
// wasmPaths / wasmBinary say where the builds are, and bytes that are not WASM (a server's
// index.html) give an error naming the URL and the package. Each test loads a fresh copy
// of the package's modules, so the load state starts empty.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectRejects, expectThrows } from './support/assert.js';

type Ik = typeof import('../src/index.js');

const SIMD = readFileSync('build/infokernel.simd.wasm');
const SCALAR = readFileSync('build/infokernel.scalar.wasm');
const dirs: string[] = [];

/** A directory holding the given files. */
function dir(files: Record<string, Uint8Array | string>): string {
  const d = mkdtempSync(join(tmpdir(), 'infokernel-load-'));
  dirs.push(d);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(d, name), bytes);
  return d;
}

async function fresh(): Promise<Ik> {
  vi.resetModules();
  return import('../src/index.js');
}

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => { warn = vi.spyOn(console, 'warn').mockImplementation(() => {}); });
afterEach(() => { warn.mockRestore(); vi.doUnmock('../src/backend/wasm/load.js'); });
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const p = new Float64Array([0.1, 0.2, 0.7]);
const H = -(0.1 * Math.log(0.1) + 0.2 * Math.log(0.2) + 0.7 * Math.log(0.7));

describe('default location (next to the loader)', () => {
  it('loads both builds silently; backendInfo tells where from and what the engine can do', async () => {
    const ik = await fresh();
    expect(ik.backendInfo()).toMatchObject({ backend: 'js', wasm: 'not-loaded', reason: expect.stringMatching(/ready\(\)/) });
    await ik.ready();
    expect(warn).not.toHaveBeenCalled();
    const info = ik.backendInfo();
    expect(info).toMatchObject({ backend: 'wasm-simd', simd: true, threads: Math.min(availableParallelism(), 256), reason: null, wasm: 'loaded', simdSupported: true });
    // Node runs threads: the SIMD kernels come from the threads build (the same kernels over shared memory)
    expect(info.sources.simd).toMatch(/backend\/wasm\/infokernel\.threads\.wasm$/);
    expect(info.sources.scalar).toMatch(/backend\/wasm\/infokernel\.scalar\.wasm$/);
    expect(typeof info.threadsSupported).toBe('boolean');
    await ik.ready({ required: true }); // nothing fell back
  });

  it('the SIMD probe computes a SIMD result', async () => {
    const { hasSimd } = await import('../src/backend/wasm/load.js');
    expect(hasSimd()).toBe(true);
  });
});

describe('wasmPaths', () => {
  it('a prefix (directory path, file: URL) finds both builds', async () => {
    const d = dir({ 'infokernel.simd.wasm': SIMD, 'infokernel.scalar.wasm': SCALAR });
    for (const prefix of [d, `${d}/`, pathToFileURL(`${d}/`).href, pathToFileURL(`${d}/`)]) {
      const ik = await fresh();
      await ik.ready({ wasmPaths: prefix, required: true });
      expect(ik.backendInfo().sources.simd).toContain(d);
      expect(ik.entropy(p, { backend: 'wasm-simd' })[0]).toBeCloseTo(H, 14);
      expect(ik.entropy(p, { backend: 'wasm-scalar' })[0]).toBeCloseTo(H, 14);
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it('per-build URLs', async () => {
    const a = dir({ 'x.wasm': SIMD });
    const b = dir({ 'y.wasm': SCALAR });
    const ik = await fresh();
    await ik.ready({ wasmPaths: { simd: join(a, 'x.wasm'), scalar: pathToFileURL(join(b, 'y.wasm')) }, required: true });
    expect(ik.backendInfo().sources).toEqual({ simd: join(a, 'x.wasm'), scalar: pathToFileURL(join(b, 'y.wasm')).href });
  });

  it('a missing SIMD file falls back to wasm-scalar with one warning naming the file and the reason', async () => {
    const d = dir({ 'infokernel.scalar.wasm': SCALAR });
    const ik = await fresh();
    await ik.ready({ wasmPaths: d });
    await ik.ready({ wasmPaths: d }); // the same load: no second warning
    expect(warn).toHaveBeenCalledTimes(1);
    const text = String(warn.mock.calls[0][0]);
    expect(text).toContain(join(d, 'infokernel.simd.wasm'));
    expect(text).toMatch(/ENOENT|no such file/);
    expect(text).toMatch(/'wasm-scalar'/);
    const info = ik.backendInfo();
    expect(info).toMatchObject({ backend: 'wasm-scalar', simd: false, wasm: 'partial' });
    expect(info.reason).toContain('infokernel.simd.wasm');
    expect(ik.entropy(p)[0]).toBeCloseTo(H, 14);
    expectThrows(() => ik.entropy(p, { backend: 'wasm-simd' }), Error, /^entropy: backend 'wasm-simd' is not available: .*infokernel\.simd\.wasm/);
  });

  it('missing both falls back to js with one warning naming both files', async () => {
    const d = dir({});
    const ik = await fresh();
    await ik.ready({ wasmPaths: d });
    expect(warn).toHaveBeenCalledTimes(1);
    const text = String(warn.mock.calls[0][0]);
    expect(text).toContain(join(d, 'infokernel.simd.wasm'));
    expect(text).toContain(join(d, 'infokernel.scalar.wasm'));
    expect(text).toMatch(/'js'/);
    expect(ik.backendInfo()).toMatchObject({ backend: 'js', wasm: 'failed', sources: { simd: null, scalar: null } });
    expect(ik.entropy(p)[0]).toBeCloseTo(H, 14);
    expectThrows(() => ik.setBackend('wasm'), Error, /^setBackend: backend 'wasm' is not available: .*infokernel\.scalar\.wasm/);
  });

  it('after a failure, ready() with other paths retries the builds that did not load', async () => {
    const ik = await fresh();
    await ik.ready({ wasmPaths: dir({ 'infokernel.scalar.wasm': SCALAR }) });
    expect(ik.backendInfo().backend).toBe('wasm-scalar');
    await ik.ready({ wasmPaths: dir({ 'infokernel.simd.wasm': SIMD }), required: true });
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-simd', wasm: 'loaded' });
  });
});

describe('bad bytes', () => {
  it('HTML served instead of WASM names the URL, the package and what it found', async () => {
    const d = dir({ 'infokernel.simd.wasm': '<!doctype html><html><body>app</body></html>', 'infokernel.scalar.wasm': SCALAR });
    const ik = await fresh();
    await expectRejects(ik.ready({ wasmPaths: d, required: true }), Error, /^infokernel: the SIMD build did not load \(.*infokernel\.simd\.wasm is not a WebAssembly file \(it starts with 3c 21 64 6f, an HTML page/);
    expect(warn).not.toHaveBeenCalled(); // rejected instead of falling back
    expect(ik.backendInfo().backend).toBe('wasm-scalar'); // what did load stays usable
  });

  it('a truncated module names the URL and the compile error', async () => {
    const d = dir({ 'infokernel.simd.wasm': SIMD.subarray(0, 100), 'infokernel.scalar.wasm': SCALAR });
    const ik = await fresh();
    await ik.ready({ wasmPaths: d });
    expect(String(warn.mock.calls[0][0])).toMatch(/infokernel\.simd\.wasm does not compile/);
  });
});

describe('wasmBinary', () => {
  it('bytes for both builds: nothing is read from disk', async () => {
    const ik = await fresh();
    await ik.ready({ wasmBinary: { simd: new Uint8Array(SIMD), scalar: SCALAR.buffer.slice(SCALAR.byteOffset, SCALAR.byteOffset + SCALAR.byteLength) }, required: true });
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-simd', sources: { simd: 'wasmBinary.simd', scalar: 'wasmBinary.scalar' } });
    expect(ik.entropy(p, { backend: 'wasm-scalar' })[0]).toBeCloseTo(H, 14);
  });

  it('a single value is the SIMD build (a compiled module works too); the scalar build is then not loaded', async () => {
    const ik = await fresh();
    await ik.ready({ wasmBinary: new WebAssembly.Module(SIMD) });
    expect(ik.backendInfo().backend).toBe('wasm-simd');
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/scalar build did not load \(wasmBinary holds no scalar build\)/);
  });

  it('bad bytes in wasmBinary are named as such', async () => {
    const ik = await fresh();
    await expectRejects(ik.ready({ wasmBinary: { simd: new Uint8Array([1, 2, 3, 4]), scalar: SCALAR }, required: true }), Error,
      /^infokernel: the SIMD build did not load \(wasmBinary\.simd is not a WebAssembly file \(it starts with 01 02 03 04/);
  });
});

describe('options', () => {
  it('an unknown option (a typo) is a TypeError naming it', async () => {
    const ik = await fresh();
    await expectRejects(ik.ready({ wasmPath: '/x/' } as never), TypeError, /^ready: unknown option 'wasmPath'/);
    await expect(ik.ready(null as never)).rejects.toThrow(TypeError);
  });
});

describe('required', () => {
  it('rejects when nothing loads, and calls keep running on js', async () => {
    const ik = await fresh();
    await expectRejects(ik.ready({ wasmPaths: dir({}), required: true }), Error, /^infokernel: the SIMD build did not load.*required: true/s);
    expect(warn).not.toHaveBeenCalled();
    expect(ik.backendInfo().backend).toBe('js');
    // The first call that then falls back to JS says so, once.
    expect(ik.entropy(p)[0]).toBeCloseTo(H, 14);
    ik.entropy(p);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^infokernel: entropy: the SIMD build did not load.*Calls run on 'js'/s);
  });
});

describe('engines without SIMD or WebAssembly', () => {
  it('no SIMD: the SIMD file is not fetched, wasm-scalar runs, one warning says why', async () => {
    vi.resetModules();
    vi.doMock('../src/backend/wasm/load.js', async (orig) => ({ ...(await orig<object>()), hasSimd: () => false }));
    const ik = await import('../src/index.js');
    await ik.ready({ wasmPaths: dir({ 'infokernel.scalar.wasm': SCALAR }), required: true }); // not a failure
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-scalar', simdSupported: false, reason: expect.stringMatching(/does not run WebAssembly SIMD/) });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/does not run WebAssembly SIMD.*'wasm-scalar'/);
  });

  it('no WebAssembly: js, with a warning, or a rejection when required', async () => {
    vi.resetModules();
    vi.doMock('../src/backend/wasm/load.js', async (orig) => ({ ...(await orig<object>()), hasWebAssembly: () => false, hasSimd: () => false }));
    const ik = await import('../src/index.js');
    await expectRejects(ik.ready({ required: true }), Error, /^infokernel: this engine has no WebAssembly/);
    await ik.ready();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(ik.backendInfo()).toMatchObject({ backend: 'js', reason: expect.stringMatching(/no WebAssembly/) });
  });
});

describe('threads', () => {
  it('are possible only with SharedArrayBuffer, and in a page only when it is cross-origin isolated', async () => {
    const { threadsSupported } = await import('../src/backend/wasm/load.js');
    expect(threadsSupported()).toBe(true); // Node
    vi.stubGlobal('crossOriginIsolated', false);
    expect(threadsSupported()).toBe(false);
    vi.stubGlobal('crossOriginIsolated', true);
    expect(threadsSupported()).toBe(true);
    vi.stubGlobal('SharedArrayBuffer', undefined);
    expect(threadsSupported()).toBe(false);
    vi.unstubAllGlobals();
  });
});
