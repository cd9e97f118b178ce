import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { N8n, WorkflowJson } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { startMqtt, type MqttService } from '../services/mqtt';
import { eventLifecycle, FrigatePublisher, reviewLifecycle } from '../simulators/frigate/mqtt';

/** Every execution of a workflow with the items its trigger emitted (pages through the public API). */
async function triggeredItems(n8n: N8n, workflowId: string): Promise<Array<Record<string, unknown>>> {
	const items: Array<Record<string, unknown>> = [];
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
			for (const item of runData?.['Frigate Trigger']?.[0]?.data?.main?.[0] ?? []) items.push(item.json);
		}
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return items;
}

/** Waits until the workflow has `expected` executions and no more arrive for `settleMs`; returns their items. */
async function settle(
	n8n: N8n,
	workflowId: string,
	expected: number,
	{ timeoutMs = 60000, settleMs = 1500 } = {},
): Promise<Array<Record<string, unknown>>> {
	const deadline = Date.now() + timeoutMs;
	while ((await n8n.executionCount(workflowId)) < expected && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, expected > 10 ? 2000 : 300));
	}
	await new Promise((resolve) => setTimeout(resolve, settleMs));
	return await triggeredItems(n8n, workflowId);
}

describe('Frigate Trigger inside real n8n, over a real mosquitto', () => {
	let n8n: N8n;
	let broker: MqttService;
	let credential: string;
	const active: string[] = [];
	before(async () => {
		n8n = await sharedN8n();
		broker = await startMqtt();
		credential = await n8n.createCredential('Broker (trigger)', 'mqttBrokerApi', {
			host: '127.0.0.1',
			port: broker.port,
			tls: false,
			username: '',
			password: '',
			clientId: 'n8n-e2e',
		});
	});
	after(async () => {
		for (const id of active) await n8n.deactivate(id).catch(() => undefined);
		await broker?.stop();
	});

	const triggerWorkflow = (name: string, parameters: Record<string, unknown>): WorkflowJson => ({
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'Frigate Trigger',
				type: 'n8n-nodes-homelab.frigateTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters,
				credentials: { mqttBrokerApi: { id: credential, name: 'Broker (trigger)' } },
			},
		],
		connections: {},
	});
	const brokerLog = () => readFileSync(path.join(broker.dir, 'mosquitto.log'), 'utf8');
	/** Activates and waits until the trigger's client is on the broker (n8n activates triggers asynchronously). */
	const activateNew = async (name: string, parameters: Record<string, unknown>) => {
		const id = await n8n.importWorkflow(triggerWorkflow(name, parameters));
		const seen = brokerLog().length;
		await n8n.activate(id);
		active.push(id);
		const deadline = Date.now() + 30000;
		while (!/as n8n-e2e-frigate-[0-9a-f]{12} /.test(brokerLog().slice(seen))) {
			if (Date.now() > deadline) throw new Error(`trigger of ${name} did not connect to the broker`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		// the subscription follows the CONNACK within a round trip
		await new Promise((resolve) => setTimeout(resolve, 500));
		return id;
	};

	it('emits one execution per matching incident (reviews, on end), filtered by camera and severity', async () => {
		const prefix = 'frigate-filters';
		const workflowId = await activateNew('trigger: one alert per incident', {
			source: 'reviews',
			emit: 'end',
			cameras: 'front_door',
			severity: 'alert',
			options: { topicPrefix: prefix },
		});
		const publisher = await FrigatePublisher.connect(broker.url, { prefix });
		const wanted = reviewLifecycle({
			camera: 'front_door',
			objects: ['person', 'dog'],
			zones: ['porch'],
			severity: 'detection',
			escalateTo: 'alert',
		});
		const otherCamera = reviewLifecycle({ camera: 'driveway' });
		const detectionOnly = reviewLifecycle({ camera: 'front_door', severity: 'detection' });
		for (const message of [...wanted, ...otherCamera, ...detectionOnly, wanted[2]])
			await publisher.review(message);
		await publisher.client.publishAsync(`${prefix}/reviews`, 'not json', { qos: 1 });
		await publisher.close();
		const items = await settle(n8n, workflowId, 1);
		assert.equal(items.length, 1, `one execution, got ${JSON.stringify(items.map((item) => item.id))}`);
		const [incident] = items;
		assert.equal(incident.id, wanted[2].after.id);
		assert.equal(incident.type, 'end');
		assert.equal(incident.severity, 'alert');
		assert.deepEqual(incident.objects, ['person', 'dog']);
		assert.deepEqual(incident.zones, ['porch']);
		assert.equal(incident.topic, `${prefix}/reviews`);
		assert.deepEqual((incident.before as { severity: string }).severity, 'alert');
	});

	it('tracked objects: label, zone and minimum score filters; "once per id" emits the first match only', async () => {
		const prefix = 'frigate-objects';
		const workflowId = await activateNew('trigger: tracked objects', {
			source: 'events',
			emit: 'first',
			labels: 'person',
			zones: 'yard',
			minScore: 0.7,
			options: { topicPrefix: prefix },
		});
		const publisher = await FrigatePublisher.connect(broker.url, { prefix });
		const person = eventLifecycle({ camera: 'driveway', label: 'person', zones: ['yard'], score: 0.91 });
		const weak = eventLifecycle({ camera: 'driveway', label: 'person', zones: ['yard'], score: 0.4 });
		const car = eventLifecycle({ camera: 'driveway', label: 'car', zones: ['yard'], score: 0.95 });
		for (const message of [...person, ...weak, ...car]) await publisher.event(message);
		await publisher.close();
		const items = await settle(n8n, workflowId, 1);
		assert.deepEqual(
			items.map((item) => [item.id, item.type, item.label]),
			[[person[0].after.id, 'new', 'person']],
		);
	});

	it('a broker restart mid-stream loses no QoS 1 incident and duplicates none', async () => {
		const prefix = 'frigate-restart';
		const total = 300;
		const workflowId = await activateNew('trigger: broker restart', {
			source: 'reviews',
			emit: 'end',
			options: { topicPrefix: prefix },
		});
		const publisher = await FrigatePublisher.connect(broker.url, { prefix, clientId: 'frigate-sim-restart' });
		const ids: string[] = [];
		const published: Array<Promise<void>> = [];
		for (let index = 0; index < total; index++) {
			const messages = reviewLifecycle({ camera: 'front_door' });
			ids.push(messages[2].after.id);
			published.push(publisher.review(messages[2]));
			if (index === total / 3) await broker.restart(1500);
			else await new Promise((resolve) => setTimeout(resolve, 10));
		}
		await Promise.all(published);
		await publisher.close();
		const items = await settle(n8n, workflowId, total, { timeoutMs: 120000, settleMs: 3000 });
		const received = items.map((item) => String(item.id));
		const unique = new Set(received);
		const lost = ids.filter((id) => !unique.has(id));
		assert.deepEqual(lost, [], `${lost.length} incidents lost`);
		assert.equal(received.length, unique.size, `${received.length - unique.size} duplicated`);
		assert.equal(received.length, total);
		assert.match(brokerLog(), /n8n-e2e-frigate-[0-9a-f]{12}/, 'the trigger used its stable client id');
	});

	it('a burst of incidents (FRIGATE_BURST, 1,000 in the issue): every one emitted once', async () => {
		const prefix = 'frigate-burst';
		// 1,000 as the issue asks: 56-102 s on the 2-core box (FRIGATE_BURST=300 for a quicker run).
		const total = Number(process.env.FRIGATE_BURST ?? 1000);
		const workflowId = await activateNew('trigger: burst', {
			source: 'reviews',
			emit: 'end',
			options: { topicPrefix: prefix },
		});
		const publisher = await FrigatePublisher.connect(broker.url, { prefix });
		const ids: string[] = [];
		const started = Date.now();
		await Promise.all(
			Array.from({ length: total }, async () => {
				const end = reviewLifecycle({ camera: 'backyard' })[2];
				ids.push(end.after.id);
				await publisher.review(end);
			}),
		);
		await publisher.close();
		const items = await settle(n8n, workflowId, total, {
			timeoutMs: Math.max(120000, total * 800),
			settleMs: 3000,
		});
		const seconds = (Date.now() - started) / 1000;
		console.log(`# burst: ${items.length}/${total} executions in ${seconds.toFixed(1)} s`);
		const unique = new Set(items.map((item) => String(item.id)));
		assert.equal(ids.filter((id) => !unique.has(id)).length, 0, 'none lost');
		assert.equal(items.length, total, 'none duplicated');
	});

	it('closes its MQTT client on deactivate: later messages start nothing', async () => {
		const prefix = 'frigate-deactivate';
		const workflowId = await activateNew('trigger: deactivate', {
			source: 'reviews',
			emit: 'end',
			options: { topicPrefix: prefix, persistentSession: false },
		});
		const publisher = await FrigatePublisher.connect(broker.url, { prefix });
		await publisher.review(reviewLifecycle()[2]);
		assert.equal((await settle(n8n, workflowId, 1)).length, 1);
		const logBefore = brokerLog().length;
		await n8n.deactivate(workflowId);
		const deadline = Date.now() + 20000;
		while (!/Client n8n-e2e-frigate-[0-9a-f]{12} disconnected/.test(brokerLog().slice(logBefore))) {
			assert.ok(Date.now() < deadline, 'the trigger did not disconnect from the broker on deactivate');
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await publisher.review(reviewLifecycle()[2]);
		await publisher.close();
		await new Promise((resolve) => setTimeout(resolve, 2000));
		assert.equal((await triggeredItems(n8n, workflowId)).length, 1);
	});
});
