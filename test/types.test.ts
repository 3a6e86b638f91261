// The public types catch mistakes (README, "Types"): test/types/api.ts is compiled with the
// package's compiler options, with its `// @ts-expect-error TEXT` directives switched off, so
// that each marked line must give an error whose message contains TEXT and every other line
// (expectTypeOf assertions of the exact result types included) must compile.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'types');
const fixture = join(dir, 'api.ts');
const DIRECTIVE = /^\s*\/\/ @ts-expect-error (.+)$/;

interface Expected { line: number; text: string; source: string }

function compile(): { expected: Expected[]; found: Map<number, string[]> } {
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  });
  if (!config) throw new Error('test/types/tsconfig.json did not parse');
  const lines = readFileSync(fixture, 'utf8').split('\n');
  const expected: Expected[] = [];
  lines.forEach((l, i) => {
    const m = DIRECTIVE.exec(l);
    if (m) expected.push({ line: i + 1, text: m[1].trim(), source: lines[i + 1].trim() });
  });
  // the same text, line for line, with the directives made plain comments
  const text = lines.map((l) => (DIRECTIVE.test(l) ? l.replace('// @ts-expect-error', '// expect-error') : l)).join('\n');
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    (name === fixture.replaceAll('\\', '/') || name === fixture ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, ...rest));
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  const found = new Map<number, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const where = d.file ? `${d.file.fileName}:${line}` : '(no file)';
    const key = d.file && (d.file.fileName === fixture || d.file.fileName === fixture.replaceAll('\\', '/')) ? line : -1;
    found.set(key, [...(found.get(key) ?? []), `${where}: ${msg}`]);
  }
  return { expected, found };
}

describe('types', () => {
  it('unknown options and wrong reductions do not compile, and results have the exact type', () => {
    const { expected, found } = compile();
    expect(expected.length, 'directives found in test/types/api.ts').toBeGreaterThanOrEqual(30);
    const marked = new Set(expected.map((e) => e.line + 1));
    const problems: string[] = [];
    for (const e of expected) {
      const errors = found.get(e.line + 1) ?? [];
      if (errors.length === 0) problems.push(`line ${e.line + 1} compiles but must not: ${e.source}`);
      else if (!errors.some((m) => m.includes(e.text))) {
        problems.push(`line ${e.line + 1} fails, but not with "${e.text}": ${e.source}\n  ${errors.join('\n  ')}`);
      }
    }
    for (const [line, errors] of found) if (!marked.has(line)) problems.push(...errors);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
