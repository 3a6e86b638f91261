#!/usr/bin/env node
// Mutation testing for what Stryker cannot rebuild: the AssemblyScript kernels (and the
// WASM adapter's chunk offsets). Each mutation in assembly-mutations.json (file + exact
// search string + replacement, `occurrence` picks among repeated matches, 0-based) is
// applied to a scratch copy of the repo (the work tree is never touched), the WASM is
// rebuilt and the tests run with --bail 1; a failing run kills the mutant.
//
//   npm run mutate:assembly                       every mutation
//   npm run mutate:assembly -- --only exp-q2,jsd-nan-guard
//   npm run mutate:assembly -- --grep tracker     ids or descriptions containing a word
//   npm run mutate:assembly -- --equivalent       also run the ones marked equivalent
//   npm run mutate:assembly -- --tests test/independent.test.ts   a subset of the tests
//   npm run mutate:assembly -- --check            only check that every search string matches
//   npm run mutate:assembly -- --shard 1/2        every 2nd mutation from the first (run 2 shards side by side)
//   npm run mutate:assembly -- --skip-baseline    do not first check that the unmutated code passes
// The tests run in two stages: the files most likely to catch the mutant first (an entry's
// `tests`, else by file: see firstStage), then, if it survived them, the whole suite; both
// with --bail 1.
//
// A search string that no longer matches (the code moved) is an error, reported as such
// and failing the run: re-anchor the entry. Report: reports/assembly-mutation.json.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The WASM builds the tests load (asconfig.json's targets). */
const BUILDS = ['simd', 'scalar', 'threads'];
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const listPath = join(root, 'test/mutation/assembly-mutations.json');

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const only = value('--only')?.split(',');
const grep = value('--grep');
const tests = value('--tests')?.split(',') ?? [];
const runEquivalent = flag('--equivalent');
const checkOnly = flag('--check');
const skipBaseline = flag('--skip-baseline');
const [shardK, shardN] = (value('--shard') ?? '1/1').split('/').map(Number);

const list = JSON.parse(readFileSync(listPath, 'utf8')).mutations;
const selected = list.filter((m, i) =>
  (!only || only.includes(m.id)) && (!grep || `${m.id} ${m.description}`.includes(grep)) && i % shardN === shardK - 1);

