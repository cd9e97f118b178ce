// Bench: parse throughput of the Email Parse pipeline vs raw chrono-node on the same corpus
// (test/fixtures/emails, 65 mails + 16 held-out). Prints mails/s of
//   1. raw chrono-node: chrono.casual.parse(subject + body) on text that was decoded beforehand (not timed),
//   2. the Email Parse pipeline in-process: parseRawMessage (MIME, charsets, HTML) + analyzeEmail (dates in the
//      sender's zone, locale detection, quoted history, intents, facts) from the raw .eml bytes,
//   2b. analyzeEmail alone on the same pre-decoded messages as 1 (the cost of the rules without MIME),
//   3. the Email Parse node inside real n8n (node execution time over all mails as items),
// and the ratios. Median of several runs.
//   bash scripts/bench.sh bench/email-parse-throughput.ts        (BENCH_N8N=0 skips the n8n part)
import * as chrono from 'chrono-node';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { analyzeEmail, parseRawMessage } from '../clients/email/parse';
import { startN8n } from '../test/harness/n8n';
import { itemsNode, linearWorkflow } from '../test/helpers/workflows';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PASSES = Number(process.env.BENCH_PASSES ?? 10);
const CORPUS = path.join(__dirname, '../test/fixtures/emails');

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function load(): Buffer[] {
	return [CORPUS, path.join(CORPUS, 'holdout')].flatMap((dir) =>
		readdirSync(dir)
			.filter((file) => file.endsWith('.eml'))
			.sort()
			.map((file) => readFileSync(path.join(dir, file))),
	);
}

async function timePasses(count: number, work: () => Promise<void> | void): Promise<number> {
	const started = process.hrtime.bigint();
	for (let pass = 0; pass < PASSES; pass++) await work();
	return (count * PASSES) / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main(): Promise<void> {
	const raws = load();
	const decoded = await Promise.all(
		raws.map(async (raw) => {
			const message = await parseRawMessage(raw);
			return {
				message,
				text: `${message.subject}\n${message.text}`,
				date: new Date(Date.parse(message.dateHeader ?? '')),
			};
		}),
	);
	let chronoDates = 0;
	const rawChrono = (): void => {
		chronoDates = 0;
		for (const mail of decoded) chronoDates += chrono.casual.parse(mail.text, mail.date).length;
	};
	let pipelineDates = 0;
	const emailParse = async (): Promise<void> => {
		pipelineDates = 0;
		for (const eml of raws) {
			pipelineDates += analyzeEmail(await parseRawMessage(eml), { fallbackTimezone: 'UTC' }).dates.length;
		}
	};
	const analyzeOnly = (): void => {
		for (const mail of decoded) analyzeEmail(mail.message, { fallbackTimezone: 'UTC' });
	};
	rawChrono(); // warm-up
	analyzeOnly();
	await emailParse();
	// Runs alternate between the two so load from other processes on the machine hits both alike.
	const rawRates: number[] = [];
	const pipelineRates: number[] = [];
	const analyzeRates: number[] = [];
	const ratios: number[] = [];
	const analyzeRatios: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		rawRates.push(await timePasses(raws.length, rawChrono));
		analyzeRates.push(await timePasses(raws.length, analyzeOnly));
		analyzeRatios.push(analyzeRates[run] / rawRates[run]);
		pipelineRates.push(await timePasses(raws.length, emailParse));
		ratios.push(pipelineRates[run] / rawRates[run]);
	}
	const raw = median(rawRates);
	const pipeline = median(pipelineRates);
	console.log(
		`# ${raws.length} mails (test/fixtures/emails + holdout), ${PASSES} passes per run, median of ${RUNS} runs`,
	);
	console.log(
		`raw chrono-node (casual, pre-decoded text, ${chronoDates} results): ${raw.toFixed(0)} mails/s`,
	);
	console.log(
		`Email Parse pipeline in-process (raw .eml -> facts, ${pipelineDates} dates): ${pipeline.toFixed(0)} mails/s`,
	);
	console.log(
		`Email Parse analysis only (same pre-decoded text as chrono): ${median(analyzeRates).toFixed(0)} mails/s, ratio ${median(analyzeRatios).toFixed(2)}x`,
	);
	console.log(
		`ratio Email Parse / raw chrono-node: ${median(ratios).toFixed(2)}x (median of per-run ratios; below 1 = slower)`,
	);

	if (process.env.BENCH_N8N === '0') return;
	const n8n = await startN8n();
	try {
		const items = raws.map((eml) => ({ raw: eml.toString('utf8') }));
		const id = await n8n.importWorkflow(
			linearWorkflow('bench email parse', [
				itemsNode('Raw emails', items),
				{ name: 'Parse', type: 'n8n-nodes-homelab.emailParse', typeVersion: 1, parameters: {} },
			]),
		);
		const durations: number[] = [];
		for (let run = 0; run < RUNS + 1; run++) {
			const result = await n8n.runWorkflow(id, 'Manual Trigger', 120000);
			if (result.status !== 'success') throw new Error(`Email Parse failed: ${JSON.stringify(result.error)}`);
			const runs = result.runData.Parse;
			const timing = runs[runs.length - 1] as unknown as { executionTime: number };
			if (run > 0) durations.push(timing.executionTime);
		}
		const inN8n = (raws.length * 1000) / median(durations);
		console.log(`Email Parse node in real n8n (node execution time): ${inN8n.toFixed(0)} mails/s`);
		console.log(`ratio Email Parse node in n8n / raw chrono-node: ${(inN8n / raw).toFixed(2)}x`);
	} finally {
		await n8n.stop();
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
