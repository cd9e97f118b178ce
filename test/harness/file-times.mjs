// A second test reporter beside `spec`: at the end of a run it prints how long each test file took, slowest
// first, so the suite's cost is visible in every CI log (the suite must stay well under 30 minutes).
export default async function* fileTimes(source) {
	const perFile = new Map();
	for await (const event of source) {
		if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
			const file = event.data.file ?? '(unknown file)';
			perFile.set(file, (perFile.get(file) ?? 0) + (event.data.details?.duration_ms ?? 0));
		}
	}
	const rows = [...perFile].sort((a, b) => b[1] - a[1]);
	const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
	yield `# time per test file (${rows.length} files, ${(total / 60000).toFixed(1)} min in tests):\n`;
	for (const [file, ms] of rows) {
		yield `#   ${(ms / 1000).toFixed(0).padStart(5)} s  ${file.replace(`${process.cwd()}/`, '')}\n`;
	}
}
