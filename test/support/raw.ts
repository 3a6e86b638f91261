// Direct access to a WASM build's exports, for tests of the vector math itself.
import { loadBuildFrom, type Build } from '../../src/backend/wasm/load.js';
import { Arena } from '../../src/backend/wasm/arena.js';

export interface Raw { call(name: string, x: Float32Array | Float64Array): Float32Array | Float64Array }

export async function raw(build: Build): Promise<Raw> {
  const { exports } = await loadBuildFrom(build);
  const arena = new Arena(exports.memory, exports.heapBase());
  return {
    /** Element-wise export name_f32/name_f64(p, n, out) over x, result copied out. */
    call(name, x) {
      const f64 = x instanceof Float64Array;
      // sweeps are larger than a call's scratch: the two arrays are batches of their own
      const pin = arena.alloc(x.byteLength), pout = arena.alloc(x.byteLength);
      const shift = f64 ? 3 : 2;
      arena.view(f64).set(x, pin >> shift);
      (exports[`${name}_${f64 ? 'f64' : 'f32'}`] as (...a: number[]) => void)(pin, x.length, pout);
      const out = arena.view(f64).slice(pout >> shift, (pout >> shift) + x.length);
      arena.release(pout);
      arena.release(pin);
      return out;
    },
  };
}
