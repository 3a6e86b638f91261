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

/** A fresh copy on an engine without SIMD, or without WebAssembly at all. */
async function freshWithout(feature: 'simd' | 'wasm'): Promise<Ik> {
  vi.resetModules();
  vi.doMock('../src/backend/wasm/load.js', async (orig) => ({
    ...(await orig<object>()), hasSimd: () => false, ...(feature === 'wasm' ? { hasWebAssembly: () => false } : {}),
  }));
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

  it('a malformed URL is named as given, with the URL parser\'s reason', async () => {
    const ik = await fresh();
    await ik.ready({ wasmPaths: 'http://[bad' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain('the SIMD build did not load (http://[bad: Invalid URL); ' +
      'the scalar build did not load (http://[bad: Invalid URL).');
    expect(ik.backendInfo()).toMatchObject({ backend: 'js', wasm: 'failed', reason: 'http://[bad: Invalid URL' });
  });

  it('a bundle without import.meta.url (CommonJS, IIFE) warns to copy the files and pass wasmPaths', async () => {
    const ik = await fresh();
    // esbuild's cjs and iife formats make import.meta.url undefined: new URL('./x', undefined) throws
    const Real = URL;
    vi.stubGlobal('URL', class extends Real {
      constructor(u: string | URL, base?: string | URL) { super(u, String(u).startsWith('./infokernel.') ? undefined : base); }
    });
    try {
      await ik.ready();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(warn).toHaveBeenCalledTimes(1);
    const cannot = (f: string) => `cannot locate infokernel.${f}.wasm: this bundle has no import.meta.url (a CommonJS or IIFE bundle?); ` +
      'copy the .wasm files from infokernel/dist/backend/wasm/ and pass ready({ wasmPaths }) with where they are served';
    expect(String(warn.mock.calls[0][0])).toBe(`infokernel: the SIMD build did not load (${cannot('simd')}); ` +
      `the scalar build did not load (${cannot('scalar')}). Calls run on 'js' (the pure-JS fallback). Pass ready({ wasmPaths }) ` +
      'or ready({ wasmBinary }) if the .wasm files are served elsewhere, or ready({ required: true }) to fail instead.');
    expect(ik.backendInfo()).toMatchObject({ backend: 'js', wasm: 'failed', reason: cannot('simd') });
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
    const ik = await freshWithout('simd');
    await ik.ready({ wasmPaths: dir({ 'infokernel.scalar.wasm': SCALAR }), required: true }); // not a failure
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-scalar', simdSupported: false, reason: expect.stringMatching(/does not run WebAssembly SIMD/) });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/does not run WebAssembly SIMD.*'wasm-scalar'/);
  });

  it('no WebAssembly: js, with a warning, or a rejection when required', async () => {
    const ik = await freshWithout('wasm');
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

// The messages and states users read, word for word: a partial regex lets a mutant that
// blanks a clause or swaps which build a message names pass.
describe('messages and states, word for word', () => {
  const enoent = (d: string, build: string) => `ENOENT: no such file or directory, open '${join(d, `infokernel.${build}.wasm`)}'`;
  const PASS = ' Pass ready({ wasmPaths }) or ready({ wasmBinary }) if the .wasm files are served elsewhere, or ready({ required: true }) to fail instead.';
  const cores = Math.min(availableParallelism(), 256);

  it('before ready(), while loading, and after: backendInfo and the errors of an unloaded backend', async () => {
    const ik = await fresh();
    expect(ik.entropy(p)[0]).toBeCloseTo(H, 14); // on js, silently
    expect(ik.allocBatch(Float32Array, 2, 3).inWasm).toBe(false);
    expectThrows(() => ik.entropy(p, { backend: 'wasm-simd' }), Error, /^entropy: backend 'wasm-simd' is not available: WebAssembly is not loaded yet: await ready\(\) first$/);
    expect(ik.backendInfo()).toEqual({ backend: 'js', simd: false, threads: 1, reason: 'WebAssembly is not loaded: call (and await) ready()',
      wasm: 'not-loaded', simdSupported: true, threadsSupported: true, sources: { simd: null, scalar: null } });
    const loading = ik.ready();
    expectThrows(() => ik.entropy(p, { backend: 'wasm-scalar' }), Error, /^entropy: backend 'wasm-scalar' is not available: WebAssembly is still loading: await ready\(\) first$/);
    expect(ik.backendInfo()).toMatchObject({ backend: 'js', reason: 'WebAssembly is still loading: await ready()', wasm: 'loading' });
    await loading;
    expect(warn).not.toHaveBeenCalled();
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-simd', threads: cores, reason: null, wasm: 'loaded' });
  });

  it('setBackend: the reason names it, except for \'wasm\', which means the best build', async () => {
    const d = dir({ 'infokernel.scalar.wasm': SCALAR });
    const ik = await fresh();
    await ik.ready({ wasmPaths: d });
    ik.setBackend('wasm');
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-scalar', reason: enoent(d, 'simd') });
    ik.setBackend('js');
    expect(ik.backendInfo()).toMatchObject({ backend: 'js', threads: 1, reason: "setBackend('js')" });
    const js = (await import('../src/backend/js.js')).jsKernels;
    const spy = vi.spyOn(js, 'entropy');
    ik.entropy(new Float32Array(256).fill(1 / 256)); // f32 rows wide enough that the scalar build does not route them to JS
    expect(spy).toHaveBeenCalledTimes(1); // calls without a backend option follow setBackend
    expectThrows(() => ik.setBackend('gpu' as never), RangeError, /^setBackend: backend "gpu" is unknown; use one of 'wasm', 'wasm-simd', 'wasm-scalar', 'js'$/);
    expect(ik.backendInfo().backend).toBe('js');
  });

  it('a missing SIMD file: the warning, backendInfo and the errors in full', async () => {
    const d = dir({ 'infokernel.scalar.wasm': SCALAR });
    const ik = await fresh();
    await ik.ready({ wasmPaths: d });
    expect(warn.mock.calls).toEqual([[`infokernel: the SIMD build did not load (${enoent(d, 'simd')}). Calls run on 'wasm-scalar'.${PASS}`]]);
    expect(ik.backendInfo()).toEqual({ backend: 'wasm-scalar', simd: false, threads: 1, reason: enoent(d, 'simd'), wasm: 'partial',
      simdSupported: true, threadsSupported: true, sources: { simd: null, scalar: join(d, 'infokernel.scalar.wasm') } });
    await ik.setThreads(2); // threads need the SIMD kernels: the load warning was the one warning
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('a missing scalar file: its backend\'s error names the scalar file', async () => {
    const d = dir({ 'infokernel.simd.wasm': SIMD });
    const ik = await fresh();
    await ik.ready({ wasmPaths: d });
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-simd', reason: null, wasm: 'partial' });
    expectThrows(() => ik.entropy(p, { backend: 'wasm-scalar' }), Error, new RegExp(`^entropy: backend 'wasm-scalar' is not available: ${escape(enoent(d, 'scalar'))}$`));
  });

  it('both missing: the warning, each backend\'s error, and the message of a required load', async () => {
    const d = dir({});
    const ik = await fresh();
    await ik.ready({ wasmPaths: d });
    const both = `the SIMD build did not load (${enoent(d, 'simd')}); the scalar build did not load (${enoent(d, 'scalar')}). Calls run on 'js' (the pure-JS fallback).`;
    expect(warn.mock.calls).toEqual([[`infokernel: ${both}${PASS}`]]);
    expect(ik.backendInfo()).toEqual({ backend: 'js', simd: false, threads: 1, reason: enoent(d, 'simd'), wasm: 'failed',
      simdSupported: true, threadsSupported: true, sources: { simd: null, scalar: null } });
    expectThrows(() => ik.entropy(p, { backend: 'wasm-simd' }), Error, new RegExp(`^entropy: backend 'wasm-simd' is not available: ${escape(enoent(d, 'simd'))}$`));
    expectThrows(() => ik.setBackend('wasm'), Error, new RegExp(`^setBackend: backend 'wasm' is not available: ${escape(`${enoent(d, 'simd')}; ${enoent(d, 'scalar')}`)}$`));
    const again = await fresh();
    await expectRejects(again.ready({ wasmPaths: d, required: true }), Error,
      new RegExp(`^${escape(`infokernel: ${both} (ready({ required: true }) rejects instead of falling back)`)}$`));
  });

  it('engines that cannot run a build: the warning has no "Pass ready" advice (nothing failed)', async () => {
    let ik = await freshWithout('simd');
    await ik.ready({ wasmPaths: dir({ 'infokernel.scalar.wasm': SCALAR }) });
    expect(warn.mock.calls).toEqual([["infokernel: this engine does not run WebAssembly SIMD. Calls run on 'wasm-scalar'."]]);
    await ik.ready({ wasmPaths: dir({ 'infokernel.scalar.wasm': SCALAR }) }); // nothing failed: no new load, no second warning
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockClear();
    ik = await freshWithout('simd'); // the default place has the threads build too: it needs SIMD, so it is not loaded either
    await ik.ready();
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-scalar', threads: 1, sources: { simd: null } });
    warn.mockClear();
    ik = await freshWithout('wasm');
    await ik.ready();
    expect(warn.mock.calls).toEqual([["infokernel: this engine has no WebAssembly. Calls run on 'js' (the pure-JS fallback)."]]);
  });

  it('the threads build: loaded from a prefix or wasmBinary.threads; missing, threads say why when asked for', async () => {
    const d = dir({ 'infokernel.simd.wasm': SIMD, 'infokernel.scalar.wasm': SCALAR });
    let ik = await fresh();
    await ik.ready({ wasmPaths: d, required: true });
    expect(ik.backendInfo()).toMatchObject({ threads: 1, sources: { simd: join(d, 'infokernel.simd.wasm') } });
    await ik.setThreads(2);
    expect(warn.mock.calls).toEqual([[`infokernel: threads cannot run here: the threads build did not load (${enoent(d, 'threads')}). Calls run on one thread.`]]);
    warn.mockClear();
    const THREADS = readFileSync('build/infokernel.threads.wasm');
    ik = await fresh();
    await ik.ready({ wasmBinary: { simd: SIMD, scalar: SCALAR, threads: THREADS }, required: true });
    expect(ik.backendInfo()).toMatchObject({ threads: cores, sources: { simd: 'wasmBinary.threads' } });
    for (const binary of [{ simd: SIMD, scalar: SCALAR }, { simd: SIMD, scalar: SCALAR, threads: undefined }]) {
      ik = await fresh();
      await ik.ready({ wasmBinary: binary, required: true });
      expect(ik.backendInfo()).toMatchObject({ threads: 1, sources: { simd: 'wasmBinary.simd' } });
      await ik.setThreads(2); // not given: not looked for
      expect(warn.mock.calls).toEqual([['infokernel: threads cannot run here: the threads build (infokernel.threads.wasm) is not loaded: await ready() first. Calls run on one thread.']]);
      warn.mockClear();
    }
  });

  it('after the default load failed, ready({ wasmBinary }) is another load and retries', async () => {
    const ik = await fresh();
    await ik.ready({ wasmPaths: '' }); // the files named relative to the working directory: not there
    expect(ik.backendInfo().backend).toBe('js');
    await ik.ready({ wasmBinary: { simd: SIMD, scalar: SCALAR }, required: true });
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-simd', wasm: 'loaded' });
  });

  it('a retry is any other wasmPaths entry or other wasmBinary bytes; a load that only skipped a build is not retried', async () => {
    const d = dir({ 'infokernel.simd.wasm': SIMD, 'infokernel.scalar.wasm': SCALAR, 'infokernel.threads.wasm': readFileSync('build/infokernel.threads.wasm') });
    const at = (name: string) => join(d, name);
    for (const [first, second] of [
      [{ simd: at('no.wasm'), scalar: at('infokernel.scalar.wasm') }, { simd: at('infokernel.simd.wasm'), scalar: at('infokernel.scalar.wasm') }],
      [{ simd: at('infokernel.simd.wasm'), scalar: at('no.wasm') }, { simd: at('infokernel.simd.wasm'), scalar: at('infokernel.scalar.wasm') }],
      // only the threads build's place changed: it is the SIMD kernels where threads run
      [{ simd: at('no.wasm'), scalar: at('infokernel.scalar.wasm'), threads: at('no.wasm') },
        { simd: at('no.wasm'), scalar: at('infokernel.scalar.wasm'), threads: at('infokernel.threads.wasm') }],
    ]) {
      const ik = await fresh();
      await ik.ready({ wasmPaths: first });
      expect(ik.backendInfo().wasm).toBe('partial');
      await ik.ready({ wasmPaths: second, required: true });
      expect(ik.backendInfo().wasm).toBe('loaded');
    }
    const ik = await fresh();
    const bad = { simd: new Uint8Array([0, 0x61, 0x73, 0x6d]), scalar: SCALAR };
    warn.mockClear();
    await ik.ready({ wasmBinary: bad });
    await ik.ready({ wasmBinary: bad }); // the same bytes: the same load, not retried, no second warning
    expect(warn).toHaveBeenCalledTimes(1);
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-scalar', wasm: 'partial' });
    await ik.ready({ wasmBinary: { simd: SIMD, scalar: SCALAR }, required: true });
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-simd', wasm: 'loaded' });
  });

  it('each build\'s default calls go to JS only where its route table says JS is faster', async () => {
    const d = dir({ 'infokernel.simd.wasm': SIMD, 'infokernel.scalar.wasm': SCALAR });
    const wide = new Float64Array(256).fill(1 / 256); // f64 entropy: WASM on the SIMD build from 4 columns, JS at any width on the scalar build
    let ik = await fresh();
    await ik.ready({ wasmPaths: d, required: true }); // the SIMD build itself (no threads file)
    let spy = vi.spyOn((await import('../src/backend/js.js')).jsKernels, 'entropy');
    ik.entropy(wide);
    expect(spy).not.toHaveBeenCalled();
    ik = await fresh();
    await ik.ready({ wasmPaths: { simd: join(d, 'none.wasm'), scalar: join(d, 'infokernel.scalar.wasm') } });
    spy = vi.spyOn((await import('../src/backend/js.js')).jsKernels, 'entropy');
    ik.entropy(wide);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('wasmPaths.threads places the threads build; setBackend(\'wasm-simd\') is no reason', async () => {
    const d = dir({ 't.wasm': readFileSync('build/infokernel.threads.wasm'), 'infokernel.scalar.wasm': SCALAR });
    const ik = await fresh();
    await ik.ready({ wasmPaths: { simd: join(d, 'none.wasm'), scalar: join(d, 'infokernel.scalar.wasm'), threads: join(d, 't.wasm') }, required: true });
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-simd', threads: cores, sources: { simd: join(d, 't.wasm') } });
    ik.setBackend('wasm-simd');
    expect(ik.backendInfo()).toMatchObject({ backend: 'wasm-simd', reason: null });
  });

  it('ready\'s own option errors', async () => {
    const ik = await fresh();
    await expectRejects(ik.ready(null as never), TypeError, /^ready: options must be an object, got null$/);
    await expectRejects(ik.ready(5 as never), TypeError, /^ready: options must be an object, got 5$/);
    await expectRejects(ik.ready({ wasmPath: '/x/' } as never), TypeError, /^ready: unknown option 'wasmPath'; ready takes 'wasmPaths', 'wasmBinary', 'required'$/);
    // the values' types: a clear TypeError before anything loads, never a crash in the loader
    await expectRejects(ik.ready({ wasmPaths: null as never }), TypeError,
      /^ready: wasmPaths must be a URL or file path \(a string or URL\), or \{ simd, scalar, threads \} of them; got null$/);
    await expectRejects(ik.ready({ wasmPaths: 3 as never }), TypeError, /^ready: wasmPaths must be .*; got 3$/);
    await expectRejects(ik.ready({ wasmPaths: { simd: 5 } as never }), TypeError, /^ready: wasmPaths\.simd must be a URL or file path \(a string or URL\), got 5$/);
    await expectRejects(ik.ready({ wasmPaths: { smid: '/a.wasm' } as never }), TypeError, /^ready: wasmPaths has no build 'smid'; its keys are 'simd', 'scalar', 'threads'$/);
    await expectRejects(ik.ready({ wasmBinary: 'AGFzbQ==' as never }), TypeError,
      /^ready: wasmBinary must be the bytes of a build \(an ArrayBuffer or a view\) or a WebAssembly\.Module, or \{ simd, scalar, threads \} of them; got "AGFzbQ=="$/);
    await expectRejects(ik.ready({ wasmBinary: { scalar: [0, 97] } as never }), TypeError, /^ready: wasmBinary\.scalar must be the bytes of a build .*, got Array$/);
    await expectRejects(ik.ready({ required: 'yes' as never }), TypeError, /^ready: required must be a boolean, got "yes"$/);
    expect(ik.backendInfo().wasm).toBe('not-loaded'); // none of these started a load
  });
});

describe('load.ts on its own', () => {
  it('wasmLocation: a prefix gets one slash; relative paths resolve against the page, else are Node file paths', async () => {
    const { wasmLocation, defaultWasmUrl } = await import('../src/backend/wasm/load.js');
    expect(wasmLocation('simd', '')).toBe('infokernel.simd.wasm');
    expect(wasmLocation('scalar', 'lib/')).toBe('lib/infokernel.scalar.wasm');
    expect(wasmLocation('threads', 'lib')).toBe('lib/infokernel.threads.wasm');
    expect(String(wasmLocation('simd', 'https://cdn.example/x'))).toBe('https://cdn.example/x/infokernel.simd.wasm');
    for (const b of ['simd', 'scalar', 'threads'] as const) expect(defaultWasmUrl(b).href).toMatch(new RegExp(`/backend/wasm/infokernel\\.${b}\\.wasm$`));
    vi.stubGlobal('document', { baseURI: 'https://example.com/app/page.html' });
    vi.stubGlobal('location', { href: 'https://other.example/' });
    expect(String(wasmLocation('simd', 'assets/'))).toBe('https://example.com/app/assets/infokernel.simd.wasm');
    vi.stubGlobal('document', undefined);
    expect(String(wasmLocation('simd', 'assets/'))).toBe('https://other.example/assets/infokernel.simd.wasm');
    vi.unstubAllGlobals();
    vi.stubGlobal('process', undefined); // a browser worker without a page URL
    try {
      expectThrows(() => wasmLocation('simd', 'assets/'), Error,
        /^infokernel: cannot resolve the relative WASM path 'assets\/infokernel\.simd\.wasm' without a page URL; pass an absolute URL$/);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('checkMagic: what the bytes were, and the Vite remedy for a pre-bundled dependency', async () => {
    const { checkMagic } = await import('../src/backend/wasm/load.js');
    expect(() => checkMagic(new Uint8Array(SIMD), 'x')).not.toThrow();
    const html = new TextEncoder().encode('<!doctype html>');
    const vite = '/app/node_modules/.vite/deps/infokernel.simd.wasm';
    expectThrows(() => checkMagic(html, vite), Error, new RegExp(`^${escape(`${vite} is not a WebAssembly file (it starts with 3c 21 64 6f, an HTML page, not 00 61 73 6d): ` +
      'the server answered with a page (often index.html for a missing file). The Vite dev server pre-bundled infokernel into node_modules/.vite/deps/ ' +
      "without its .wasm files (Vite 7 and older do): add optimizeDeps: { exclude: ['infokernel'] } to vite.config")}$`));
    expectThrows(() => checkMagic(new Uint8Array(0), 'y.wasm'), Error, new RegExp(`^${escape('y.wasm is not a WebAssembly file (it starts with nothing, not 00 61 73 6d): ' +
      'the server sent something else. Serve the file from the infokernel package (dist/backend/wasm/) at that URL, or pass ready({ wasmPaths }) with the URL where it is served')}$`));
  });

  it('hasWebAssembly, isNode and hasSimd ask the engine, and hasSimd checks what the probe computes', async () => {
    const { hasWebAssembly, isNode } = await import('../src/backend/wasm/load.js');
    const real = WebAssembly;
    expect(hasWebAssembly()).toBe(true);
    expect(isNode()).toBe(true);
    try {
      // (WebAssembly's members are not enumerable: a stub inherits them and overrides one)
      vi.stubGlobal('WebAssembly', Object.assign(Object.create(WebAssembly), { instantiate: undefined }));
      expect(hasWebAssembly()).toBe(false);
      vi.stubGlobal('WebAssembly', Object.create(real));
      expect(hasWebAssembly()).toBe(true);
      vi.stubGlobal('WebAssembly', undefined);
      expect(hasWebAssembly()).toBe(false);
      vi.unstubAllGlobals();
      vi.stubGlobal('process', {}); // a bundler's process shim: no versions
      expect(isNode()).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
    vi.resetModules();
    const fresh = await import('../src/backend/wasm/load.js');
    const Instance = vi.fn(function () { return { exports: { f: () => 44 } }; }); // SIMD that computes wrong
    vi.stubGlobal('WebAssembly', Object.assign(Object.create(WebAssembly), { Instance }));
    try {
      expect(fresh.hasSimd()).toBe(false);
      expect(Instance).toHaveBeenCalledTimes(1); // the probe compiled and ran: its result was wrong
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a build exporting a memory but no heapBase is not ours', async () => {
    const ik = await fresh();
    // (module (memory (export "memory") 1))
    const memoryOnly = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0, 1, 7, 10, 1, 6, 109, 101, 109, 111, 114, 121, 2, 0]);
    await expectRejects(ik.ready({ wasmBinary: { simd: memoryOnly, scalar: SCALAR }, required: true }), Error,
      /^infokernel: the SIMD build did not load \(wasmBinary\.simd is not an infokernel build \(no memory or heapBase export\)\)/);
  });

  it('a relative path with a colon further on is still a path, not a URL', async () => {
    const { wasmLocation } = await import('../src/backend/wasm/load.js');
    expect(wasmLocation('simd', './v1:2/')).toBe('./v1:2/infokernel.simd.wasm');
  });

  it('hasSimd is false where compiling the probe fails (an engine without SIMD)', async () => {
    vi.resetModules();
    const { hasSimd } = await import('../src/backend/wasm/load.js');
    const Module = WebAssembly.Module;
    vi.stubGlobal('WebAssembly', Object.assign(Object.create(WebAssembly), { Module: function () { throw new WebAssembly.CompileError('invalid opcode'); } }));
    try {
      expect(hasSimd()).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(WebAssembly.Module).toBe(Module);
  });
});

describe('load.ts: where the bytes come from', () => {
  it('Windows drive paths stay file paths (a drive letter is not a URL scheme)', async () => {
    const { wasmLocation } = await import('../src/backend/wasm/load.js');
    expect(wasmLocation('simd', { simd: 'C:\\lib\\x.wasm' })).toBe('C:\\lib\\x.wasm');
    expect(wasmLocation('scalar', { scalar: 'd:/lib/y.wasm' })).toBe('d:/lib/y.wasm');
    // a prefix ending in a backslash is a directory: no '/' after it; without one, the '/' Windows also takes
    expect(wasmLocation('simd', 'C:\\lib\\')).toBe('C:\\lib\\infokernel.simd.wasm');
    expect(wasmLocation('threads', 'C:\\lib')).toBe('C:\\lib/infokernel.threads.wasm');
  });

  it('fetches http(s) URLs: the status, the network error, and the Vite remedy for a 404 under .vite/deps', async () => {
    const { loadBuildFrom } = await import('../src/backend/wasm/load.js');
    const answer = vi.fn(async (url: URL) => url.href.endsWith('/ok/infokernel.simd.wasm') ? new Response(new Uint8Array(SIMD))
      : url.hostname === 'down.example' ? Promise.reject(new TypeError('fetch failed')) : new Response('<!doctype html>', { status: 404 }));
    vi.stubGlobal('fetch', answer);
    try {
      const ok = await loadBuildFrom('simd', { wasmPaths: 'https://cdn.example/ok/' });
      expect(ok.source).toBe('https://cdn.example/ok/infokernel.simd.wasm');
      expect(typeof ok.exports.heapBase()).toBe('number');
      await expectRejects(loadBuildFrom('simd', { wasmPaths: 'https://cdn.example/lib/' }), Error,
        /^cannot fetch https:\/\/cdn\.example\/lib\/infokernel\.simd\.wasm: HTTP 404$/);
      await expectRejects(loadBuildFrom('scalar', { wasmPaths: 'https://down.example/' }), Error,
        /^cannot fetch https:\/\/down\.example\/infokernel\.scalar\.wasm: fetch failed$/);
      await expectRejects(loadBuildFrom('simd', { wasmPaths: 'http://localhost:5173/node_modules/.vite/deps/' }), Error,
        new RegExp(`^${escape('cannot fetch http://localhost:5173/node_modules/.vite/deps/infokernel.simd.wasm: HTTP 404. The Vite dev server pre-bundled ' +
          "infokernel into node_modules/.vite/deps/ without its .wasm files (Vite 7 and older do): add optimizeDeps: { exclude: ['infokernel'] } to vite.config")}$`));
      expect(answer).toHaveBeenCalledTimes(4);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a build that is WASM but not ours, a single bad wasmBinary, and a directory where a file should be', async () => {
    const ik = await fresh();
    const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]); // a valid module with no exports
    await expectRejects(ik.ready({ wasmBinary: { simd: empty, scalar: SCALAR }, required: true }), Error,
      /^infokernel: the SIMD build did not load \(wasmBinary\.simd is not an infokernel build \(no memory or heapBase export\)\)\. Calls run on 'wasm-scalar'\. \(ready/);
    const one = await fresh();
    await expectRejects(one.ready({ wasmBinary: new Uint8Array([1, 2, 3, 4]), required: true }), Error,
      /^infokernel: the SIMD build did not load \(wasmBinary is not a WebAssembly file \(it starts with 01 02 03 04, not 00 61 73 6d\): the server sent something else\./);
    const d = dir({ 'infokernel.scalar.wasm': SCALAR });
    const three = await fresh();
    await three.ready({ wasmPaths: { simd: d, scalar: join(d, 'infokernel.scalar.wasm') } });
    // Node's EISDIR message does not name the path: the warning adds it
    expect(String(warn.mock.calls[0][0])).toMatch(new RegExp(`^infokernel: the SIMD build did not load \\(${escape(d)}: EISDIR: illegal operation on a directory, read\\)\\. Calls run on 'wasm-scalar'\\.`));
  });

  it('checkMagic: a page with leading white space is HTML; text with a < later is not', async () => {
    const { checkMagic } = await import('../src/backend/wasm/load.js');
    const enc = (s: string) => new TextEncoder().encode(s);
    expectThrows(() => checkMagic(enc('\n  <html>'), 'a'), Error, /^a is not a WebAssembly file \(it starts with 0a 20 20 3c, an HTML page, not 00 61 73 6d\): the server answered with a page/);
    expectThrows(() => checkMagic(enc('abc <b>'), 'b'), Error, /^b is not a WebAssembly file \(it starts with 61 62 63 20, not 00 61 73 6d\): the server sent something else/);
    expectThrows(() => checkMagic(new Uint8Array([0, 1, 2, 3]), 'c'), Error, /^c is not a WebAssembly file \(it starts with 00 01 02 03, not 00 61 73 6d\)/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
