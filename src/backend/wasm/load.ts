// Finding, checking, compiling and instantiating the two WASM builds, each on its own.
//
// Where the bytes come from, in order: `ready({ wasmBinary })` (the bytes or a compiled
// module, no I/O), `ready({ wasmPaths })` (a URL prefix or per-build URLs), else the files
// next to this module: `new URL('./infokernel.simd.wasm', import.meta.url)` is the literal
// form Vite, webpack, Rollup and Parcel recognise, so they ship the files with the bundle.
// The build writes the .wasm files beside this module in src/ (git-ignored) and in dist/.
//
// No bare import and no Node-only import at load time: in Node, `file:` URLs and plain
// paths are read with a dynamic import of node:fs that bundlers are told to leave alone;
// everything else is fetched. The modules are instantiated with WebAssembly.instantiate
// directly (they import nothing), so a plain <script type="module"> works without an
// import map.

import { formatValue } from '../../errors.js';

export type Build = 'simd' | 'scalar';
export const BUILDS: readonly Build[] = ['simd', 'scalar'];
/** A build file: the two above, or the SIMD build over shared memory that threads use. */
export type BuildFile = Build | 'threads';

/** Bytes of one build, or the module compiled from them. */
export type WasmSource = ArrayBuffer | ArrayBufferView | WebAssembly.Module;
/** Where a build is: an absolute URL, a URL relative to the page, or (in Node) a file path. */
export type WasmLocation = string | URL;

export interface LoadOptions {
  /**
   * Where the .wasm files are: a prefix the file names are appended to
   * (`'/assets/'`, `'https://cdn.jsdelivr.net/npm/infokernel@0.1.0/dist/backend/wasm/'`),
   * or one URL per build. A build left out of the object is loaded from its default place.
   */
  wasmPaths?: WasmLocation | { simd?: WasmLocation; scalar?: WasmLocation; threads?: WasmLocation };
  /**
   * The builds themselves (bytes or compiled modules): nothing is fetched. A single value is
   * the SIMD build (`infokernel.simd.wasm`); pass `{ simd, scalar }` to give both, or
   * `{ scalar }` for engines without SIMD, and `threads` (`infokernel.threads.wasm`) for
   * threads. Builds not given are not loaded.
   */
  wasmBinary?: WasmSource | { simd?: WasmSource; scalar?: WasmSource; threads?: WasmSource };
}

export const FILE_NAMES: Record<BuildFile, string> = {
  simd: 'infokernel.simd.wasm',
  scalar: 'infokernel.scalar.wasm',
  threads: 'infokernel.threads.wasm',
};

export function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
}

/**
 * A module that computes with SIMD: i32x4 add, a lane shuffle, i32x4 and f32x4 lane
 * extraction and f32x4.sqrt; f() returns 48 where SIMD works (44 + sqrt 16).
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 108, 1, 106, 0,
  253, 12, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 253, 12, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40, 0, 0, 0,
  253, 174, 1, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  253, 13, 12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3, 253, 27, 0,
  253, 12, 0, 0, 128, 64, 0, 0, 16, 65, 0, 0, 128, 65, 0, 0, 200, 65, 253, 227, 1, 253, 31, 2, 168, 106, 11,
]);

let simdResult: boolean | null = null;

/** Whether this engine runs WebAssembly SIMD, found by running a tiny SIMD module and checking its result. */
export function hasSimd(): boolean {
  // Stryker disable next-line ConditionalExpression: probing again gives the same answer (speed only)
  if (simdResult === null) {
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(SIMD_PROBE), {});
      simdResult = (instance.exports.f as () => number)() === 48;
    } catch {
      simdResult = false;
    }
  }
  return simdResult;
}

/** Whether WASM threads could run here: SharedArrayBuffer, and in browsers a cross-origin-isolated page. */
export function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (typeof g.crossOriginIsolated === 'boolean') return g.crossOriginIsolated;
  return isNode(); // Node has no cross-origin isolation to ask for; worker_threads share memory
}

export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** One literal URL per build, the form bundlers recognise and rewrite statically. */
export function defaultWasmUrl(build: BuildFile): URL {
  try {
    return build === 'simd' ? new URL('./infokernel.simd.wasm', import.meta.url)
      : build === 'scalar' ? new URL('./infokernel.scalar.wasm', import.meta.url)
      : new URL('./infokernel.threads.wasm', import.meta.url);
  } catch {
    // A CommonJS or IIFE bundle made from the ESM build has no import.meta.url.
    throw new Error(`cannot locate ${FILE_NAMES[build]}: this bundle has no import.meta.url (a CommonJS or IIFE bundle?); ` +
      `copy the .wasm files from infokernel/dist/backend/wasm/ and pass ready({ wasmPaths }) with where they are served`);
  }
}

