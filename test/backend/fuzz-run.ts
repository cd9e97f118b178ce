// Runs the backend API fuzz against a live backend process and asserts what issue 16 asks: every input answers
// 2xx or 4xx (never 5xx, never a dropped connection), the process stays up, the job list and the CLI keep
// working, and no secret reaches the log. HOMELAB_FUZZ_SEED=<seed> replays the random part.
import assert from 'node:assert/strict';

import { waitFor } from '../harness/net';
import { runCli } from './api-server';
import { TOKEN, type BackendProcess } from './backend-process';
import { fuzzCases, type FuzzTarget } from './fuzz-cases';
import { exchange, pool, type Outcome } from './fuzz-client';
import { Random } from './fuzz-values';

const SEED = Number(process.env.HOMELAB_FUZZ_SEED ?? 16_2026);

/** the failures among the outcomes (wrong class, or not what the case expects), one line each */
export function judge(
	cases: Array<{ name: string; expect?: number | '4xx' }>,
	outcomes: Outcome[],
): { counts: Record<string, number>; wrong: string[] } {
	const counts: Record<string, number> = {
		'2xx': 0,
		'3xx': 0,
		'4xx': 0,
		'5xx': 0,
		'no answer': 0,
		timeout: 0,
	};
	const wrong: string[] = [];
	outcomes.forEach((outcome, index) => {
		const kind = typeof outcome === 'number' ? `${String(outcome)[0]}xx` : outcome;
		counts[kind] = (counts[kind] ?? 0) + 1;
		const { name, expect } = cases[index];
		const expected =
			expect === undefined
				? kind === '2xx' || kind === '4xx'
				: expect === '4xx'
					? kind === '4xx'
					: outcome === expect;
		if (!expected) wrong.push(`${name}: ${outcome}${expect === undefined ? '' : ` (expected ${expect})`}`);
	});
	return { counts, wrong };
}

/** runs the fuzz against `backend` and asserts the answers, the process, the job list and the log */
export async function fuzzBackend(
	backend: BackendProcess,
	secrets: FuzzTarget['secrets'] & Record<string, string>,
	label: string,
) {
	const job = await backend.api<{ id: string }>('POST', '/v1/jobs', {
		type: 'selftest',
		input: { steps: 1 },
	});
	const cases = fuzzCases(new Random(SEED), { token: TOKEN, jobId: job.id, secrets });
	const started = Date.now();
	const outcomes = await pool(cases, 6, (fuzzCase) => exchange(backend.url, fuzzCase, 20_000));
	const { counts, wrong } = judge(cases, outcomes);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	// the figures README's Security section quotes
	console.log(
		`# fuzz ${label}, seed ${SEED}: ${cases.length} inputs in ${seconds} s -> ${counts['2xx']} 2xx, ` +
			`${counts['4xx']} 4xx, ${counts['5xx']} 5xx, ${counts['no answer'] + counts.timeout} without answer`,
	);
	assert.deepEqual(wrong, [], `inputs answered wrongly (seed ${SEED})`);
	assert.ok(cases.length >= 500, `several hundred inputs (${cases.length})`);

	assert.equal(backend.child?.exitCode, null, 'the backend process is still up');
	assert.equal((await fetch(`${backend.url}/healthz`)).status, 200);
	// the job list and every job in it still read (stored hostile input included), over the API and the CLI
	const { jobs } = await backend.api<{ jobs: Array<{ id: string }> }>('GET', '/v1/jobs?limit=500');
	assert.ok(jobs.length > 1, 'some fuzzed submissions were valid jobs');
	for (const { id } of jobs) await backend.api('GET', `/v1/jobs/${id}`);
	const cli = await runCli({ url: backend.url, token: TOKEN }, 'jobs');
	assert.equal(cli.code, 0, cli.out);

	// the valid jobs among the inputs ran (or are running): what they log is in the log checked below
	await waitFor(
		'every fuzzed job to start',
		async () => {
			const { jobs: now } = await backend.api<{ jobs: Array<{ status: string }> }>(
				'GET',
				'/v1/jobs?limit=500',
			);
			return now.every((listed) => listed.status !== 'queued') ? true : undefined;
		},
		{ timeoutMs: 60_000 },
	);
	const log = backend.output;
	assert.ok(log.length > 0, 'the backend logged the requests');
	for (const [what, secret] of Object.entries({ token: TOKEN, ...secrets }))
		assert.ok(!log.includes(secret), `the ${what} is in the backend's log`);
}
