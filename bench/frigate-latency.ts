// Bench: Frigate incident -> n8n execution latency through real n8n at a steady rate (default 50 incidents/s),
// Frigate Trigger vs n8n's built-in MQTT Trigger on the same broker and topic (what a user would otherwise
// pick; it starts one execution per message and knows nothing of incidents). Latency = the moment the `end`
// message was published -> the execution's startedAt in n8n ("started"), and -> its stoppedAt ("done": the
// workflow has finished with the incident). Prints p50/p99 for each trigger and its ratio to the built-in one.
//   bash scripts/bench.sh bench/frigate-latency.ts   (BENCH_RATE, BENCH_SECONDS to change the load)
// BENCH_DRAIN_SECONDS (180): how long to wait for the executions after the last publish.
// BENCH_PARALLEL: comma-separated Max Parallel Executions to run the Frigate Trigger with, one pass each
// ("default" = the node's default), e.g. "5,default"; BENCH_REVERSE=1 runs the built-in trigger first, to see
// whether the order (n8n warming up, its database growing) favours one side.
import { startN8n, type N8n } from '../test/harness/n8n';
import { startMqtt } from '../test/services/mqtt';
import { FrigatePublisher, reviewLifecycle } from '../test/simulators/frigate/mqtt';

const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 180);

/**
 * Percentile over all `total` incidents sent: one that never started an execution within the drain time
 * counts as infinitely late (a percentile over the received ones only would flatter the slower trigger).
 */
function percentile(values: number[], p: number, total: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const index = Math.min(total - 1, Math.floor((p / 100) * total));
	return index < sorted.length ? sorted[index] : Number.POSITIVE_INFINITY;
}

interface Sample {
	id: string;
	startedAt: number;
	stoppedAt: number;
}

