#!/usr/bin/env node
/**
 * `homelab`: the backend from a terminal.
 *   homelab jobs [--status S] [--type T]          list jobs, newest first
 *   homelab job <id> [--follow]                   one job with its steps; --follow draws live progress
 *   homelab submit <type> <json | @file> [--follow]
 *   homelab provision <json | @file> [--follow]   = submit provision-vm
 *   homelab backup <json | @file> [--follow]      = submit backup-run
 *   homelab deploy <json | @file> [--follow]      = submit deploy-stack
 *   homelab cancel <id>
 *   homelab notes index <vault folder>            index an Obsidian vault (only changed notes are re-read)
 *   homelab notes search "<query>" [--json]       ranked passages: path#heading (lines a-b), snippet, score
 *   homelab plan [--offline] [--catalog DIR|GIT_URL#ref[:folder]] [--base DIR|ref] [--secrets FILE] [--json|--markdown]
 *                                                 the catalog against a base and (unless --offline) the Docker hosts:
 *                                                 exit 0 no changes, 2 changes, 1 error
 * HOMELAB_BACKEND_URL (http://127.0.0.1:8787) and HOMELAB_BACKEND_TOKEN say where and how.
 */
import { readFileSync } from 'node:fs';

import { planCommand } from './catalog/command';
import { notesCli } from './notes/cli';

const base = (process.env.HOMELAB_BACKEND_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
const token = process.env.HOMELAB_BACKEND_TOKEN ?? '';

interface Job {
	id: string;
	type: string;
	status: string;
	error: string | null;
	result: unknown;
	createdAt: string;
	steps?: Array<{ name: string; status: string; attempts: number }>;
}

async function api<T>(method: string, route: string, body?: unknown): Promise<T> {
	const response = await fetch(`${base}${route}`, {
		method,
		headers: {
			authorization: `Bearer ${token}`,
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) {
		let reason = text;
		try {
			reason = (JSON.parse(text) as { error?: string }).error ?? text;
		} catch {
			// not JSON
		}
		throw new Error(`${method} ${route}: ${response.status} ${reason}`);
	}
	return JSON.parse(text) as T;
}

function readInput(argument: string | undefined): unknown {
	if (!argument) throw new Error('give the job input as JSON or @file.json');
	return JSON.parse(argument.startsWith('@') ? readFileSync(argument.slice(1), 'utf8') : argument);
}

function bar(done: number, total: number, width = 30): string {
	const filled = total ? Math.round((done / total) * width) : 0;
	return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

/** follows the job's SSE stream, drawing a progress bar; resolves with the final job */
async function follow(id: string): Promise<Job> {
	const response = await fetch(`${base}/v1/jobs/${id}/events`, {
		headers: { authorization: `Bearer ${token}` },
	});
	if (!response.ok || !response.body) throw new Error(`events of ${id}: ${response.status}`);
	const decoder = new TextDecoder();
	let buffer = '';
	let done = 0;
	let total = 0;
	let line = '';
	const tty = process.stdout.isTTY;
	const draw = (text: string) => {
		line = text;
		if (tty) process.stdout.write(`\r\x1b[2K${text}`);
		else console.log(text);
	};
	for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
		buffer += decoder.decode(chunk, { stream: true });
		let end: number;
		while ((end = buffer.indexOf('\n\n')) >= 0) {
			const block = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			const kind = /^event: (.+)$/m.exec(block)?.[1];
			const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
			if (typeof data.total === 'number') total = data.total;
			if (kind === 'job-started' && typeof data.resumeAt === 'number') done = data.resumeAt;
			if (kind === 'step-succeeded' || kind === 'step-skipped') done = Number(data.index) + 1;
			const step = typeof data.step === 'string' ? data.step : '';
			if (kind === 'progress') draw(`${bar(done, total)} ${step}: ${String(data.message)}`);
			else if (kind === 'step-retry')
				draw(`${bar(done, total)} ${step} failed (${String(data.error)}), retrying`);
			else if (kind?.startsWith('step-') || kind === 'job-started')
				draw(`${bar(done, total)} ${step || kind}`);
			else if (kind?.startsWith('job-') && kind !== 'job-queued')
				draw(`${bar(done, total)} ${kind.slice(4)}`);
		}
	}
	if (tty && line) process.stdout.write('\n');
	return await api<Job>('GET', `/v1/jobs/${id}`);
}

function printJob(job: Job): void {
	console.log(`${job.id}  ${job.type}  ${job.status}${job.error ? `: ${job.error}` : ''}`);
	for (const step of job.steps ?? [])
		console.log(`  ${step.status.padEnd(9)} ${step.name}  (attempts ${step.attempts})`);
	if (job.result !== null && job.result !== undefined) console.log(JSON.stringify(job.result, null, 2));
}

async function submit(type: string, input: unknown, rest: string[]): Promise<number> {
	const job = await api<Job>('POST', '/v1/jobs', { type, input });
	console.log(`submitted ${job.type} ${job.id}`);
	if (!rest.includes('--follow')) return 0;
	const finished = await follow(job.id);
	printJob(finished);
	return finished.status === 'succeeded' ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
	const [command, ...rest] = argv;
	const option = (name: string) => {
		const index = rest.indexOf(name);
		return index >= 0 ? rest[index + 1] : undefined;
	};
	switch (command) {
		case 'jobs': {
			const query = new URLSearchParams({ limit: '50' });
			if (option('--status')) query.set('status', option('--status')!);
			if (option('--type')) query.set('type', option('--type')!);
			const { jobs } = await api<{ jobs: Job[] }>('GET', `/v1/jobs?${query.toString()}`);
			for (const job of jobs)
				console.log(`${job.id}  ${job.createdAt}  ${job.type.padEnd(13)} ${job.status}`);
			return 0;
		}
		case 'job': {
			const id = rest[0];
			if (!id) throw new Error('homelab job <id> [--follow]');
			const job = rest.includes('--follow') ? await follow(id) : await api<Job>('GET', `/v1/jobs/${id}`);
			printJob(job);
			return job.status === 'failed' ? 1 : 0;
		}
		case 'submit':
			return await submit(rest[0], readInput(rest[1]), rest);
		case 'provision':
			return await submit('provision-vm', readInput(rest[0]), rest);
		case 'backup':
			return await submit('backup-run', readInput(rest[0]), rest);
		case 'deploy':
			return await submit('deploy-stack', readInput(rest[0]), rest);
		case 'notes':
			return await notesCli(rest, { api, follow });
		case 'plan':
			return await planCommand(rest, {
				stdout: (text) => process.stdout.write(text),
				stderr: (text) => process.stderr.write(text),
				env: process.env,
			});
		case 'cancel':
			printJob(await api<Job>('POST', `/v1/jobs/${rest[0]}/cancel`));
			return 0;
		default:
			console.log(
				readFileSync(__filename, 'utf8')
					.split('*/')[0]
					.replace(/^#!.*\n\/\*\*\n/, '')
					.replace(/^ \* ?/gm, ''),
			);
			return command ? 2 : 0;
	}
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(error: Error) => {
		console.error(`homelab: ${error.message}`);
		process.exit(1);
	},
);
