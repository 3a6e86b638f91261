// `npm run mutate`: StrykerJS over all of src/, in its two configurations, and one score.
//
// The threads code runs partly in worker threads, where Stryker records no coverage, so it has
// its own configuration (stryker.threads.config.mjs: coverage analysis off, the tests that
// start workers); stryker.config.mjs takes the rest of src/. Each keeps an incremental state,
// committed in test/mutation/state/ (a run reuses every result whose code and covering tests
// are unchanged), so the first run, hours on 2 cores, is made in chunks across machines and
// later ones re-run only what changed. This runs both, then
// merges their JSON reports into reports/mutation/src.json and prints the score per file and
// over src/ (detected = killed + timeout, of all mutants with a result, as Stryker counts it).
//
//   npm run mutate                        # both parts, then the merged score
//   npm run mutate -- --part main         # one part (main | threads), then the merged score
//   npm run mutate -- --part report       # only the merged score of the last reports
//   npm run mutate -- --part main --mutate src/backend/js.ts   # further options go to Stryker
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const PARTS = {
  main: { config: 'stryker.config.mjs', report: 'reports/mutation/mutation.json' },
  threads: { config: 'stryker.threads.config.mjs', report: 'reports/mutation/threads.json' },
};
const args = process.argv.slice(2);
const at = args.indexOf('--part');
const part = at >= 0 ? args.splice(at, 2)[1] : 'all';
if (!['all', 'report', ...Object.keys(PARTS)].includes(part)) {
  console.error(`--part must be main, threads or report, not ${part}`);
  process.exit(2);
}

for (const [name, { config }] of Object.entries(PARTS)) {
  if (part !== 'all' && part !== name) continue;
  console.log(`\n=== StrykerJS, ${name} part (${config}) ===`);
  const run = spawnSync('npx', ['stryker', 'run', config, ...args], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

// The mutation-testing-report-schema statuses: Stryker's score leaves out the mutants that
// could not run (compile and runtime errors) and the ignored ones.
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const merged = { schemaVersion: '1', thresholds: { high: 90, low: 80 }, files: {}, testFiles: {} };
const rows = [];
for (const [name, { report }] of Object.entries(PARTS)) {
  if (!existsSync(report)) { // its files are then named below as not in the reports
    console.log(`${report} is missing: run \`npm run mutate -- --part ${name}\` for its files`);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  Object.assign(merged.testFiles, r.testFiles);
  for (const [file, result] of Object.entries(r.files)) {
    merged.files[file] = result;
    const count = (set) => result.mutants.filter((m) => set.has(m.status)).length;
    rows.push({ file, part: name, detected: count(DETECTED), undetected: count(UNDETECTED),
      noCoverage: result.mutants.filter((m) => m.status === 'NoCoverage').length });
  }
}
if (rows.length === 0) process.exit(1);
writeFileSync('reports/mutation/src.json', JSON.stringify(merged));

const pct = (d, n) => (n ? (100 * d / n).toFixed(1) : '-');
rows.sort((a, b) => a.file.localeCompare(b.file));
console.log('\n| file | part | detected | of | score | no coverage |\n|---|---|---|---|---|---|');
for (const r of rows) {
  const n = r.detected + r.undetected;
  console.log(`| ${r.file} | ${r.part} | ${r.detected} | ${n} | ${pct(r.detected, n)}% | ${r.noCoverage} |`);
}
const d = rows.reduce((s, r) => s + r.detected, 0), n = rows.reduce((s, r) => s + r.detected + r.undetected, 0);
console.log(`\nsrc/: ${d} of ${n} mutants detected, mutation score ${pct(d, n)}% (reports/mutation/src.json)`);
// A file the reports do not hold has not been run yet (or has no mutants: types only): say so,
// so a score over part of src/ is not read as the whole.
const scored = new Set(rows.map((r) => r.file));
const missing = readdirSync('src', { recursive: true }).map((f) => `src/${String(f).replaceAll('\\', '/')}`)
  .filter((f) => f.endsWith('.ts') && !['src/index.ts', 'src/types.ts'].includes(f) && !scored.has(f));
if (missing.length) console.log(`not in the reports (not run yet, or without mutants): ${missing.join(', ')}`);
