// Replay StrykerJS's surviving mutants against chosen test files, one at a time, on this
// checkout: how the scores "after a replay" in the README are measured. A mutant of the
// threads code or of a subprocess test is out of Stryker's reach (coverage stops at the
// worker boundary; a child process runs unmutated code), and a test written for a survivor
// is checked here without another hour-long Stryker run.
//
//   node test/mutation/stryker-replay.mjs <report.json> <file> <test files,...> [mutant ids,...]
//   node test/mutation/stryker-replay.mjs reports/mutation/threads.json src/threads/team.ts test/team.test.ts
//
// Each mutant's line is found in the current source by its text (the nearest occurrence to
// its old line: lines move as code changes), the replacement applied at its columns, the
// tests run with --bail=1 and the file restored. REPLAY_TIMEOUT (ms, default 180000) bounds a
// run (its whole process group is then killed): a mutant that hangs a call counts as killed,
// as in Stryker. Prints each verdict and a tally. It edits the working tree: run it in a
// scratch worktree if you are editing.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';

/** vitest on the given files, in its own process group: a run that hangs (a mutant that loses a
 * worker's reply) is killed with its workers, which would otherwise live on and load the machine. */
function runTests(files, timeout) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', '--bail=1', ...files], { detached: true });
    let stdout = '', stderr = '', signal = null;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      signal = 'SIGKILL';
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeout);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

const [report, suffix, testList, idList] = process.argv.slice(2);
if (!report || !suffix || !testList) {
  console.error('usage: node test/mutation/stryker-replay.mjs <report.json> <file> <test files,...> [mutant ids,...]');
  process.exit(2);
}
const r = JSON.parse(readFileSync(report, 'utf8'));
const entry = Object.entries(r.files).find(([f]) => f.endsWith(suffix));
if (!entry) throw new Error(`${suffix} is not in ${report}`);
const [, v] = entry;
const ids = idList ? new Set(idList.split(',')) : null;
const oldLines = v.source.split('\n');
const orig = readFileSync(suffix, 'utf8');
const lines = orig.split('\n');
let killed = 0, survived = 0, gone = 0;
const left = [];
for (const m of v.mutants) {
  if (ids ? !ids.has(m.id) : m.status !== 'Survived') continue;
  const s = m.location.start, e = m.location.end, span = e.line - s.line + 1;
  const text = oldLines.slice(s.line - 1, e.line).join('\n');
  let at = -1;
  lines.forEach((_, i) => {
    if (lines.slice(i, i + span).join('\n') === text && (at < 0 || Math.abs(i - (s.line - 1)) < Math.abs(at - (s.line - 1)))) at = i;
  });
  if (at < 0) { gone++; console.log(`${m.id} GONE ${oldLines[s.line - 1].trim().slice(0, 70)}`); continue; }
  const chunk = lines.slice(at, at + span).join('\n');
  const end = span === 1 ? e.column - 1 : chunk.length - (oldLines[e.line - 1].length - (e.column - 1));
  const mutated = [...lines.slice(0, at), chunk.slice(0, s.column - 1) + m.replacement + chunk.slice(end), ...lines.slice(at + span)];
  writeFileSync(suffix, mutated.join('\n'));
  let res;
  try {
    res = await runTests(testList.split(','), Number(process.env.REPLAY_TIMEOUT ?? 180000));
  } finally {
    writeFileSync(suffix, orig);
  }
  const out = (res.stdout + res.stderr).replace(/\x1b\[[0-9;]*m/g, '');
  const ok = res.status === 0 && !res.signal;
  if (ok) { survived++; left.push(m.id); } else killed++;
  const why = ok ? '' : res.signal ? 'timeout' : (out.match(/FAIL .*?> (.*)/)?.[1] ?? out.match(/Error: .*/)?.[0] ?? '');
  console.log(`${m.id} ${ok ? 'SURVIVED' : 'KILLED'} ${suffix}:${at + 1} ${m.mutatorName} ${oldLines[s.line - 1].trim().slice(0, 60)} => ` +
    `${String(m.replacement).replace(/\s+/g, ' ').slice(0, 60)}${why ? ` | ${why.slice(0, 100)}` : ''}`);
}
console.log(`${suffix}: killed ${killed}, survived ${survived}, gone ${gone}${left.length ? `; left: ${left.join(',')}` : ''}`);