/** How many executions a workflow has (ids only: polling with their data would itself load n8n). */
async function executionCount(n8n: N8n, workflowId: string): Promise<number> {
	let count = 0;
	let cursor: string | undefined;
	do {
		const page = await n8n.api<{ data: unknown[]; nextCursor?: string | null }>(
			'GET',
			`/executions?workflowId=${workflowId}&limit=250${cursor ? `&cursor=${cursor}` : ''}`,
		);
		count += page.data.length;
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return count;
}

async function executionStarts(
	n8n: N8n,
	workflowId: string,
	idOf: (json: Record<string, unknown>) => string,
) {
	const samples: Sample[] = [];
	let cursor: string | undefined;
	do {
		const page = await n8n.api<{ data: Array<Record<string, unknown>>; nextCursor?: string | null }>(
			'GET',
			`/executions?workflowId=${workflowId}&includeData=true&limit=250${cursor ? `&cursor=${cursor}` : ''}`,
		);
		for (const execution of page.data) {
			const runData = (
				execution.data as {
					resultData?: {
						runData?: Record<
							string,
							Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>
						>;
					};
				}
			)?.resultData?.runData;
			const json = runData?.Trigger?.[0]?.data?.main?.[0]?.[0]?.json;
			if (json) {
				samples.push({
					id: idOf(json),
					startedAt: Date.parse(String(execution.startedAt)),
					stoppedAt: Date.parse(String(execution.stoppedAt)),
				});
			}
		}
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return samples;
}

async function main(): Promise<void> {
	const broker = await startMqtt();
	const n8n = await startN8n();
	try {
		const frigateCredential = await n8n.createCredential('Broker', 'mqttBrokerApi', {
			host: '127.0.0.1',
			port: broker.port,
			tls: false,
			username: '',
			password: '',
			clientId: 'bench',
		});
		const mqttCredential = await n8n.createCredential('Broker (n8n MQTT)', 'mqtt', {
			protocol: 'mqtt',
			host: '127.0.0.1',
			port: broker.port,
			username: '',
			password: '',
			clean: true,
			clientId: '',
			ssl: false,
		});
		const frigateCandidate = (parallel: string) => ({
			label: `Frigate Trigger (reviews, on end, max parallel ${parallel})`,
			prefix: `bench-frigate-${parallel}`,
			node: {
				type: 'n8n-nodes-homelab.frigateTrigger',
				parameters: {
					source: 'reviews',
					emit: 'end',
					options: {
						topicPrefix: `bench-frigate-${parallel}`,
						...(parallel === 'default' ? {} : { maxParallel: Number(parallel) }),
					},
				},
				credentials: { mqttBrokerApi: { id: frigateCredential, name: 'Broker' } },
			},
			idOf: (json: Record<string, unknown>) => String(json.id),
		});
		const builtInLabel = 'n8n MQTT Trigger (JSON body)';
		const builtInCandidate = {
			label: builtInLabel,
			prefix: 'bench-mqtt',
			node: {
				type: 'n8n-nodes-base.mqttTrigger',
				typeVersion: 1,
				parameters: { topics: 'bench-mqtt/reviews', options: { jsonParseBody: true } },
				credentials: { mqtt: { id: mqttCredential, name: 'Broker (n8n MQTT)' } },
			},
			idOf: (json: Record<string, unknown>) => String((json.message as { after: { id: string } }).after.id),
		};
		const frigateCandidates = (process.env.BENCH_PARALLEL ?? 'default')
			.split(',')
			.map((value) => value.trim())
			.filter(Boolean)
			.map(frigateCandidate);
		const candidates =
			process.env.BENCH_REVERSE === '1'
				? [builtInCandidate, ...frigateCandidates]
				: [...frigateCandidates, builtInCandidate];
		const results: Record<
			string,
			{
				label: string;
				p50: number;
				p99: number;
				doneP50: number;
				doneP99: number;
				received: number;
				sent: number;
			}
		> = {};
		for (const candidate of candidates) {
			const workflowId = await n8n.importWorkflow({
				name: `bench ${candidate.label}`,
				nodes: [{ name: 'Trigger', typeVersion: 1, position: [0, 0], ...candidate.node }],
				connections: {},
			});
			await n8n.activate(workflowId);
			await new Promise((resolve) => setTimeout(resolve, 3000)); // activation is asynchronous
			const publisher = await FrigatePublisher.connect(broker.url, { prefix: candidate.prefix });
			const publishedAt = new Map<string, number>();
			const total = RATE * SECONDS;
			const started = performance.now();
			const pending: Array<Promise<void>> = [];
			for (let index = 0; index < total; index++) {
				const due = started + (index * 1000) / RATE;
				const wait = due - performance.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
				const end = reviewLifecycle({ camera: 'front_door' })[2];
				publishedAt.set(end.after.id, Date.now());
				pending.push(publisher.review(end));
			}
			await Promise.all(pending);
			await publisher.close();
			const deadline = Date.now() + DRAIN_SECONDS * 1000;
			while (Date.now() < deadline && (await executionCount(n8n, workflowId)) < total) {
				await new Promise((resolve) => setTimeout(resolve, 1000));
			}
			await n8n.deactivate(workflowId);
			const samples = await executionStarts(n8n, workflowId, candidate.idOf);
			const known = samples.filter((sample) => publishedAt.has(sample.id));
			const latencies = known.map((sample) => sample.startedAt - (publishedAt.get(sample.id) ?? 0));
			const done = known.map((sample) => sample.stoppedAt - (publishedAt.get(sample.id) ?? 0));
			const result = {
				label: candidate.label,
				p50: percentile(latencies, 50, total),
				p99: percentile(latencies, 99, total),
				doneP50: percentile(done, 50, total),
				doneP99: percentile(done, 99, total),
				received: latencies.length,
				sent: total,
			};
			results[candidate.label] = result;
			console.log(
				`${candidate.label}: ${result.received}/${total} executions; event->execution started p50 ${result.p50} ms, p99 ${result.p99} ms; event->execution done p50 ${result.doneP50} ms, p99 ${result.doneP99} ms`,
			);
		}
		const builtIn = results[builtInLabel];
		for (const frigate of frigateCandidates.map((candidate) => results[candidate.label])) {
			console.log(
				`at ${RATE} incidents/s for ${SECONDS} s: ${frigate.label} started p50 ${frigate.p50} ms / p99 ${frigate.p99} ms, done p50 ${frigate.doneP50} ms / p99 ${frigate.doneP99} ms vs n8n MQTT Trigger started p50 ${builtIn.p50} ms / p99 ${builtIn.p99} ms, done p50 ${builtIn.doneP50} ms / p99 ${builtIn.doneP99} ms; ratio (done) p50 ${(frigate.doneP50 / builtIn.doneP50).toFixed(2)}x, p99 ${(frigate.doneP99 / builtIn.doneP99).toFixed(2)}x`,
			);
		}
	} finally {
		await n8n.stop();
		await broker.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
