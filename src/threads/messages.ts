// The arguments and results of asynchronous calls, as they cross to the coordinator worker.
// Typed arrays in the shared WebAssembly memory (allocBatch views) travel as their place in
// it and are viewed again there, so the worker reads them in place; every other array is
// copied by postMessage (structured clone), like the chunked copy of a synchronous call.
import { BatchHandle } from '../batch.js';
import { TYPES, typeCode } from './methods.js';

interface ViewRef {
  $infokernelView: 0 | 1 | 2;
  byteOffset: number;
  length: number;
}


function isViewRef(v: unknown): v is ViewRef {
  return typeof v === 'object' && v !== null && '$infokernelView' in v;
}

/** One argument or option value: views of shared memory (`shared(buffer)`) by reference, batches as their views. */
function encodeValue(v: unknown, shared: (b: ArrayBufferLike) => boolean): unknown {
  if (v instanceof BatchHandle) v = v.view;
  if ((v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array) && shared(v.buffer)) {
    return { $infokernelView: typeCode(v), byteOffset: v.byteOffset, length: v.length } satisfies ViewRef;
  }
  return v;
}

/** The arguments of a call: top-level values, and the values of an options object. */
export function encodeArgs(args: readonly unknown[], shared: (b: ArrayBufferLike) => boolean): unknown[] {
  return args.map((a) => {
    if (a !== null && typeof a === 'object' && !ArrayBuffer.isView(a) && !(a instanceof BatchHandle) && Object.getPrototypeOf(a) === Object.prototype) {
      return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, encodeValue(v, shared)]));
    }
    return encodeValue(a, shared);
  });
}

/** In the worker: view references become views of this worker's view of the memory. */
export function decodeArgs(args: readonly unknown[], memory: WebAssembly.Memory): unknown[] {
  const value = (v: unknown) => (isViewRef(v) ? new TYPES[v.$infokernelView](memory.buffer, v.byteOffset, v.length) : v);
  return args.map((a) => (a !== null && typeof a === 'object' && !ArrayBuffer.isView(a) && !isViewRef(a)
    ? Object.fromEntries(Object.entries(a).map(([k, v]) => [k, value(v)]))
    : value(a)));
}

/** A result and what to transfer with it (a fresh array's buffer moves instead of being copied). */
export function encodeResult(value: unknown): [unknown, Transferable[]] {
  if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer && value.byteOffset === 0 &&
    value.byteLength === value.buffer.byteLength) return [value, [value.buffer]];
  return [value, []];
}

/** The options object of a call (its last plain-object argument), if any. */
export function optionsOf(args: readonly unknown[]): Record<string, unknown> | undefined {
  const last = args[args.length - 1];
  return last !== null && typeof last === 'object' && !ArrayBuffer.isView(last) && !(last instanceof BatchHandle)
    ? last as Record<string, unknown> : undefined;
}
