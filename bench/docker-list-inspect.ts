// Bench: list + inspect N containers through the Docker node in real n8n vs the same calls with raw dockerode
// (what a user scripting it in a Code node or outside n8n would use), against the same real dockerd.
// Node time is n8n's own executionTime of the two Docker nodes (List, then Inspect once per listed item);
// dockerode time is the wall time of listContainers + one inspect per container, sequential like the node.
// Median of several runs after a warm-up.
//   bash scripts/bench.sh bench/docker-list-inspect.ts
import Docker from 'dockerode';

import { startN8n, type WorkflowJson } from '../test/harness/n8n';
import { startDocker } from '../test/services/docker';

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LABEL = 'bench.docker=list-inspect';

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
	const [docker, n8n] = await Promise.all([startDocker(), startN8n()]);
	try {
		const raw = new Docker({ socketPath: docker.socketPath });
		const started = Date.now();
		for (let index = 0; index < CONTAINERS; index += 20) {
			await Promise.all(
				Array.from({ length: Math.min(20, CONTAINERS - index) }, async (_, offset) =>
					raw.createContainer({
						name: `bench-${index + offset}`,
						Image: docker.busyboxImage,
						Cmd: ['true'],
						Labels: { 'bench.docker': 'list-inspect' },
						HostConfig: { NetworkMode: 'none' },
					}),
				),
			);
		}
		console.log(`# created ${CONTAINERS} containers in ${((Date.now() - started) / 1000).toFixed(1)} s`);

		const credentialId = await n8n.createCredential('bench docker', 'dockerHostApi', {
			connection: 'socket',
			socketPath: docker.socketPath,
		});
		const credentials = { dockerHostApi: { id: credentialId, name: 'bench docker' } };
		const workflow: WorkflowJson = {
			name: 'bench docker list+inspect',
			nodes: [
				{
					name: 'Manual Trigger',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					name: 'List',
					type: 'n8n-nodes-homelab.docker',
					typeVersion: 1,
					position: [220, 0],
					credentials,
					parameters: {
						resource: 'container',
						operation: 'list',
						returnAll: true,
						filters: { label: LABEL },
					},
				},
				{
					name: 'Inspect',
					type: 'n8n-nodes-homelab.docker',
					typeVersion: 1,
					position: [440, 0],
					credentials,
					parameters: {
						resource: 'container',
						operation: 'inspect',
						containerId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					},
				},
			],
			connections: {
				'Manual Trigger': { main: [[{ node: 'List', type: 'main', index: 0 }]] },
				List: { main: [[{ node: 'Inspect', type: 'main', index: 0 }]] },
			},
		};
		const id = await n8n.importWorkflow(workflow);
		const nodeTimes: number[] = [];
		for (let run = 0; run < RUNS + 1; run++) {
			const result = await n8n.runWorkflow(id, 'Manual Trigger', 300000);
			if (result.status !== 'success') throw new Error(`workflow failed: ${JSON.stringify(result.error)}`);
			const items = result.runData.Inspect[0].data?.main?.[0]?.length ?? 0;
			if (items !== CONTAINERS) throw new Error(`Inspect returned ${items} items, expected ${CONTAINERS}`);
			const time = (name: string) =>
				(result.runData[name][0] as unknown as { executionTime: number }).executionTime;
			if (run > 0) nodeTimes.push(time('List') + time('Inspect'));
		}

		const rawTimes: number[] = [];
		for (let run = 0; run < RUNS + 1; run++) {
			const begin = performance.now();
			const list = await raw.listContainers({ all: true, filters: JSON.stringify({ label: [LABEL] }) });
			for (const info of list) await raw.getContainer(info.Id).inspect();
			if (list.length !== CONTAINERS) throw new Error(`dockerode listed ${list.length}`);
			if (run > 0) rawTimes.push(performance.now() - begin);
		}

		const node = median(nodeTimes);
		const direct = median(rawTimes);
		console.log(`# list + inspect ${CONTAINERS} containers, median of ${RUNS} runs (after a warm-up)`);
		console.log(`Docker node in n8n: ${node.toFixed(0)} ms (${(node / CONTAINERS).toFixed(2)} ms/container)`);
		console.log(
			`raw dockerode:      ${direct.toFixed(0)} ms (${(direct / CONTAINERS).toFixed(2)} ms/container)`,
		);
		console.log(`ratio Docker node / dockerode: ${(node / direct).toFixed(2)}x (1 = no overhead)`);
	} finally {
		await n8n.stop();
		await docker.stop();
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
