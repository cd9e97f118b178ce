// State change -> n8n execution latency, in a real n8n, for the Home Assistant (Homelab) Trigger (WebSocket push)
// side by side with n8n's built-in Home Assistant node polled by a Schedule Trigger every second (the only way
// to react to a state with the built-in node). Both watch the same simulated entity.
//
//   bash bench/homeassistant-latency.sh            # BENCH_CHANGES=30 BENCH_POLL_SECONDS=1 by default
//
// Latency = execution startedAt - the moment the simulator changed the state. For polling, the first poll
// execution that saw the new value counts; a value no poll saw is "missed".
import { startN8n, outputOf, type ExecutionResult, type N8n, type WorkflowJson } from '../test/harness/n8n';
import { waitFor } from '../test/harness/net';
import { HomeAssistantSimulator } from '../test/simulators/homeassistant';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 30);
const POLL_SECONDS = Number(process.env.BENCH_POLL_SECONDS ?? 1);
const ENTITY = 'sensor.bench_counter';

function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(name: string, latencies: number[], missed: number): string {
	const sorted = [...latencies].sort((a, b) => a - b);
	const cell = (value: number) => (Number.isNaN(value) ? '-' : `${Math.round(value)} ms`).padStart(9);
	return `${name.padEnd(48)}${cell(percentile(sorted, 50))}${cell(percentile(sorted, 99))}${cell(sorted.at(-1) ?? NaN)}${String(latencies.length).padStart(6)}${String(missed).padStart(8)}`;
}

async function allExecutions(n8n: N8n, workflowId: string): Promise<ExecutionResult[]> {
	return (await n8n.executions(workflowId, 250)).filter((execution) => execution.status === 'success');
}

function startedAt(execution: ExecutionResult): number {
	return Date.parse(String(execution.raw.startedAt));
}

async function main(): Promise<void> {
	const sim = await HomeAssistantSimulator.start();
	sim.setState(ENTITY, '0');
	const n8n = await startN8n();
	try {
		const ours = await n8n.createCredential('HA homelab', 'homelabHomeAssistantApi', {
			url: sim.url,
			accessToken: sim.token,
		});
		const builtIn = await n8n.createCredential('HA built-in', 'homeAssistantApi', {
			host: '127.0.0.1',
			port: sim.port,
			ssl: false,
			accessToken: sim.token,
		});
		const pushWorkflow: WorkflowJson = {
			name: 'bench: homelab trigger',
			nodes: [
				{
					name: 'Trigger',
					type: 'n8n-nodes-homelab.homeAssistantTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { triggerOn: 'stateChanged', entities: ENTITY },
					credentials: { homelabHomeAssistantApi: { id: ours, name: 'HA homelab' } },
				},
			],
			connections: {},
		};
		const pollWorkflow: WorkflowJson = {
			name: 'bench: built-in node polling',
			nodes: [
				{
					name: 'Every Second',
					type: 'n8n-nodes-base.scheduleTrigger',
					typeVersion: 1.2,
					position: [0, 0],
					parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: POLL_SECONDS }] } },
				},
				{
					name: 'Get State',
					type: 'n8n-nodes-base.homeAssistant',
					typeVersion: 1,
					position: [220, 0],
					parameters: { resource: 'state', operation: 'get', entityId: ENTITY },
					credentials: { homeAssistantApi: { id: builtIn, name: 'HA built-in' } },
				},
			],
			connections: { 'Every Second': { main: [[{ node: 'Get State', type: 'main', index: 0 }]] } },
		};
		const pushId = await n8n.importWorkflow(pushWorkflow);
		const pollId = await n8n.importWorkflow(pollWorkflow);
		await n8n.activate(pushId);
		await n8n.activate(pollId);
		await waitFor('the trigger to subscribe', () =>
			Promise.resolve(sim.subscribers('state_changed') >= 1 ? true : undefined),
		);
		await new Promise((resolve) => setTimeout(resolve, 3000));

		const changedAt = new Map<string, number>();
		for (let index = 1; index <= CHANGES; index++) {
			const value = `v${index}`;
			changedAt.set(value, Date.now());
			sim.setState(ENTITY, value);
			// Long enough for at least one poll to see every value; jittered against the poll phase.
			await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS * 1000 * 1.5 + Math.random() * 500));
		}
		await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS * 1000 * 2 + 1000));
		await n8n.deactivate(pollId);
		await n8n.deactivate(pushId);

		const push: number[] = [];
		const pushSeen = new Set<string>();
		for (const execution of await allExecutions(n8n, pushId)) {
			const value = String(outputOf(execution, 'Trigger')[0]?.json.state);
			const at = changedAt.get(value);
			if (at === undefined || pushSeen.has(value)) continue;
			pushSeen.add(value);
			push.push(startedAt(execution) - at);
		}
		const poll: number[] = [];
		const firstPoll = new Map<string, number>();
		for (const execution of await allExecutions(n8n, pollId)) {
			const value = String(outputOf(execution, 'Get State')[0]?.json.state);
			const started = startedAt(execution);
			if (!changedAt.has(value)) continue;
			if (!firstPoll.has(value) || started < (firstPoll.get(value) ?? Infinity))
				firstPoll.set(value, started);
		}
		for (const [value, started] of firstPoll) poll.push(started - (changedAt.get(value) ?? started));

		console.log(`\nState change -> execution start, ${CHANGES} changes, n8n 2.41.1, loopback simulator\n`);
		console.log(
			`${''.padEnd(48)}${'p50'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}${'seen'.padStart(6)}${'missed'.padStart(8)}`,
		);
		console.log(summary('Home Assistant (Homelab) Trigger (WebSocket)', push, CHANGES - push.length));
		console.log(
			summary(`built-in Home Assistant node, polled every ${POLL_SECONDS} s`, poll, CHANGES - poll.length),
		);
	} finally {
		await n8n.stop();
		await sim.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
