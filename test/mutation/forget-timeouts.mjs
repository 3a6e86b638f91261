// Drop the Timeout verdicts from an incremental state file, so that the next Stryker run tests
// those mutants again (with the configured timeout). Stryker counts a timeout as detected, but
// under per-test coverage its limit is twice the covering tests' own time plus timeoutMS, and a
// mutant's run also pays its test files' setup (loading WASM, starting the worker pool in
// threads.test.ts: ~25 s): equivalent mutants covered by few tests of a slow file "timed out".
// Verdicts of Stryker's hit counter ("Hit limit reached": a loop that does not end) are kept.
//
//   node test/mutation/forget-timeouts.mjs test/mutation/state/main.json [file substrings...]
import { readFileSync, writeFileSync } from 'node:fs';

const [stateFile, ...only] = process.argv.slice(2);
if (!stateFile) {
  console.error('usage: node test/mutation/forget-timeouts.mjs <state.json> [file substrings...]');
  process.exit(2);
}
const state = JSON.parse(readFileSync(stateFile, 'utf8'));
let dropped = 0;
for (const [file, result] of Object.entries(state.files)) {
  if (only.length && !only.some((s) => file.includes(s))) continue;
  const keep = result.mutants.filter((m) => m.status !== 'Timeout' || /^Hit limit reached/.test(m.statusReason ?? ''));
  if (keep.length < result.mutants.length) console.log(`${file}: ${result.mutants.length - keep.length} timeouts to test again`);
  dropped += result.mutants.length - keep.length;
  result.mutants = keep;
}
writeFileSync(stateFile, JSON.stringify(state, null, 2));
console.log(`${dropped} timeouts dropped from ${stateFile}`);