/** Index of the n-th occurrence of s in text, or -1. */
function nth(text, s, n) {
  let at = -1;
  for (let k = 0; k <= n; k++) {
    at = text.indexOf(s, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

/** The mutated text, or an error string. */
function apply(m, text) {
  const at = nth(text, m.search, m.occurrence ?? 0);
  if (at < 0) {
    const count = text.split(m.search).length - 1;
    return { error: `search string not found (occurrence ${m.occurrence ?? 0}, ${count} matches): re-anchor this entry` };
  }
  return { text: text.slice(0, at) + m.replace + text.slice(at + m.search.length) };
}

// ---- validate every selected entry against the current sources first
const originals = new Map();
const errors = [];
for (const m of selected) {
  const file = join(root, m.file);
  if (!existsSync(file)) { errors.push([m, `file ${m.file} does not exist`]); continue; }
  if (!originals.has(m.file)) originals.set(m.file, readFileSync(file, 'utf8'));
  const r = apply(m, originals.get(m.file));
  if (r.error) errors.push([m, r.error]);
  else if (m.search === m.replace) errors.push([m, 'replacement equals the search string']);
}
for (const [m, e] of errors) console.log(`ERROR      ${m.id}: ${e}`);
if (checkOnly) {
  console.log(`${selected.length - errors.length} of ${selected.length} mutations apply`);
  process.exit(errors.length ? 1 : 0);
}

// ---- a scratch copy: sources and tests copied, node_modules linked
const scratch = mkdtempSync(join(tmpdir(), 'ik-mutate-'));
for (const entry of ['assembly', 'src', 'test', 'bench', 'package.json', 'asconfig.json', 'tsconfig.json']) {
  if (existsSync(join(root, entry))) cpSync(join(root, entry), join(scratch, entry), { recursive: true });
}
for (const f of ['vitest.config.ts', 'vitest.config.mts']) if (existsSync(join(root, f))) cpSync(join(root, f), join(scratch, f));
symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
// Faster builds for mutants: no text files, no optimise-until-converged (same IEEE semantics).
const asconfig = JSON.parse(readFileSync(join(scratch, 'asconfig.json'), 'utf8'));
asconfig.options.converge = false;
for (const t of Object.values(asconfig.targets)) delete t.textFile;
writeFileSync(join(scratch, 'asconfig.json'), JSON.stringify(asconfig, null, 2));
const cleanup = () => rmSync(scratch, { recursive: true, force: true });
// Interrupted (Ctrl-C, kill): remove the scratch copy; the test run of the moment has a
// session of its own (setsid) and ends with its --bail or its last file.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanup(); process.exit(130); });
// the copied .wasm files are the unmutated builds: remove them so a failed build cannot pass
for (const b of BUILDS) rmSync(join(scratch, `src/backend/wasm/infokernel.${b}.wasm`), { force: true });

const bin = (name) => join(root, 'node_modules/.bin', name);
function run(cmd, argv) {
  // in a session of its own (setsid): a test runner that signals its process group on
  // --bail must not reach this script
  const r = spawnSync('setsid', ['--wait', cmd, ...argv], { cwd: scratch, encoding: 'utf8', env: { ...process.env, CI: 'true' }, maxBuffer: 1 << 28 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
// Every WASM build, side by side, then copied next to src/backend/wasm/load.ts, which is
// where the tests load them from (asc writes build/; without the copy every test would run
// the unmutated .wasm copied with src/ and every assembly mutant would survive). The threads
// build is the SIMD kernels wherever threads run (Node): leaving it out tested every SIMD-path
// mutant against unmutated kernels.
const build = () => run('sh', ['-c', BUILDS.map((b) => `"${bin('asc')}" assembly/index.ts --target ${b} & p${b}=$!`).join('; ') +
  '; ' + BUILDS.map((b) => `wait $p${b} || exit 1`).join('; ') + '; cp ' + BUILDS.map((b) => `build/infokernel.${b}.wasm`).join(' ') + ' src/backend/wasm/']).ok;
const vitestRun = (files) => run(bin('vitest'), ['run', '--bail', '1', '--reporter', 'dot', ...files]);
/**
 * Killed by the first stage (the entry's own `tests`, else the files most likely to catch
 * a mutant of that file), or by the whole suite; or only the files given with --tests.
 */
function firstStage(m) {
  if (m.tests) return m.tests;
  if (m.file.startsWith('assembly/math/')) return ['test/vmath.test.ts', 'test/ulp-sweep.test.ts'];
  return ['test/independent.test.ts'];
}
function vitest(m) {
  if (tests.length) return vitestRun(tests);
  const first = vitestRun(firstStage(m).filter((f) => existsSync(join(scratch, f))));
  return first.ok ? vitestRun([]) : first;
}

const results = [];
try {
  // the unmutated code must build and pass, or every mutant would look killed
  if (!skipBaseline) {
    if (!build()) throw new Error('the unmutated WASM does not build');
    const base = vitestRun(tests);
    if (!base.ok) throw new Error(`the tests fail without any mutation:\n${base.out.slice(-3000)}`);
  }

  for (const m of selected) {
    if (errors.some(([e]) => e === m)) { results.push({ id: m.id, status: 'error' }); continue; }
    if (m.equivalent && !runEquivalent) {
      results.push({ id: m.id, status: 'equivalent', reason: m.equivalent });
      console.log(`EQUIVALENT ${m.id}: ${m.equivalent}`);
      continue;
    }
    const t0 = Date.now();
    const target = join(scratch, m.file);
    if (!existsSync(target)) throw new Error(`the scratch copy lost ${m.file}: something removed ${scratch}`);
    const { text } = apply(m, originals.get(m.file));
    writeFileSync(target, text);
    let status;
    try {
      if (!build()) status = 'compile-error';
      else status = vitest(m).ok ? 'survived' : 'killed';
    } finally {
      writeFileSync(target, originals.get(m.file));
    }
    if (m.equivalent) status = status === 'survived' ? 'equivalent' : `${status} (marked equivalent)`;
    const secs = ((Date.now() - t0) / 1000).toFixed(0);
    results.push({ id: m.id, status, seconds: Number(secs) });
    console.log(`${status.toUpperCase().padEnd(10)} ${m.id} (${secs} s): ${m.description}`);
  }
} finally {
  cleanup();
}

const count = (s) => results.filter((r) => r.status === s).length;
const killed = count('killed'), survived = count('survived');
const rate = killed + survived ? (100 * killed) / (killed + survived) : 0;
const summary = {
  date: new Date().toISOString(), total: results.length, killed, survived,
  equivalent: results.filter((r) => r.status.startsWith('equivalent')).length,
  compileErrors: count('compile-error'), errors: count('error'),
  killRate: Number(rate.toFixed(1)),
  survivors: results.filter((r) => r.status === 'survived').map((r) => r.id),
};
mkdirSync(join(root, 'reports'), { recursive: true });
writeFileSync(join(root, `reports/assembly-mutation${shardN > 1 ? `-${shardK}-of-${shardN}` : ''}.json`), JSON.stringify({ summary, results }, null, 2));
console.log(`\n${killed} killed, ${survived} survived, ${summary.equivalent} equivalent, ${summary.compileErrors} compile errors, ${summary.errors} errors`);
console.log(`kill rate ${summary.killRate}% of the non-equivalent mutants${survived ? `; survivors: ${summary.survivors.join(', ')}` : ''}`);
process.exit(summary.errors ? 2 : 0);
