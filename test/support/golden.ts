// Loads the golden fixtures (test/golden/*.json, written by test/golden/generate.py from
// SciPy and PyTorch) and turns a case into the call it describes.
import { readFileSync } from 'node:fs';
import type { FloatArray } from '../../src/types.js';

type Num = number | 'Infinity' | '-Infinity' | 'NaN';
export interface ArrayArg { dtype: 'float32' | 'float64' | 'int32'; data: Num[] }
export interface GoldenCase {
  name: string;
  fn: string;
  args: ArrayArg[];
  options: Record<string, unknown>;
  expected: Num | Num[];
}

export function num(v: Num): number {
  return typeof v === 'number' ? v : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : NaN;
}

export function array(a: ArrayArg): FloatArray | Int32Array {
  const values = a.data.map(num);
  return a.dtype === 'float32' ? new Float32Array(values) : a.dtype === 'float64' ? new Float64Array(values) : new Int32Array(values);
}

/** Options with array-valued entries ({dtype, data}) turned into typed arrays. */
export function options(o: Record<string, unknown>): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    r[k] = v && typeof v === 'object' && 'dtype' in (v as object) ? array(v as ArrayArg) : v;
  }
  return r;
}

export function loadGolden(file: 'probability' | 'logits'): GoldenCase[] {
  const url = new URL(`../golden/${file}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: GoldenCase[] }).cases;
}

/** Is the case's input float32 (so the f32 tolerance applies)? */
export function isF32(c: GoldenCase): boolean {
  return c.args.some((a) => a.dtype === 'float32');
}
