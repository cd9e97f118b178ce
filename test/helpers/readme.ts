import { readFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../harness/runtime';

/** The README section whose "### " heading starts with `heading`, up to the next "### " or "## " heading. */
export function readmeSection(heading: string): string {
	const lines = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').split('\n');
	const start = lines.findIndex((line) => line.startsWith(`### ${heading}`));
	if (start < 0) throw new Error(`README.md has no "### ${heading}" section`);
	const end = lines.findIndex((line, index) => index > start && /^#{2,3} /.test(line));
	return lines.slice(start, end < 0 ? undefined : end).join('\n');
}
