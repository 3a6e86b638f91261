// Backend selection: which kernels a call runs on. ready() loads the WASM builds once;
// until it resolves (or where WebAssembly is missing) calls run on the JS backend.
import type { BackendName } from '../types.js';
import { formatValue } from '../errors.js';
import type { Kernels } from './kernels.js';
import { jsKernels } from './js.js';
import { hasSimd, hasWebAssembly, loadBuild } from './wasm/load.js';
import { WasmKernels } from './wasm/kernels.js';

export interface BackendInfo {
  backend: 'wasm-simd' | 'wasm-scalar' | 'js';
  simd: boolean;
  threads: number;
}

const NAMES: readonly BackendName[] = ['wasm', 'wasm-simd', 'wasm-scalar', 'js'];

let simdKernels: WasmKernels | null = null;
let scalarKernels: WasmKernels | null = null;
let loading: Promise<void> | null = null;
let loadError: unknown = null;
/** The caller's default; null means "the best this engine runs". */
let chosen: BackendName | null = null;

/** Resolves when the WASM builds are instantiated, or known unavailable. Never rejects. */
export function ready(): Promise<void> {
  loading ??= (async () => {
    if (!hasWebAssembly()) {
      loadError = new Error('this engine has no WebAssembly');
      return;
    }
    try {
      const [simd, scalar] = await Promise.all([
        hasSimd() ? loadBuild('simd') : Promise.resolve(null),
        loadBuild('scalar'),
      ]);
      if (simd) simdKernels = new WasmKernels('wasm-simd', simd);
      scalarKernels = new WasmKernels('wasm-scalar', scalar);
    } catch (err) {
      loadError = err;
    }
  })();
  return loading;
}

function unavailable(fn: string, name: BackendName): Error {
  let why: string;
  if (name === 'wasm-simd' && scalarKernels) why = 'this engine does not support WebAssembly SIMD';
  else if (loadError) why = `WebAssembly could not be loaded (${loadError instanceof Error ? loadError.message : String(loadError)})`;
  else why = 'WebAssembly is not loaded yet: await ready() first';
  return new Error(`${fn}: backend '${name}' is not available: ${why}`);
}

function lookup(fn: string, name: BackendName): Kernels {
  if (!NAMES.includes(name)) {
    throw new RangeError(`${fn}: backend ${formatValue(name)} is unknown; use one of ${NAMES.map((n) => `'${n}'`).join(', ')}`);
  }
  const k = name === 'js' ? jsKernels
    : name === 'wasm-simd' ? simdKernels
    : name === 'wasm-scalar' ? scalarKernels
    : simdKernels ?? scalarKernels;
  if (!k) throw unavailable(fn, name);
  return k;
}

/** The kernels a call runs on: its own `backend` option, else the default. */
export function kernelsFor(fn: string, backend: BackendName | undefined): Kernels {
  if (backend !== undefined) return lookup(fn, backend);
  if (chosen !== null) return lookup(fn, chosen);
  return simdKernels ?? scalarKernels ?? jsKernels;
}

/** Default backend for later calls; throws if this engine cannot run it. */
export function setBackend(name: BackendName): void {
  lookup('setBackend', name);
  chosen = name;
}

export function backendInfo(): BackendInfo {
  const k = kernelsFor('backendInfo', undefined);
  return { backend: k.name, simd: k.name === 'wasm-simd', threads: 1 };
}
