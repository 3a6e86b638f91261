/** The Stryker disable comments in `names` (default: src/) that miss the mutants they name. */
export function checkMarks(names?: string[]): Promise<string[]>;
