// `npm run mutate:marks`: every `// Stryker disable next-line <Mutators>: <why>` in src/ must make
// Stryker ignore those mutators' mutants on the next line. A comment Babel does not attach to a
// node of that line (one before `} else if`, or before a `? :` continuation line) is silently
// ignored by Stryker, and its "equivalent" mutants are then tested and survive; a comment whose
// line has no such mutant left (the code changed) marks nothing. Uses Stryker's own instrumenter
// (seconds, no test run); test/mutation-marks.test.ts runs it in `npm test`.
import { Instrumenter } from '@stryker-mutator/instrumenter';
import { readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const quiet = { isDebugEnabled: () => false, isTraceEnabled: () => false, isInfoEnabled: () => false, isWarnEnabled: () => false,
  debug() {}, trace() {}, info() {}, warn() {}, error: console.error };
const MARK = /\/\/ Stryker disable next-line ([\w,]+):/;

/** The marks that ignore nothing, or not every mutant of their mutators on the next line. */
export async function checkMarks(names = readdirSync('src', { recursive: true }).map((f) => `src/${String(f).replaceAll('\\', '/')}`)
  .filter((f) => f.endsWith('.ts'))) {
  const files = names.map((name) => ({ name, content: readFileSync(name, 'utf8'), mutate: true }));
  const { mutants } = await new Instrumenter(quiet).instrument(files,
    { plugins: null, excludedMutations: [], ignorers: [], noHeader: true, mutationRanges: [] });
  const problems = [];
  for (const f of files) {
    const lines = f.content.split('\n');
    lines.forEach((line, i) => {
      const m = line.match(MARK);
      if (!m) return;
      const mutators = m[1].split(',');
      const next = mutants.filter((x) => x.fileName.endsWith(f.name) && x.location.start.line === i + 1 && mutators.includes(x.mutatorName));
      const missed = next.filter((x) => x.status !== 'Ignored').length;
      if (next.length === 0 || missed) {
        problems.push(`${f.name}:${i + 2}: ${next.length === 0 ? 'no mutant to ignore' : `${missed} of ${next.length} not ignored`} ` +
          `(${mutators.join(',')}): ${lines[i + 1].trim().slice(0, 100)}`);
      }
    });
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = await checkMarks(process.argv.length > 2 ? process.argv.slice(2) : undefined);
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} marks to fix` : 'every mark ignores the mutants it names');
  process.exit(problems.length ? 1 : 0);
}
