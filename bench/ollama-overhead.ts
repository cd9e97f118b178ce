// Per-request overhead of the Ollama node against calling the `ollama` package directly, both against the
// Ollama API simulator on loopback (so the "model" costs nothing and only overhead is measured).
//
//   npm run build && PATH="$HOMELAB_NODE24_BIN:$PATH" node --import tsx bench/ollama-overhead.ts [requests]
//
// Three numbers per request (streamed chat, the way the node calls Ollama):
//   direct  – `ollama` package with Node's global fetch, one chat call after another (best of 3 rounds);
//   client  – clients/ollama OllamaClient (node:http fetch, error mapping), alternated with direct;
//   node    – the Ollama node inside a real n8n: the node's own execution time for N items / N
//             (n8n's workflow start-up and the trigger are not counted).
// Prints each mean in ms and the ratios client/direct and node/direct. Bounded: N requests, loopback only.
import { Ollama } from 'ollama';

import { OllamaClient } from '../clients/ollama';
import { outputOf, startN8n } from '../test/harness/n8n';
import { itemsNode, linearWorkflow } from '../test/helpers/workflows';
import { startOllamaSimulator } from '../test/simulators/ollama/server';

const requests = Math.max(10, Number(process.argv[2] ?? 200));
const messages = [{ role: 'user', content: 'Why is the sky blue? Answer in one short sentence.' }];

async function meanMs(call: () => Promise<unknown>): Promise<number> {
	const started = performance.now();
	for (let index = 0; index < requests; index++) await call();
	return (performance.now() - started) / requests;
}

/** Alternates the contenders over 3 rounds (after a warm-up) and keeps each one's best round. */
async function compare(contenders: Record<string, () => Promise<unknown>>): Promise<Record<string, number>> {
	const best: Record<string, number> = {};
	for (const call of Object.values(contenders)) for (let index = 0; index < 10; index++) await call();
	for (let round = 0; round < 3; round++) {
		for (const [label, call] of Object.entries(contenders)) {
			best[label] = Math.min(best[label] ?? Infinity, await meanMs(call));
		}
	}
	for (const [label, mean] of Object.entries(best)) {
		console.log(`${label.padEnd(8)} ${mean.toFixed(3)} ms/request (best of 3 rounds of ${requests})`);
	}
	return best;
}

async function main(): Promise<void> {
	const sim = await startOllamaSimulator();
	const direct = new Ollama({ host: sim.url });
	const client = new OllamaClient({ baseUrl: sim.url });
	try {
		const { direct: directMs, client: clientMs } = await compare({
			direct: async () => {
				let text = '';
				for await (const chunk of await direct.chat({ model: 'llama3.2', messages, stream: true })) {
					text += chunk.message.content;
				}
				return text;
			},
			client: async () => await client.chat({ model: 'llama3.2', messages }),
		});

		const n8n = await startN8n();
		let nodeMs: number;
		try {
			const credentialName = 'Ollama bench';
			const credentialId = await n8n.createCredential(credentialName, 'ollamaApi', {
				baseUrl: sim.url,
				apiKey: '',
				extraHeaders: '',
			});
			const workflow = linearWorkflow('bench: ollama overhead', [
				itemsNode(
					'Items',
					Array.from({ length: requests }, (_, index) => ({ index })),
				),
				{
					name: 'Ollama',
					type: 'n8n-nodes-homelab.ollama',
					typeVersion: 1,
					parameters: {
						resource: 'text',
						operation: 'chat',
						model: { __rl: true, mode: 'name', value: 'llama3.2' },
						prompt: messages[0].content,
					},
					credentials: { ollamaApi: { id: credentialId, name: credentialName } },
				},
			]);
			const workflowId = await n8n.importWorkflow(workflow);
			await n8n.runWorkflow(workflowId); // warm-up run
			const result = await n8n.runWorkflow(workflowId, 'Manual Trigger', 300000);
			if (result.status !== 'success')
				throw new Error(`bench workflow failed: ${JSON.stringify(result.error)}`);
			if (outputOf(result, 'Ollama').length !== requests) throw new Error('bench workflow lost items');
			const run = result.runData.Ollama[0] as unknown as { executionTime: number };
			nodeMs = run.executionTime / requests;
			console.log(`${'node'.padEnd(8)} ${nodeMs.toFixed(3)} ms/request (${requests} items in one execution)`);
		} finally {
			await n8n.stop();
		}
		console.log(`ratio client/direct ${(clientMs / directMs).toFixed(2)}x`);
		console.log(`ratio node/direct   ${(nodeMs / directMs).toFixed(2)}x`);
	} finally {
		await sim.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
