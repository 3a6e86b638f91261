// The threads mutation run only (vitest.stryker-threads.config.ts): the dry run reports no
// coverage, so Stryker runs every listed test against every mutant. Coverage stops at the
// worker boundary (each worker counts into its own globalThis), so code that only workers run
// would otherwise be "no coverage" and never tested, even with coverage analysis off. Stryker's
// setup file registers its afterAll first and vitest runs after-hooks in reverse, so this one
// clears the coverage before Stryker's copies it into the report.
import { afterAll, inject } from 'vitest';

const provided = inject as unknown as (key: string) => unknown;
afterAll(() => {
  if (provided('mode') !== 'dry-run') return;
  const ns = (globalThis as unknown as Record<string, { mutantCoverage?: unknown } | undefined>)[String(provided('globalNamespace'))];
  if (ns) delete ns.mutantCoverage;
});
