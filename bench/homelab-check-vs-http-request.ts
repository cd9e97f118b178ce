// Bench: checking N endpoints with the Homelab node vs n8n's built-in HTTP Request node (what a user would
// otherwise pick), both inside the same real n8n, against the same loopback HTTPS server. Prints the ratio of
// n8n's own execution durations (startedAt -> stoppedAt), median of several runs.
//   bash scripts/bench.sh bench/homelab-check-vs-http-request.ts
import { startN8n, type WorkflowNode } from '../test/harness/n8n';
import { statusServer } from '../test/helpers/web-servers';
import { itemsNode, linearWorkflow } from '../test/helpers/workflows';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
	const server = await statusServer(200, { tls: true });
	const n8n = await startN8n();
	try {
		const endpoints = Array.from({ length: ITEMS }, (_, index) => ({ url: `${server.url}/item/${index}` }));
		const candidates: Record<string, WorkflowNode> = {
			'Homelab Check HTTP(S)': {
				name: 'Check',
				type: 'n8n-nodes-homelab.homelab',
				typeVersion: 1,
				parameters: {
					resource: 'endpoint',
					operation: 'checkHttp',
					url: '={{ $json.url }}',
					requireValidCertificate: false,
				},
			},
			'HTTP Request (full response, never error)': {
				name: 'Check',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					url: '={{ $json.url }}',
					options: {
						allowUnauthorizedCerts: true,
						response: { response: { fullResponse: true, neverError: true } },
					},
				},
			},
		};
		const medians: Record<string, number> = {};
		for (const [label, node] of Object.entries(candidates)) {
			const id = await n8n.importWorkflow(
				linearWorkflow(`bench ${label}`, [itemsNode('Endpoints', endpoints), node]),
			);
			const durations: number[] = [];
			for (let run = 0; run < RUNS + 1; run++) {
				const result = await n8n.runWorkflow(id, 'Manual Trigger', 120000);
				if (result.status !== 'success') throw new Error(`${label} failed: ${JSON.stringify(result.error)}`);
				const runs = result.runData.Check;
				const items = runs[runs.length - 1].data?.main?.[0]?.length ?? 0;
				if (items !== ITEMS) throw new Error(`${label} returned ${items} items, expected ${ITEMS}`);
				const timing = runs[runs.length - 1] as unknown as { executionTime: number };
				if (run > 0) durations.push(timing.executionTime); // run 0 warms up
			}
			medians[label] = median(durations);
		}
		const [homelab, builtIn] = Object.values(medians);
		console.log(
			`# ${ITEMS} HTTPS endpoints per execution, median of ${RUNS} runs, node execution time in real n8n`,
		);
		for (const [label, value] of Object.entries(medians))
			console.log(`${label}: ${(value / ITEMS).toFixed(2)} ms/item`);
		console.log(`ratio Homelab / HTTP Request: ${(homelab / builtIn).toFixed(2)}x (below 1 = faster)`);
		console.log(
			'Homelab additionally returns certificate expiry and verification per item, which HTTP Request cannot.',
		);
	} finally {
		await n8n.stop();
		await server.close();
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
