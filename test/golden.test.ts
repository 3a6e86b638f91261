// Golden values from SciPy (test/golden/probability.json, made by test/golden/generate.py):
// every case on every backend. f32 cases hold f32-rounded inputs and the exact f64 answer
// for them, so they measure our f32 arithmetic against the f64 truth.
import { describe, expect, it } from 'vitest';
import * as ik from '../src/index.js';
import { loadGolden, array, options, num, isF32, type GoldenCase } from './support/golden.js';
import { expectClose, F32, F64 } from './support/assert.js';
import { BACKENDS, useWasm } from './support/backends.js';

useWasm();

function call(c: GoldenCase, backend: string): unknown {
  const o = { ...options(c.options), backend };
  const f = (ik as unknown as Record<string, (...a: unknown[]) => unknown>)[c.fn];
  if (c.fn === 'gaussianEntropy') return f(o.sigma, o.base === undefined ? undefined : { base: o.base }); // takes only base
  return f(...c.args.map(array), o);
}

const cases = loadGolden('probability');

describe.each(BACKENDS)('SciPy golden values on %s', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const got = call(c, backend);
    if (c.fn === 'mostUncertain') {
      expect(Array.from(got as Int32Array)).toEqual((c.expected as number[]).map(Number));
      return;
    }
    const expected = Array.isArray(c.expected) ? c.expected.map(num) : num(c.expected);
    expectClose(got as number | Float64Array, expected, isF32(c) ? F32 : F64, c.name);
  });
});

it('every public function of the package has golden cases (SciPy here, PyTorch in logits.json)', () => {
  // From the package's exports, not a hand-written list: a new function without goldens fails.
  const control = new Set(['ready', 'backendInfo', 'setBackend', 'allocBatch', 'setThreads']); // loading, memory, threads: not measures
  // the Async forms give the synchronous results (test/threads.test.ts)
  const exported = Object.entries(ik).filter(([name, v]) => typeof v === 'function' && !control.has(name) && !name.endsWith('Async')).map(([name]) => name);
  expect(exported.length).toBeGreaterThanOrEqual(23); // API.md's 23 functions
  const covered = new Set([...cases, ...loadGolden('logits')].map((c) => c.fn));
  for (const f of exported) expect(covered.has(f), `${f} has no golden case`).toBe(true);
  // and every golden case names an exported function (a typo would never run)
  for (const f of covered) expect(exported, `golden fn ${f}`).toContain(f);
});
