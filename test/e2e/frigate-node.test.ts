import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { outputOf, type N8n, type WorkflowNode } from '../harness/n8n';
import { startMqtt, type MqttService } from '../services/mqtt';
import { sharedN8n } from '../helpers/shared-n8n';
import { itemsNode, linearWorkflow } from '../helpers/workflows';
import { recordTopic } from '../simulators/frigate/mqtt';
import { startFrigateSimulator, type FrigateSimulator } from '../simulators/frigate/server';

describe('Frigate node inside real n8n, against the Frigate simulator', () => {
	let n8n: N8n;
	let sim: FrigateSimulator;
	let broker: MqttService;
	let internalCredential: string;
	let authCredential: string;
	let mqttCredential: string;
	before(async () => {
		n8n = await sharedN8n();
		sim = await startFrigateSimulator({ clipDelayMs: 800 });
		broker = await startMqtt();
		internalCredential = await n8n.createCredential('Frigate internal', 'frigateApi', {
			url: sim.url,
			auth: 'none',
			allowSelfSigned: false,
		});
		authCredential = await n8n.createCredential('Frigate 8971', 'frigateApi', {
			url: sim.authUrl,
			auth: 'password',
			username: 'admin',
			password: 'frigate-admin-pw',
			allowSelfSigned: true,
		});
		mqttCredential = await n8n.createCredential('Broker', 'mqttBrokerApi', {
			host: '127.0.0.1',
			port: broker.authPort,
			tls: false,
			username: broker.username,
			password: broker.password,
			clientId: 'n8n-e2e',
		});
	});
	after(async () => {
		await sim?.close();
		await broker?.stop();
	});

	const frigate = (
		parameters: Record<string, unknown>,
		options: { credential?: string; extra?: Record<string, unknown>; name?: string } = {},
	): WorkflowNode => ({
		name: options.name ?? 'Frigate',
		type: 'n8n-nodes-homelab.frigate',
		typeVersion: 1,
		parameters,
		credentials: {
			frigateApi: { id: options.credential ?? internalCredential, name: 'Frigate' },
			mqttBrokerApi: { id: mqttCredential, name: 'Broker' },
		},
		...(options.extra ?? {}),
	});
	const run = async (name: string, nodes: WorkflowNode[]) =>
		await n8n.runWorkflow(await n8n.importWorkflow(linearWorkflow(name, nodes)));
	const byId = (value: string) => ({ __rl: true, mode: 'id', value });

	it('lists events with filters, then gets each; a missing id is an error item paired with its input', async () => {
		const now = Date.now() / 1000;
		const person = sim.addEvent({
			camera: 'driveway',
			label: 'person',
			zones: ['yard'],
			start_time: now - 30,
		});
		sim.addEvent({ camera: 'driveway', label: 'car', start_time: now - 20 });
		const listed = await run('frigate: list events', [
			frigate({
				resource: 'event',
				operation: 'getMany',
				limit: 10,
				filters: { cameras: 'driveway', labels: 'person', zones: 'yard', hasClip: 'yes' },
			}),
		]);
		assert.equal(listed.status, 'success', JSON.stringify(listed.error));
		assert.deepEqual(
			outputOf(listed, 'Frigate').map((item) => item.json.id),
			[person.id],
		);
		const got = await run('frigate: get events (continue on fail)', [
			itemsNode('Ids', [{ id: person.id }, { id: '1.0-missing' }, { id: person.id }]),
			frigate(
				{
					resource: 'event',
					operation: 'get',
					eventId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				},
				{ extra: { onError: 'continueRegularOutput' } },
			),
		]);
		assert.equal(got.status, 'success');
		const items = outputOf(got, 'Frigate');
		assert.deepEqual(
			items.map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }, { item: 2 }],
		);
		assert.equal(items[0].json.label, 'person');
		assert.match(
			String(items[1].json.error),
			/Frigate answered GET \/api\/events\/1\.0-missing with 404: Event not found/,
		);
		assert.equal(items[2].json.camera, 'driveway');
	});

	it('without continue-on-fail the execution stops, naming the call', async () => {
		const result = await run('frigate: stop on 404', [
			frigate({ resource: 'event', operation: 'delete', eventId: byId('2.0-gone') }),
		]);
		assert.equal(result.status, 'error');
		assert.equal(
			result.error?.message,
			'Frigate answered DELETE /api/events/2.0-gone with 404: Event not found',
		);
	});

	it('sets and clears a sub label, retains, deletes (per item)', async () => {
		const a = sim.addEvent();
		const b = sim.addEvent();
		const result = await run('frigate: sub label', [
			itemsNode('Faces', [
				{ id: a.id, name: 'Alice' },
				{ id: b.id, name: 'Bob' },
			]),
			frigate({
				resource: 'event',
				operation: 'setSubLabel',
				eventId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				subLabel: '={{ $json.name }}',
				score: 0.9,
			}),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(sim.events.get(a.id)?.sub_label, 'Alice');
		assert.equal(sim.events.get(b.id)?.sub_label, 'Bob');
		const cleared = await run('frigate: clear + retain', [
			frigate({ resource: 'event', operation: 'clearSubLabel', eventId: byId(a.id) }, { name: 'Clear' }),
			frigate(
				{ resource: 'event', operation: 'setRetain', eventId: byId(a.id), retain: true },
				{ name: 'Retain' },
			),
			frigate({ resource: 'event', operation: 'delete', eventId: byId(b.id) }, { name: 'Delete' }),
		]);
		assert.equal(cleared.status, 'success', JSON.stringify(cleared.error));
		assert.equal(sim.events.get(a.id)?.sub_label, null);
		assert.equal(sim.events.get(a.id)?.retain_indefinitely, true);
		assert.equal(sim.events.has(b.id), false);
	});

	it('creates a manual event, ends it, and waits until its clip is ready (binary output)', async () => {
		const result = await run('frigate: manual event + clip', [
			frigate(
				{
					resource: 'event',
					operation: 'create',
					camera: { __rl: true, mode: 'name', value: 'front_door' },
					label: 'doorbell',
					createOptions: { duration: 0, subLabel: 'ring' },
				},
				{ name: 'Create' },
			),
			frigate(
				{
					resource: 'event',
					operation: 'end',
					eventId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				},
				{ name: 'End' },
			),
			frigate(
				{
					resource: 'media',
					operation: 'getClip',
					eventId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					waitUntilReady: true,
					waitTimeout: 20,
					pollInterval: 0.2,
				},
				{ name: 'Clip' },
			),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [created] = outputOf(result, 'Create');
		const event = sim.events.get(String(created.json.id));
		assert.equal(event?.label, 'doorbell');
		assert.equal(event?.sub_label, 'ring');
		assert.notEqual(event?.end_time, null);
		const [clip] = outputOf(result, 'Clip');
		assert.equal(clip.json.mimeType, 'video/mp4');
		assert.ok(Number(clip.json.waitedMs) >= 400, `waited ${String(clip.json.waitedMs)} ms for the clip`);
		const binary = (clip.binary as Record<string, { mimeType: string; fileName: string }>).data;
		assert.equal(binary.mimeType, 'video/mp4');
		assert.equal(binary.fileName, `${String(created.json.id)}.mp4`);
		const early = sim.requests.filter(
			(entry) => entry.path === `/events/${String(created.json.id)}/clip.mp4` && entry.status === 404,
		);
		assert.ok(early.length >= 1, 'the clip was 404 at first');
	});

	it('logs in on the authenticated port (JWT, self-signed TLS) and downloads snapshot and latest frame', async () => {
		const event = sim.addEvent({ camera: 'backyard' });
		const result = await run('frigate: media on 8971', [
			frigate(
				{ resource: 'media', operation: 'getSnapshot', eventId: byId(event.id), boundingBox: true },
				{ credential: authCredential, name: 'Snapshot' },
			),
			frigate(
				{
					resource: 'media',
					operation: 'getLatestFrame',
					camera: { __rl: true, mode: 'list', value: 'backyard' },
					binaryPropertyName: 'frame',
				},
				{ credential: authCredential, name: 'Latest' },
			),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [snapshot] = outputOf(result, 'Snapshot');
		assert.equal((snapshot.binary as Record<string, { mimeType: string }>).data.mimeType, 'image/jpeg');
		const [latest] = outputOf(result, 'Latest');
		assert.equal((latest.binary as Record<string, { mimeType: string }>).frame.mimeType, 'image/jpeg');
		const authRequests = sim.requests.filter((entry) => entry.port === 'auth');
		assert.ok(authRequests.some((entry) => entry.path === '/login' && entry.status === 200));
		assert.ok(
			authRequests.some((entry) => entry.path === `/events/${event.id}/snapshot.jpg` && entry.status === 200),
		);
	});

	it('lists and marks review items, exports a range, reads stats', async () => {
		const review = sim.addReview({ camera: 'driveway', severity: 'alert' });
		const result = await run('frigate: review + export + stats', [
			frigate(
				{
					resource: 'review',
					operation: 'getMany',
					limit: 5,
					reviewFilters: { cameras: 'driveway', severity: 'alert' },
				},
				{ name: 'Reviews' },
			),
			frigate(
				{ resource: 'review', operation: 'markReviewed', reviewIds: '={{ $json.id }}' },
				{ name: 'Mark' },
			),
			frigate(
				{
					resource: 'export',
					operation: 'create',
					camera: { __rl: true, mode: 'name', value: '={{ $json.ids ? "driveway" : "x" }}' },
					start: '2026-01-31T18:00:00Z',
					end: '2026-01-31T18:05:00Z',
					playback: 'timelapse_25x',
					exportName: 'night visit',
				},
				{ name: 'Export' },
			),
			frigate({ resource: 'system', operation: 'getStats' }, { name: 'Stats' }),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.deepEqual(
			outputOf(result, 'Reviews').map((item) => item.json.id),
			[review.id],
		);
		assert.equal(sim.reviews.get(review.id)?.has_been_reviewed, true);
		const last = sim.exports.at(-1);
		assert.equal(last?.camera, 'driveway');
		assert.equal(last?.start, Date.parse('2026-01-31T18:00:00Z') / 1000);
		assert.equal(last?.playback, 'timelapse_25x');
		assert.ok(outputOf(result, 'Stats')[0].json.service);
	});

	it('switches camera features over MQTT (frigate/<camera>/<feature>/set)', async () => {
		const recorder = await recordTopic(broker.url, 'frigate/+/+/set');
		try {
			const result = await run('frigate: camera switches', [
				itemsNode('Switches', [
					{ camera: 'front_door', feature: 'detect', state: 'OFF' },
					{ camera: 'driveway', feature: 'recordings', state: 'ON' },
				]),
				frigate({
					resource: 'camera',
					operation: 'setFeature',
					camera: { __rl: true, mode: 'name', value: '={{ $json.camera }}' },
					feature: '={{ $json.feature }}',
					state: '={{ $json.state }}',
				}),
			]);
			assert.equal(result.status, 'success', JSON.stringify(result.error));
			const deadline = Date.now() + 5000;
			while (recorder.messages.length < 2 && Date.now() < deadline)
				await new Promise((r) => setTimeout(r, 50));
			assert.deepEqual(recorder.messages, [
				{ topic: 'frigate/front_door/detect/set', payload: 'OFF' },
				{ topic: 'frigate/driveway/recordings/set', payload: 'ON' },
			]);
		} finally {
			await recorder.close();
		}
	});

	it('loads as a tool variant for the AI Agent (usableAsTool)', async () => {
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		assert.ok(names.includes('n8n-nodes-homelab.frigate'));
		assert.ok(names.includes('n8n-nodes-homelab.frigateTool'));
	});
});
