import path from 'node:path';

import type { IndexReport } from './indexer';
import type { SearchHit } from './search';

/** what `homelab notes` borrows from the CLI around it (HTTP with the token, following a job's events) */
export interface CliContext {
	api<T>(method: string, route: string, body?: unknown): Promise<T>;
	follow(id: string): Promise<{ status: string; error: string | null; result: unknown }>;
}

export const NOTES_USAGE = `usage:
  homelab notes index <vault folder> [--no-follow]   index (incrementally) and print what changed
  homelab notes search "<query>" [--json] [--limit N] [--vault <folder>]`;

function printReport(report: IndexReport): void {
	console.log(
		`indexed ${report.vault}: ${report.notes} notes (${report.added} added, ${report.changed} changed, ` +
			`${report.removed} removed, ${report.renamed} renamed, ${report.unchanged} unchanged, ` +
			`${report.skipped} skipped), ${report.chunksWritten} chunks written in ${report.ms} ms`,
	);
	for (const warning of report.warnings) console.log(`  warning: ${warning}`);
}

function printHits(hits: SearchHit[]): void {
	hits.forEach((hit, i) => {
		const heading = hit.headingPath.length ? `#${hit.headingPath.join(' > ')}` : '';
		console.log(
			`${i + 1}. ${hit.path}${heading} (lines ${hit.lines.start}-${hit.lines.end})  score ${hit.score}`,
		);
		console.log(`   ${hit.snippet.replace(/\s+/g, ' ').trim()}`);
	});
}

/** `homelab notes ...`: 0 done (search: something matched), 1 failed (search: nothing matched), 2 usage */
export async function notesCli(rest: string[], cli: CliContext): Promise<number> {
	const [sub, ...args] = rest;
	const option = (name: string) => {
		const index = args.indexOf(name);
		return index >= 0 ? args[index + 1] : undefined;
	};
	const positional = args.filter(
		(arg, i) => !arg.startsWith('--') && !['--limit', '--vault'].includes(args[i - 1]),
	);
	if (sub === 'index' && positional[0]) {
		const submitted = await cli.api<{ id: string }>('POST', '/v1/notes/index', {
			vault: path.resolve(positional[0]),
		});
		if (args.includes('--no-follow')) {
			console.log(`submitted notes-index ${submitted.id}`);
			return 0;
		}
		const job = await cli.follow(submitted.id);
		if (job.status !== 'succeeded') {
			console.error(`homelab: notes-index ${submitted.id} ${job.status}: ${job.error ?? ''}`);
			return 1;
		}
		printReport(job.result as IndexReport);
		return 0;
	}
	if (sub === 'search' && positional[0]) {
		const query = new URLSearchParams({ q: positional[0] });
		const limit = option('--limit');
		if (limit) query.set('limit', limit);
		const vault = option('--vault');
		if (vault) query.set('vault', path.resolve(vault));
		const answer = await cli.api<{ hits: SearchHit[] }>('GET', `/v1/notes/search?${query.toString()}`);
		if (args.includes('--json')) console.log(JSON.stringify(answer, null, 2));
		else if (answer.hits.length) printHits(answer.hits);
		else console.log(`no note matches "${positional[0]}"`);
		return answer.hits.length ? 0 : 1;
	}
	console.error(NOTES_USAGE);
	return 2;
}
