/**
 * What is wrong with a catalog, worded for the person who edits it: the file (relative to the catalog root), the
 * line and column, what is wrong and what to do. The loader collects every problem before it gives up, so one run
 * shows them all.
 */
export interface CatalogProblem {
	file: string;
	line?: number;
	column?: number;
	message: string;
	hint: string;
}

export function formatProblem(problem: CatalogProblem): string {
	const at = problem.line ? `:${problem.line}:${problem.column ?? 1}` : '';
	return `${problem.file}${at}: ${problem.message}. ${problem.hint}`;
}

/** Thrown when a catalog cannot be used; `problems` holds every problem found. */
export class CatalogInvalidError extends Error {
	constructor(readonly problems: CatalogProblem[]) {
		super(
			problems.length === 1
				? formatProblem(problems[0])
				: `${problems.length} problems in the catalog:\n${problems.map(formatProblem).join('\n')}`,
		);
		this.name = 'CatalogInvalidError';
	}
}
