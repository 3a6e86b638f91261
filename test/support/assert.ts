// Closeness with a relative and an absolute bound: |a - e| <= max(rel * |e|, abs).
// NaN matches only NaN and infinities only themselves.
import { expect } from 'vitest';

export interface Tol { rel: number; abs: number }
/** f32 input: per-row results within 1e-6 relative or 1e-7 absolute of the f64 truth. */
export const F32: Tol = { rel: 1e-6, abs: 1e-7 };
/** f64 input: within 1e-12 relative. */
export const F64: Tol = { rel: 1e-12, abs: 1e-14 };

export function tolFor(x: Float32Array | Float64Array): Tol {
  return x instanceof Float32Array ? F32 : F64;
}

export function mismatch(actual: number, expected: number, tol: Tol): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return !(Number.isNaN(expected) && Number.isNaN(actual));
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual !== expected;
  return Math.abs(actual - expected) > Math.max(tol.rel * Math.abs(expected), tol.abs);
}

/** Assert element-wise closeness; the failure names the first bad index. */
export function expectClose(actual: ArrayLike<number> | number, expected: ArrayLike<number> | number, tol: Tol, label = ''): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  expect(a.length, `${label}: length`).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    if (mismatch(a[i], e[i], tol)) {
      expect.fail(`${label}[${i}]: got ${a[i]}, expected ${e[i]} (|diff| ${Math.abs(a[i] - e[i]).toExponential(2)}, tol rel ${tol.rel} abs ${tol.abs})`);
    }
  }
}

/** Largest |a - e| / max(|e|, floor) over finite pairs: for reporting worst cases. */
export function worstRelative(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-7 / 1e-6): number {
  let w = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i], a = actual[i];
    if (!Number.isFinite(e) || !Number.isFinite(a)) continue;
    w = Math.max(w, Math.abs(a - e) / Math.max(Math.abs(e), floor));
  }
  return w;
}

/** Assert fn throws an instance of exactly `type` (not a subclass or another class: the class is part of the API contract) with a message matching `message`. */
export function expectThrows(fn: () => unknown, type: ErrorConstructor, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    return expectError(err, type, message);
  }
  expect.fail(`expected a ${type.name} matching ${message}; nothing was thrown`);
}

/** expectThrows for a promise: it must reject with exactly `type` and a message matching `message`. */
export async function expectRejects(promise: Promise<unknown>, type: ErrorConstructor, message: RegExp): Promise<void> {
  try {
    await promise;
  } catch (err) {
    return expectError(err, type, message);
  }
  expect.fail(`expected a rejection with a ${type.name} matching ${message}; the promise resolved`);
}

function expectError(err: unknown, type: ErrorConstructor, message: RegExp): void {
  expect((err as Error | null | undefined)?.constructor, `thrown: ${String(err)}`).toBe(type);
  expect((err as Error).message).toMatch(message);
}
