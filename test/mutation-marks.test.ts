// The Stryker disable comments that mark equivalent mutants (README, Mutation testing) must
// reach them: a misplaced one is ignored by Stryker without a word (test/mutation/check-marks.mjs).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMarks } from './mutation/check-marks.mjs';

describe('Stryker disable comments', () => {
  it('each ignores every mutant of its mutators on the next line, and there is one', async () => {
    expect(await checkMarks()).toEqual([]);
  }, 60_000);

  it('notices a mark before `} else if` (Babel attaches it to nothing there)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'marks-')), 'x.ts');
    writeFileSync(file, [
      'export function f(a: unknown) {',
      '  if (typeof a === "string") {',
      '    return 1;',
      '  // Stryker disable next-line ConditionalExpression: a test of the checker',
      '  } else if (a && typeof a === "object") {',
      '    return 2;',
      '  }',
      '  // Stryker disable next-line StringLiteral: a test of the checker',
      '  return 3;',
      '}',
    ].join('\n'));
    const problems = await checkMarks([relative(process.cwd(), file)]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/x\.ts:5: \d of \d not ignored \(ConditionalExpression\)/);
    expect(problems[1]).toMatch(/x\.ts:9: no mutant to ignore \(StringLiteral\)/);
  }, 60_000);
});
