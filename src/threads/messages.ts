// The arguments and results of asynchronous calls, as they cross to the coordinator worker.
// Typed arrays in the shared WebAssembly memory (allocBatch views) travel as their place in
// it and are viewed again there, so the worker reads them in place; every other array is
// copied by postMessage (structured clone), like the chunked copy of a synchronous call.
import { BatchHandle } from '../batch.js';
import { TYPES, type Typed, typeCode } from './methods.js';

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

/** Where shareArgs puts an array: a view of shared memory of the same type and length, or null (no room). */
export type Place = (a: Typed, isOut: boolean) => Typed | null;

/**
 * The arguments with every array outside shared memory (top level, or an option value)
 * replaced by a copy in shared memory (`place`; `out` is not copied in, the call writes it),
 * so the coordinator reads and writes them in place: one memcpy instead of a structured
 * clone and a second copy through its staging region. Null when an array must cross as it
 * is: no room, or `out` sharing a buffer with an input (the call checks that overlap).
 */
export function shareArgs(args: readonly unknown[], shared: (b: ArrayBufferLike) => boolean, place: Place): unknown[] | null {
  const opts = optionsOf(args);
  const out = opts?.out;
  const inputs: Typed[] = [];
  const visit = (v: unknown) => {
    if (v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array) inputs.push(v);
  };
  for (const a of args) {
    if (a === opts) Object.entries(a as object).forEach(([k, v]) => k !== 'out' && visit(v));
    else visit(a);
  }
  const outArray = out instanceof Float32Array || out instanceof Float64Array ? out : null;
  if (outArray && !shared(outArray.buffer) && inputs.some((a) => a.buffer === outArray.buffer)) return null;
  const moved = new Map<Typed, Typed>();
  for (const [a, isOut] of [...inputs.map((a) => [a, false] as const), ...(outArray ? [[outArray, true] as const] : [])]) {
    if (shared(a.buffer) || moved.has(a)) continue;
    const to = place(a, isOut);
    if (to === null) return null;
    moved.set(a, to);
  }
  const swap = (v: unknown) => (moved.get(v as Typed) ?? v);
  return args.map((a) => (a === opts
    ? Object.fromEntries(Object.entries(a as object).map(([k, v]) => [k, swap(v)]))
    : swap(a)));
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
