// Finding, compiling and instantiating the two WASM builds. No Node-only import at the
// top level: in Node the bytes are read with a dynamic import of node:fs, in browsers
// and bundlers they are fetched from the URL next to this module (bundlers recognise
// `new URL(..., import.meta.url)` and ship the file).
import { instantiate } from '@assemblyscript/loader';

export type Build = 'simd' | 'scalar';

/** i32.const 0; i8x16.splat; i8x16.popcnt — a module that validates only with SIMD. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
}

export function hasSimd(): boolean {
  return hasWebAssembly() && WebAssembly.validate(SIMD_PROBE);
}

/** One literal URL per build, the form bundlers recognise and rewrite statically. */
export function wasmUrl(build: Build): URL {
  return build === 'simd'
    ? new URL('../../../build/infokernel.simd.wasm', import.meta.url)
    : new URL('../../../build/infokernel.scalar.wasm', import.meta.url);
}

async function wasmBytes(url: URL): Promise<ArrayBuffer | Uint8Array> {
  if (url.protocol === 'file:') {
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    return fs.readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`infokernel: cannot fetch ${url.href}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** The raw exports of one build (see assembly/index.ts for the signatures). */
export type WasmExports = Record<string, unknown> & {
  memory: WebAssembly.Memory;
  heapBase(): number;
};

export async function loadBuild(build: Build): Promise<WasmExports> {
  const bytes = await wasmBytes(wasmUrl(build));
  const { exports } = await instantiate<WasmExports>(bytes, {});
  return exports;
}
