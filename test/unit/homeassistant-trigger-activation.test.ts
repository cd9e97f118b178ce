import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { INode, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';

import { startTrigger } from '../../nodes/HomeAssistantTrigger/trigger';
import { freePort, waitFor } from '../harness/net';
import { HomeAssistantSimulator } from '../simulators/homeassistant';

// trigger() with a minimal stand-in for n8n's ITriggerFunctions: just what the node calls.
function fakeContext(
	mode: 'init' | 'activate',
	credentials: { url: string; accessToken: string },
	parameters: Record<string, unknown>,
) {
	const emitted: Array<Record<string, unknown>> = [];
	const errors: Error[] = [];
	const warnings: string[] = [];
	const staticData: Record<string, unknown> = {};
	const node: INode = {
		id: 'trigger',
		name: 'HA Trigger',
		type: 'n8n-nodes-homelab.homeAssistantTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const context = {
		getNode: () => node,
		getActivationMode: () => mode,
		getMode: () => 'trigger',
		// the workflow's static data (the trigger keeps the last states seen there)
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => await Promise.resolve(credentials),
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		emit: (data: INodeExecutionData[][]) => emitted.push(...data[0].map((item) => item.json)),
		emitError: (error: Error) => errors.push(error),
		helpers: {
			returnJsonArray: (items: Array<Record<string, unknown>>) => items.map((json) => ({ json })),
		},
		logger: {
			info: () => undefined,
			debug: () => undefined,
			warn: (message: string) => warnings.push(message),
			error: (message: string) => warnings.push(message),
		},
	} as unknown as ITriggerFunctions;
	return { context, emitted, errors, warnings };
}

const parameters = { triggerOn: 'stateChanged', entities: 'switch.fan', to: 'on', options: {} };

describe('Home Assistant Trigger activation when Home Assistant is not up (yet)', () => {
	const closers: Array<() => Promise<void>> = [];
	after(async () => {
		for (const close of closers) await close();
	});

	it('fails at once when a user activates it and Home Assistant is unreachable', async () => {
		const port = await freePort();
		const { context } = fakeContext(
			'activate',
			{ url: `http://127.0.0.1:${port}`, accessToken: 't' },
			parameters,
		);
		await assert.rejects(startTrigger.call(context), (error: Error) =>
			/Cannot connect to Home Assistant .* connection refused/.test(error.message),
		);
	});

	it('fails at once on a wrong token, even at n8n startup', async () => {
		const sim = await HomeAssistantSimulator.start();
		closers.push(async () => await sim.stop());
		const { context, errors } = fakeContext('init', { url: sim.url, accessToken: 'wrong' }, parameters);
		const response = await startTrigger.call(context);
		closers.push(async () => await response.closeFunction?.());
		await waitFor('the error', () => Promise.resolve(errors.length ? true : undefined));
		assert.match(errors[0].message, /refused the access token/);
	});

	it('at n8n startup, waits for Home Assistant to come up, then works', async () => {
		const port = await freePort();
		const token = 'late-token';
		const { context, emitted, warnings, errors } = fakeContext(
			'init',
			{ url: `http://127.0.0.1:${port}`, accessToken: token },
			parameters,
		);
		const response = await startTrigger.call(context);
		closers.push(async () => await response.closeFunction?.());
		await waitFor('a retry', () => Promise.resolve(warnings.length >= 1 ? true : undefined), {
			timeoutMs: 5000,
		});
		assert.match(warnings[0], /Home Assistant is not reachable yet \(.*connection refused.*\); trying again/);
		const sim = await HomeAssistantSimulator.start({ port, token });
		closers.push(async () => await sim.stop());
		await waitFor('the trigger to subscribe', () =>
			Promise.resolve(sim.subscribers('state_changed') === 1 ? true : undefined),
		);
		sim.setState('switch.fan', 'on');
		await waitFor('the change', () => Promise.resolve(emitted.length ? true : undefined));
		assert.equal(emitted[0].entity_id, 'switch.fan');
		assert.equal(emitted[0].state, 'on');
		assert.deepEqual(errors, []);
		await response.closeFunction?.();
		await waitFor('closed', () => Promise.resolve(sim.authenticatedConnections() === 0 ? true : undefined));
	});
});