function pageBase(): string | undefined {
  const g = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  return g.document?.baseURI ?? g.location?.href;
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/** Where a build is, as a URL, or (Node, no scheme) a file path. */
export function wasmLocation(build: BuildFile, paths: LoadOptions['wasmPaths']): URL | string {
  let where: WasmLocation | undefined;
  if (isLocation(paths)) {
    const prefix = String(paths);
    where = prefix + (prefix === '' || /[/\\]$/.test(prefix) ? '' : '/') + FILE_NAMES[build]; // '\\': a Windows directory
  } else if (paths !== undefined) { // one per build (checkLoadOptions has refused every other value)
    where = paths[build];
  }
  if (where === undefined) return defaultWasmUrl(build);
  // Stryker disable next-line ConditionalExpression: a URL is absolute, so the next line returns a copy of it
  if (where instanceof URL) return where;
  if (ABSOLUTE_URL.test(where) && !/^[a-z]:[\\/]/i.test(where)) return new URL(where);
  const base = pageBase();
  if (base !== undefined) return new URL(where, base);
  if (isNode()) return where; // a file path
  throw new Error(`infokernel: cannot resolve the relative WASM path '${where}' without a page URL; pass an absolute URL`);
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/**
 * What to do when a .wasm is not where the module says. Vite 7 and older pre-bundle
 * dependencies for their dev server with esbuild into node_modules/.vite/deps/, which
 * leaves the .wasm files behind (the dev server then answers index.html): the fix is in
 * vite.config, not in where the files are served.
 */
const VITE_DEPS = /\/node_modules\/\.vite\/deps\//;

function remedy(where: string): string {
  if (VITE_DEPS.test(where)) {
    return `The Vite dev server pre-bundled infokernel into node_modules/.vite/deps/ without its .wasm files ` +
      `(Vite 7 and older do): add optimizeDeps: { exclude: ['infokernel'] } to vite.config`;
  }
  return `Serve the file from the infokernel package (dist/backend/wasm/) at that URL, or pass ready({ wasmPaths }) ` +
    `with the URL where it is served`;
}

/** The bytes must start with \0asm: a server's index.html or 404 page instead gives a clear error. */
export function checkMagic(bytes: Uint8Array, where: string): void {
  if (MAGIC.every((b, i) => bytes[i] === b)) return;
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = Array.from(bytes.subarray(0, 64), (b) => String.fromCharCode(b)).join('');
  const html = /^\s*</.test(text);
  throw new Error(
    `${where} is not a WebAssembly file (it starts with ${head || 'nothing'}${html ? ', an HTML page' : ''}, ` +
    `not 00 61 73 6d): the server ${html ? 'answered with a page (often index.html for a missing file)' : 'sent something else'}. ` +
    remedy(where));
}

async function readBytes(where: URL | string): Promise<Uint8Array> {
  if (typeof where === 'string' || (where.protocol === 'file:' && isNode())) {
    const fsName = 'node:fs/promises';
    const fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    const buf = await fs.readFile(where);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  let response: Response;
  try {
    response = await fetch(where);
  } catch (err) {
    throw new Error(`cannot fetch ${where.href}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!response.ok) {
    throw new Error(`cannot fetch ${where.href}: HTTP ${response.status}` +
      (VITE_DEPS.test(where.href) ? `. ${remedy(where.href)}` : ''));
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** The raw exports of one build (see assembly/index.ts for the signatures). */
export type WasmExports = Record<string, unknown> & {
  memory: WebAssembly.Memory;
  heapBase(): number;
  /** Per-instance scratch of the short-row kernels: its size, and moving it (see WasmKernels). */
  shortScratchBytes(): number;
  useScratch(at: number): void;
};

/** The builds import nothing (stub runtime, no asserts) but the threads build's shared memory. */
const imports = (memory?: WebAssembly.Memory): WebAssembly.Imports => (memory ? { env: { memory } } : {});

/** The threads build's memory: shared, growable to 4 GiB (its maximum, as the module declares). */
export const SHARED_MAX_PAGES = 65536;

export function sharedMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true });
}

/** An instance of a compiled build (over `memory` for the threads build); checks it is one of ours. */
export async function instantiateModule(module: WebAssembly.Module, where: string, memory?: WebAssembly.Memory): Promise<WasmExports> {
  const instance = await WebAssembly.instantiate(module, imports(memory));
  const exports = instance.exports as WasmExports;
  if (!(exports.memory instanceof WebAssembly.Memory) || typeof exports.heapBase !== 'function') {
    throw new Error(`${where} is not an infokernel build (no memory or heapBase export)`);
  }
  return exports;
}

async function compile(source: WasmSource, where: string): Promise<WebAssembly.Module> {
  let module: WebAssembly.Module;
  if (source instanceof WebAssembly.Module) {
    module = source;
  } else {
    const bytes = ArrayBuffer.isView(source)
      ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
      : new Uint8Array(source);
    checkMagic(bytes, where);
    try {
      module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    } catch (err) {
      throw new Error(`${where} does not compile: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return module;
}

/** A loaded build, its compiled module (workers instantiate it again) and where it came from. */
export interface LoadedBuild {
  exports: WasmExports;
  module: WebAssembly.Module;
  source: string;
  /** The threads build's shared memory. */
  memory?: WebAssembly.Memory;
}

function isSingleSource(binary: unknown): binary is WasmSource {
  return binary instanceof WebAssembly.Module || binary instanceof ArrayBuffer || ArrayBuffer.isView(binary);
}

function isLocation(v: unknown): v is WasmLocation {
  return typeof v === 'string' || v instanceof URL;
}

const PER_BUILD: readonly string[] = ['simd', 'scalar', 'threads'];

/**
 * The types of `wasmPaths` and `wasmBinary` (`fn`: the caller, for the message): a null, a
 * number or a misspelt build key would otherwise fail later with an unrelated TypeError.
 */
export function checkLoadOptions(fn: string, o: LoadOptions): void {
  perBuild(fn, 'wasmPaths', o.wasmPaths, isLocation, 'a URL or file path (a string or URL)');
  perBuild(fn, 'wasmBinary', o.wasmBinary, isSingleSource, 'the bytes of a build (an ArrayBuffer or a view) or a WebAssembly.Module');
}

/** One value for every build (`ok`), or an object with one per build. */
function perBuild(fn: string, name: string, v: unknown, ok: (x: unknown) => boolean, what: string): void {
  if (v === undefined || ok(v)) return;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new TypeError(`${fn}: ${name} must be ${what}, or { simd, scalar, threads } of them; got ${formatValue(v)}`);
  }
  for (const [k, x] of Object.entries(v)) {
    if (!PER_BUILD.includes(k)) throw new TypeError(`${fn}: ${name} has no build '${k}'; its keys are 'simd', 'scalar', 'threads'`);
    if (x !== undefined && !ok(x)) throw new TypeError(`${fn}: ${name}.${k} must be ${what}, got ${formatValue(x)}`);
  }
}

function binaryFor(build: BuildFile, binary: NonNullable<LoadOptions['wasmBinary']>): WasmSource | undefined {
  if (isSingleSource(binary)) return build === 'simd' ? binary : undefined;
  return binary[build];
}

/** Where a build would come from, for messages: a URL, a file path, `wasmBinary` or `wasmBinary.simd`. */
export function describeSource(build: BuildFile, options: LoadOptions): string {
  if (options.wasmBinary !== undefined) return isSingleSource(options.wasmBinary) ? 'wasmBinary' : `wasmBinary.${build}`;
  try {
    return String(wasmLocation(build, options.wasmPaths));
  } catch { // a malformed URL, or no default place (a bundle without import.meta.url)
    return options.wasmPaths === undefined ? FILE_NAMES[build] : String(options.wasmPaths);
  }
}

/**
 * Load one build. Rejects with an Error whose message names where it looked and why it failed.
 * With `wasmBinary`, only the builds it holds are loaded (nothing is fetched).
 */
export async function loadBuildFrom(build: BuildFile, options: LoadOptions = {}): Promise<LoadedBuild> {
  let source: WasmSource | undefined, name: string;
  if (options.wasmBinary !== undefined) {
    source = binaryFor(build, options.wasmBinary);
    name = describeSource(build, options);
    if (source === undefined) throw new Error(`wasmBinary holds no ${build} build`);
  } else {
    const where = wasmLocation(build, options.wasmPaths);
    name = String(where);
    source = await readBytes(where);
  }
  const module = await compile(source, name);
  // Stryker disable next-line ConditionalExpression: the other builds import no memory (an unused import is ignored) and only the threads build's memory is read
  const memory = build === 'threads' ? sharedMemory() : undefined;
  return { exports: await instantiateModule(module, name, memory), module, source: name, memory };
}
