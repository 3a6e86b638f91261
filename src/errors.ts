// Every error the package throws is built here, so messages share one shape:
// "<function>: <argument>[<index>] = <value> <what is wrong>".

export function formatValue(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  // arrays and typed arrays by their constructor's name (Array, Float32Array, ...)
  return typeof v === 'object' ? (v.constructor?.name ?? 'Object') : typeof v;
}

export function rangeError(fn: string, message: string): RangeError {
  return new RangeError(`${fn}: ${message}`);
}

export function typeError(fn: string, message: string): TypeError {
  return new TypeError(`${fn}: ${message}`);
}

/** A value at an index of an argument that breaks the argument's rule. */
export function badValue(fn: string, arg: string, index: number, value: number, rule: string): RangeError {
  return rangeError(fn, `${arg}[${index}] = ${formatValue(value)} ${rule}`);
}

/** An option with a value it cannot take. */
export function badOption(fn: string, option: string, value: unknown, rule: string): RangeError {
  return rangeError(fn, `option ${option} = ${formatValue(value)} ${rule}`);
}
