// Under StrykerJS only (vitest.stryker.config.ts's setup file): the active mutant reaches the
// pool's worker threads. Stryker switches a mutant on in the test's own thread
// (globalThis.__stryker__.activeMutant); a worker is another JS realm, whose instrumented
// code reads the mutant from process.env.__STRYKER_ACTIVE_MUTANT__ when it starts, and Node
// gives each new worker a copy of process.env. Set here, at the top of every test file
// (before its ready() starts the pool), so the helpers and the coordinator run the same
// mutant as the test thread.
import { inject } from 'vitest';

const VAR = '__STRYKER_ACTIVE_MUTANT__';
const provided = inject as unknown as (key: string) => unknown;
const id = provided('mode') === 'mutant' ? provided('activeMutant') : undefined;
if (id === undefined || id === null) delete process.env[VAR];
else process.env[VAR] = String(id);
