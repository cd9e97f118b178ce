import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { freePort, waitFor } from '../harness/net';
import { outputOf, type N8n } from '../harness/n8n';
import { entity, haCredential, haNode, type HaCredential } from '../helpers/homeassistant';
import { sharedN8n } from '../helpers/shared-n8n';
import { linearWorkflow } from '../helpers/workflows';
import { fakeJpeg, HomeAssistantSimulator } from '../simulators/homeassistant';

describe('Home Assistant node inside real n8n, against the simulator', () => {
	let n8n: N8n;
	let sim: HomeAssistantSimulator;
	let credential: HaCredential;
	before(async () => {
		n8n = await sharedN8n();
		sim = await HomeAssistantSimulator.start();
		credential = await haCredential(n8n, sim);
	});
	after(async () => await sim.stop());

	const run = async (name: string, nodes: Parameters<typeof linearWorkflow>[1]) =>
		await n8n.runWorkflow(await n8n.importWorkflow(linearWorkflow(name, nodes)));

	it('loads the node, its AI tool variant and the trigger', async () => {
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		for (const name of ['homeAssistant', 'homeAssistantTool', 'homeAssistantTrigger']) {
			assert.ok(names.includes(`n8n-nodes-homelab.${name}`), name);
		}
	});

	it('tests the credential over REST and WebSocket: OK for the right token, refused for a wrong one', async () => {
		const test = async (token: string) => {
			const id = (await haCredential(n8n, sim, token)).id;
			const result = await n8n.rest<{ data: { status: string; message: string } }>(
				'POST',
				'/credentials/test',
				{
					credentials: {
						id,
						name: 'x',
						type: 'homelabHomeAssistantApi',
						data: { url: sim.url, accessToken: token },
					},
				},
			);
			return result.data;
		};
		const ok = await test(sim.token);
		assert.equal(ok.status, 'OK', ok.message);
		assert.equal(ok.message, 'Connected to Home Assistant 2025.11.1 (REST and WebSocket)');
		const refused = await test('wrong-token');
		assert.equal(refused.status, 'Error');
		assert.match(refused.message, /refused the access token \(401 Unauthorized\)/);
	});

	it('fills the dropdowns: entities, actions with their fields, domains, and the action fields mapper', async () => {
		const base = {
			nodeTypeAndVersion: { name: 'n8n-nodes-homelab.homeAssistant', version: 1 },
			credentials: { homelabHomeAssistantApi: credential },
		};
		const search = async (
			methodName: string,
			filter: string,
			currentNodeParameters: Record<string, unknown>,
		) =>
			(
				await n8n.rest<{ data: { results: Array<{ name: string; value: string; description?: string }> } }>(
					'POST',
					'/dynamic-node-parameters/resource-locator-results',
					{ ...base, path: 'parameters.entityId', methodName, filter, currentNodeParameters },
				)
			).data.results;
		const lights = await search('searchEntities', 'light', { resource: 'state', operation: 'get' });
		assert.deepEqual(
			lights.map((item) => item.value),
			['light.kitchen', 'light.living_room', 'light.porch'],
		);
		assert.equal(lights[0].name, 'Kitchen Light (light.kitchen)');
		const actions = await search('searchActions', 'notify', { resource: 'action', operation: 'call' });
		assert.deepEqual(actions, [
			{
				name: 'notify.mobile_app_phone — Send a notification via mobile_app_phone',
				value: 'notify.mobile_app_phone',
				description: 'Fields: message*, title, data',
			},
		]);
		const cameras = await search('searchCameras', '', { resource: 'camera', operation: 'snapshot' });
		assert.deepEqual(
			cameras.map((item) => item.value),
			['camera.porch'],
		);
		const domains = await n8n.rest<{ data: Array<{ value: string }> }>(
			'POST',
			'/dynamic-node-parameters/options',
			{
				...base,
				path: 'parameters.domains',
				methodName: 'getDomains',
				currentNodeParameters: { resource: 'state', operation: 'getAll' },
			},
		);
		assert.ok(
			['calendar', 'camera', 'light', 'switch'].every((domain) =>
				domains.data.some((option) => option.value === domain),
			),
		);
		const mapper = await n8n.rest<{
			data: { fields: Array<{ id: string; required: boolean; type: string }> };
		}>('POST', '/dynamic-node-parameters/resource-mapper-fields', {
			...base,
			path: 'parameters.fields',
			methodName: 'getActionFields',
			currentNodeParameters: {
				resource: 'action',
				operation: 'call',
				action: { __rl: true, mode: 'list', value: 'light.turn_on' },
			},
		});
		assert.deepEqual(
			mapper.data.fields.map((field) => [field.id, field.required, field.type]),
			[['brightness', false, 'number']],
		);
	});

	it('calls an action with its fields filled through the mapper', async () => {
		const result = await run('ha: action fields', [
			haNode('Notify', credential, {
				resource: 'action',
				operation: 'call',
				action: { __rl: true, mode: 'list', value: 'notify.mobile_app_phone' },
				fields: {
					mappingMode: 'defineBelow',
					value: { message: 'Backup done', title: null },
					matchingColumns: [],
					schema: [
						{
							id: 'message',
							displayName: 'message',
							required: true,
							defaultMatch: false,
							display: true,
							type: 'string',
						},
						{
							id: 'title',
							displayName: 'title',
							required: false,
							defaultMatch: false,
							display: true,
							type: 'string',
						},
					],
					attemptToConvertTypes: false,
					convertFieldsToString: false,
				},
				data: '{"data": {"priority": "high"}}',
			}),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.deepEqual(sim.serviceCalls.at(-1), {
			domain: 'notify',
			service: 'mobile_app_phone',
			data: { message: 'Backup done', data: { priority: 'high' } },
			via: 'rest',
		});
	});

	it('gets, sets and lists states (domain filter), item by item', async () => {
		const result = await run('ha: states', [
			haNode('Get', credential, {
				resource: 'state',
				operation: 'get',
				entityId: entity('light.living_room'),
			}),
			haNode('Set', credential, {
				resource: 'state',
				operation: 'set',
				entityId: entity('sensor.n8n_copy'),
				state: '={{ $json.state }}',
				attributes: '={{ JSON.stringify({ copied_from: $json.entity_id }) }}',
			}),
			haNode('Lights', credential, {
				resource: 'state',
				operation: 'getAll',
				domains: ['light'],
				returnAll: true,
			}),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(outputOf(result, 'Get')[0].json.state, 'on');
		assert.equal(outputOf(result, 'Set')[0].json.entity_id, 'sensor.n8n_copy');
		assert.equal(sim.state('sensor.n8n_copy')?.state, 'on');
		assert.deepEqual(sim.state('sensor.n8n_copy')?.attributes, { copied_from: 'light.living_room' });
		assert.deepEqual(
			outputOf(result, 'Lights').map((item) => item.json.entity_id),
			['light.kitchen', 'light.living_room', 'light.porch'],
		);
	});

	it('calls actions with target and data, with return_response, and reports Home Assistant errors', async () => {
		const result = await run('ha: actions', [
			haNode('Turn On', credential, {
				resource: 'action',
				operation: 'call',
				action: { __rl: true, mode: 'id', value: 'light.turn_on' },
				targetEntities: 'light.kitchen',
				data: '{"brightness": 120}',
			}),
			haNode('Events', credential, {
				resource: 'action',
				operation: 'call',
				action: { __rl: true, mode: 'list', value: 'calendar.get_events' },
				targetEntities: 'calendar.family',
				data: `{"end_date_time": "${new Date(Date.now() + 3 * 86400_000).toISOString()}"}`,
				returnResponse: true,
			}),
			haNode(
				'Bad',
				credential,
				{
					resource: 'action',
					operation: 'call',
					action: { __rl: true, mode: 'id', value: 'light.turn_on' },
					targetEntities: 'light.kitchen',
					data: '{"brightness": 999}',
				},
				{ onError: 'continueRegularOutput' },
			),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const changed = outputOf(result, 'Turn On')[0].json.changed_states as Array<{
			state: string;
			attributes: { brightness: number };
		}>;
		assert.equal(changed[0].state, 'on');
		assert.equal(sim.state('light.kitchen')?.attributes.brightness, 120);
		const response = outputOf(result, 'Events')[0].json.service_response as Record<
			string,
			{ events: Array<{ summary: string }> }
		>;
		assert.equal(response['calendar.family'].events[0].summary, 'Bin day');
		const bad = outputOf(result, 'Bad')[0].json;
		assert.match(String(bad.error), /400: Brightness 999 is out of range 0-255/);
	});

	it("stops the execution on an unknown action, naming Home Assistant's answer", async () => {
		const result = await run('ha: unknown action', [
			haNode('Explode', credential, {
				resource: 'action',
				operation: 'call',
				action: { __rl: true, mode: 'id', value: 'light.explode' },
			}),
		]);
		assert.equal(result.status, 'error');
		assert.equal(result.error?.node?.name, 'Explode');
		assert.match(String(result.error?.message), /answered POST \/api\/services\/light\/explode with 400/);
	});

	it("names the address when Home Assistant is unreachable (not n8n's generic sentence)", async () => {
		const port = await freePort();
		const id = await n8n.createCredential(`HA closed ${port}`, 'homelabHomeAssistantApi', {
			url: `http://127.0.0.1:${port}`,
			accessToken: 't',
		});
		const result = await run('ha: unreachable', [
			haNode(
				'Get',
				{ id, name: `HA closed ${port}` },
				{ resource: 'state', operation: 'get', entityId: entity('light.kitchen') },
			),
		]);
		assert.equal(result.status, 'error');
		assert.equal(
			result.error?.message,
			`Cannot reach Home Assistant at http://127.0.0.1:${port}: connection refused (127.0.0.1:${port})`,
		);
		assert.match(String(result.error?.description), /Check the URL in the credential.*\(ECONNREFUSED\)/);
	});

	it('fires events, renders templates, sends notifications, reads config, history and logbook', async () => {
		const since = new Date(Date.now() - 7200_000).toISOString();
		const result = await run('ha: misc', [
			haNode('Fire', credential, {
				resource: 'event',
				operation: 'fire',
				eventType: 'n8n_done',
				eventData: '{"ok": true}',
			}),
			haNode('Render', credential, {
				resource: 'template',
				operation: 'render',
				template: "Living room is {{ states('light.living_room') | upper }}",
			}),
			haNode('Notify', credential, {
				resource: 'notify',
				operation: 'send',
				service: { __rl: true, mode: 'id', value: 'mobile_app_phone' },
				message: '={{ $json.result }}',
				title: 'n8n',
			}),
			haNode('Config', credential, { resource: 'config', operation: 'get' }),
			haNode('Check', credential, { resource: 'config', operation: 'check' }),
			haNode('History', credential, {
				resource: 'history',
				operation: 'get',
				entityIds: 'light.kitchen',
				start: since,
			}),
			haNode('Logbook', credential, {
				resource: 'logbook',
				operation: 'get',
				entityId: 'light.kitchen',
				start: since,
			}),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.deepEqual(sim.firedEvents.find((event) => event.event_type === 'n8n_done')?.data, { ok: true });
		assert.equal(outputOf(result, 'Render')[0].json.result, 'Living room is ON');
		const notification = [...sim.serviceCalls].reverse().find((call) => call.domain === 'notify');
		assert.deepEqual(notification?.data, { message: 'Living room is ON', title: 'n8n' });
		assert.equal(outputOf(result, 'Config')[0].json.location_name, 'Simulated Home');
		assert.equal(outputOf(result, 'Check')[0].json.valid, true);
		const history = outputOf(result, 'History')[0].json;
		assert.equal(history.entity_id, 'light.kitchen');
		assert.ok((history.states as unknown[]).length >= 1);
		assert.ok(outputOf(result, 'Logbook').every((item) => item.json.entity_id === 'light.kitchen'));
	});

	it('lists and creates calendar events and returns a camera snapshot as binary', async () => {
		const start = new Date(Date.now() + 2 * 86400_000);
		const result = await run('ha: calendar and camera', [
			haNode('Create', credential, {
				resource: 'calendar',
				operation: 'createEvent',
				entityId: entity('calendar.family'),
				summary: 'Patch the NAS',
				start: start.toISOString(),
				end: new Date(start.getTime() + 3600_000).toISOString(),
				additionalFields: { location: 'Basement' },
			}),
			haNode('List', credential, {
				resource: 'calendar',
				operation: 'listEvents',
				entityId: entity('calendar.family'),
				end: new Date(Date.now() + 7 * 86400_000).toISOString(),
			}),
			haNode(
				'Snapshot',
				credential,
				{ resource: 'camera', operation: 'snapshot', entityId: entity('camera.porch') },
				{
					executeOnce: true,
				},
			),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.deepEqual(
			outputOf(result, 'List').map((item) => item.json.summary),
			['Bin day', 'Patch the NAS'],
		);
		const snapshot = outputOf(result, 'Snapshot')[0] as {
			json: Record<string, unknown>;
			binary?: Record<string, { mimeType: string; data: string; fileName: string }>;
		};
		assert.equal(snapshot.json.bytes, fakeJpeg('camera.porch').length);
		assert.equal(snapshot.binary?.data.mimeType, 'image/jpeg');
		assert.equal(snapshot.binary?.data.fileName, 'camera.porch.jpg');
	});

	it('waits until an entity reaches a state, and times out with timedOut: true', async () => {
		sim.setState('switch.fan', 'off');
		const subscribersBefore = sim.subscribers('state_changed');
		const workflowId = await n8n.importWorkflow(
			linearWorkflow('ha: wait until', [
				haNode('Wait', credential, {
					resource: 'state',
					operation: 'waitUntil',
					entityId: entity('switch.fan'),
					targetState: 'on',
					timeout: 20,
				}),
			]),
		);
		const running = n8n.runWorkflow(workflowId);
		await waitFor('the wait to subscribe', () =>
			Promise.resolve(sim.subscribers('state_changed') > subscribersBefore ? true : undefined),
		);
		await new Promise((resolve) => setTimeout(resolve, 300));
		sim.setState('switch.fan', 'on');
		const result = await running;
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const waited = outputOf(result, 'Wait')[0].json;
		assert.equal(waited.state, 'on');
		assert.equal(waited.reached, 'changed');
		assert.equal(waited.timedOut, false);
		await waitFor('the wait to unsubscribe', () =>
			Promise.resolve(sim.subscribers('state_changed') === subscribersBefore ? true : undefined),
		);

		const timedOut = await run('ha: wait until timeout', [
			haNode('Wait', credential, {
				resource: 'state',
				operation: 'waitUntil',
				entityId: entity('switch.fan'),
				targetState: 'off',
				timeout: 1,
				onTimeout: 'continue',
				checkCurrent: true,
			}),
		]);
		// switch.fan is "on": it never reaches "off" within 1 s.
		assert.equal(timedOut.status, 'success', JSON.stringify(timedOut.error));
		assert.equal(outputOf(timedOut, 'Wait')[0].json.timedOut, true);
		assert.equal(outputOf(timedOut, 'Wait')[0].json.state, 'on');
	});

	it('a wait survives a Home Assistant restart and sees a state reached while it was down', async () => {
		sim.setState('input_boolean.guest_mode', 'off');
		const workflowId = await n8n.importWorkflow(
			linearWorkflow('ha: wait across restart', [
				haNode('Wait', credential, {
					resource: 'state',
					operation: 'waitUntil',
					entityId: entity('input_boolean.guest_mode'),
					targetState: 'on',
					timeout: 40,
				}),
			]),
		);
		const subscribersBefore = sim.subscribers('state_changed');
		const running = n8n.runWorkflow(workflowId);
		await waitFor('the wait to subscribe', () =>
			Promise.resolve(sim.subscribers('state_changed') > subscribersBefore ? true : undefined),
		);
		const restart = sim.restart({ downMs: 1500, startingMs: 200 });
		await new Promise((resolve) => setTimeout(resolve, 300));
		sim.setState('input_boolean.guest_mode', 'on');
		await restart;
		const result = await running;
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(outputOf(result, 'Wait')[0].json.state, 'on');
		assert.equal(outputOf(result, 'Wait')[0].json.timedOut, false);
	});
});
