// Value rules for `check: true`. The kernels test values in the same pass as the
// arithmetic and only report *that* something broke a rule; this module then finds the
// first offending element (a rare, error-path scan) and builds the error.
import type { FloatArray } from './types.js';
import { badValue, rangeError } from './errors.js';

/** Number.isInteger and Number.isFinite as type guards (false for every non-number), for the option checks. */
export const isInteger = (v: unknown): v is number => Number.isInteger(v);
export const isFiniteNumber = (v: unknown): v is number => Number.isFinite(v);

/** What an element must be; the function returns why it is not, or null. */
export type Rule = (v: number) => string | null;

export const probability: Rule = (v) =>
  Number.isNaN(v) ? 'is NaN; probabilities must be numbers >= 0' : v < 0 ? 'is negative; probabilities must be >= 0' : null;

export const unitProbability: Rule = (v) =>
  Number.isNaN(v) || v < 0 || v > 1 ? `is not a probability in [0, 1]` : null;

export const logProbability: Rule = (v) => (Number.isNaN(v) ? 'is NaN; log-probabilities must be numbers' : null);

export type Checked = readonly [name: string, values: FloatArray, rule: Rule];

/** Throw for the first element, over the arguments in order, that breaks its rule. */
export function throwFirstInvalid(fn: string, args: readonly Checked[]): never {
  for (const [name, values, rule] of args) {
    for (let i = 0; i < values.length; i++) {
      const why = rule(values[i]);
      if (why !== null) throw badValue(fn, name, i, values[i], `${why} (check: false skips this scan)`);
    }
  }
  // A kernel reported a bad value that the scan cannot find: a bug, never a wrong number.
  throw rangeError(fn, 'an input value was rejected by the kernel but not located; please report this');
}
