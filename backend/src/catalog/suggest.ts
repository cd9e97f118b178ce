/** Edit distance (insertions, deletions, substitutions, adjacent swaps) for "did you mean". */
function distance(a: string, b: string): number {
	const rows = a.length + 1;
	const cols = b.length + 1;
	const d: number[][] = Array.from({ length: rows }, (_, i) =>
		Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
	);
	for (let i = 1; i < rows; i++)
		for (let j = 1; j < cols; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
				d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
		}
	return d[a.length][b.length];
}

/** The closest known word to a typo, or undefined when nothing is close enough to be a likely intent. */
export function closest(word: string, known: Iterable<string>): string | undefined {
	const lower = word.toLowerCase();
	let best: string | undefined;
	let bestDistance = Infinity;
	for (const candidate of known) {
		const d = distance(lower, candidate.toLowerCase());
		if (d < bestDistance) {
			best = candidate;
			bestDistance = d;
		}
	}
	return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** "did you mean "x"?" or the list of what is allowed. */
export function suggestion(word: string, known: string[], what: string): string {
	const match = closest(word, known);
	if (match) return `Did you mean "${match}"?`;
	return known.length ? `Known ${what}: ${known.join(', ')}` : `There are no ${what} yet`;
}
