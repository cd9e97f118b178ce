import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { ExecutionResult, N8n, WorkflowJson } from '../harness/n8n';
import { waitFor } from '../harness/net';
import { REPO_ROOT } from '../harness/runtime';
import { assertCredentialsBound, createLabCredentials, deleteCredentials } from '../helpers/lab-credentials';
import { sharedN8n } from '../helpers/shared-n8n';
import { startMqtt, type MqttService } from '../services/mqtt';
import { FrigatePublisher, reviewLifecycle } from '../simulators/frigate/mqtt';
import { fakeJpeg, startFrigateSimulator, type FrigateSimulator } from '../simulators/frigate/server';
import { HomeAssistantSimulator } from '../simulators/homeassistant';
import { startOllamaSimulator, type OllamaSimulator } from '../simulators/ollama/server';

const FILE = path.join(REPO_ROOT, 'workflows/camera-alerts.json');

describe('workflows/camera-alerts.json end to end (mosquitto, Frigate, HA and Ollama simulators, real n8n)', () => {
	let n8n: N8n;
	let broker: MqttService;
	let frigate: FrigateSimulator;
	let ha: HomeAssistantSimulator;
	let ollama: OllamaSimulator;
	let credentialIds: Map<string, string>;
	let workflowId: string | undefined;

	/** Publishes one alert incident for a new tracked object and waits for the execution it starts. */
	async function alert(
		camera: string,
		objects: string[],
		hasSnapshot = true,
		snapshotReadyAt?: number,
	): Promise<{ eventId: string; run: ExecutionResult }> {
		const event = frigate.addEvent({ camera, label: objects[0], has_snapshot: hasSnapshot, snapshotReadyAt });
		frigate.endEvent(event.id);
		const seen = (await n8n.allExecutions(workflowId ?? '')).length;
		const publisher = await FrigatePublisher.connect(broker.url);
		try {
			for (const message of reviewLifecycle({ camera, objects, severity: 'alert', detections: [event.id] }))
				await publisher.review(message);
		} finally {
			await publisher.close();
		}
		const run = await waitFor(
			`the execution for the alert on ${camera}`,
			async () => {
				const executions = await n8n.allExecutions(workflowId ?? '');
				const latest = executions[0];
				return executions.length > seen && !['new', 'running', 'waiting'].includes(latest.status)
					? latest
					: undefined;
			},
			{ timeoutMs: 60000, intervalMs: 300 },
		);
		return { eventId: event.id, run };
	}

	const notifications = () =>
		ha.serviceCalls.filter((call) => call.domain === 'notify' && call.service === 'mobile_app_phone');
	const chats = () => ollama.requests.filter((request) => request.path === '/api/chat');

	before(async () => {
		n8n = await sharedN8n();
		broker = await startMqtt();
		frigate = await startFrigateSimulator();
		ha = await HomeAssistantSimulator.start();
		ollama = await startOllamaSimulator();
		ha.setState('input_boolean.quiet_hours', 'off', { friendly_name: 'Quiet hours' });
		credentialIds = await createLabCredentials(n8n, [
			{
				name: 'Lab MQTT',
				type: 'mqttBrokerApi',
				data: {
					host: '127.0.0.1',
					port: broker.port,
					tls: false,
					username: '',
					password: '',
					clientId: 'n8n-camera-alerts',
				},
			},
			{
				name: 'Frigate',
				type: 'frigateApi',
				data: { url: frigate.url, auth: 'none', allowSelfSigned: false },
			},
			{
				name: 'Home Assistant',
				type: 'homelabHomeAssistantApi',
				data: { url: ha.url, accessToken: ha.token, ignoreSslIssues: false },
			},
			{ name: 'Ollama', type: 'ollamaApi', data: { baseUrl: ollama.url } },
		]);
	});
	after(async () => {
		if (workflowId) await n8n.deactivate(workflowId).catch(() => undefined);
		await deleteCredentials(n8n, credentialIds?.values() ?? []);
		await broker?.stop();
		await frigate?.close();
		await ha?.stop();
		await ollama?.stop();
	});

	it('imports with every credential bound by name and connects to the broker', async () => {
		const text = readFileSync(FILE, 'utf8');
		const workflow = JSON.parse(text) as WorkflowJson;
		for (const node of workflow.nodes) {
			for (const reference of Object.values((node.credentials ?? {}) as Record<string, { id: unknown }>))
				assert.equal(reference.id, null, `${node.name} references a credential id of one n8n instance`);
		}
		assert.doesNotMatch(text, /"(password|accessToken|apiKey)"\s*:/i);
		workflowId = await n8n.importWorkflow(workflow);
		await assertCredentialsBound(n8n, workflowId, credentialIds);
		const logFile = path.join(broker.dir, 'mosquitto.log');
		const seen = readFileSync(logFile, 'utf8').length;
		await n8n.activate(workflowId);
		await waitFor('the Frigate Trigger to subscribe', () =>
			/as n8n-camera-alerts-frigate-[0-9a-f]{12} /.test(readFileSync(logFile, 'utf8').slice(seen))
				? true
				: undefined,
		);
		await new Promise((resolve) => setTimeout(resolve, 500));
	});

	it('an alert is described by the vision model from the snapshot and pushed with the picture', async () => {
		const described = {
			summary: 'A courier in a yellow jacket leaves a parcel at the door',
			people_count: 1,
			vehicles: ['yellow van'],
		};
		ollama.replies.push(JSON.stringify(described));
		const { eventId, run } = await alert('front_door', ['person', 'car']);
		assert.equal(run.status, 'success', JSON.stringify(run.error));

		const [chat] = chats();
		assert.ok(chat, 'Ollama was not asked');
		const body = chat.body as {
			model: string;
			format: { required: string[]; properties: Record<string, unknown> };
			messages: Array<{ role: string; content: string; images?: string[] }>;
		};
		assert.equal(body.model, 'qwen3-vl:8b');
		assert.deepEqual(body.format.required, ['summary', 'people_count', 'vehicles']);
		const user = body.messages.at(-1);
		assert.deepEqual(user?.images, [fakeJpeg(`snapshot ${eventId}`).toString('base64')]);
		assert.match(user?.content ?? '', /"front_door"\. Frigate detected: person, car\./);
		assert.ok(
			frigate.requests.some(
				(entry) => entry.path === `/events/${eventId}/snapshot.jpg` && entry.status === 200,
			),
		);

		const sent = notifications();
		assert.equal(sent.length, 1);
		assert.deepEqual(sent[0].data, {
			message: described.summary,
			title: 'front door: 1 people, yellow van',
			data: {
				image: `/api/frigate/notifications/${eventId}/snapshot.jpg`,
				tag: run.runData['Frigate Trigger'][0].data?.main?.[0]?.[0]?.json.id,
				group: 'frigate-front_door',
			},
		});
	});

	it('during quiet hours nothing is fetched, described or sent', async () => {
		ha.setState('input_boolean.quiet_hours', 'on');
		const before = {
			notify: notifications().length,
			chats: chats().length,
			frigate: frigate.requests.length,
		};
		try {
			const { run } = await alert('driveway', ['car']);
			assert.equal(run.status, 'success', JSON.stringify(run.error));
			assert.ok(run.runData['Quiet hours: no alert'], 'the quiet-hours branch did not run');
			assert.equal(run.runData.Snapshot, undefined);
		} finally {
			ha.setState('input_boolean.quiet_hours', 'off');
		}
		assert.equal(notifications().length, before.notify);
		assert.equal(chats().length, before.chats);
		assert.equal(frigate.requests.length, before.frigate);
	});

	it('a model that answers no valid JSON still gives an alert, with Frigate’s labels and the picture', async () => {
		ollama.structured = ['garbage', 'garbage'];
		const before = chats().length;
		const { eventId, run } = await alert('backyard', ['person']);
		assert.equal(run.status, 'success', JSON.stringify(run.error));
		assert.equal(chats().length - before, 2, 'one try and one retry');
		const describeRuns = run.runData['Describe snapshot'];
		assert.match(String(describeRuns[0].data?.main?.[1]?.[0]?.json.error), /JSON/);
		const sent = notifications().at(-1);
		assert.equal(sent?.data.message, 'Frigate saw person on backyard');
		assert.equal(sent?.data.title, 'backyard: person');
		assert.equal(
			(sent?.data.data as { image: string }).image,
			`/api/frigate/notifications/${eventId}/snapshot.jpg`,
		);
	});

	it('a snapshot Frigate has not saved yet when the alert ends is waited for, then described', async () => {
		ollama.replies.push(JSON.stringify({ summary: 'A cat on the lawn', people_count: 0, vehicles: [] }));
		const { eventId, run } = await alert('backyard', ['cat'], true, Date.now() + 2500);
		assert.equal(run.status, 'success', JSON.stringify(run.error));
		const requests = frigate.requests.filter((entry) => entry.path === `/events/${eventId}/snapshot.jpg`);
		assert.ok(
			requests.some((entry) => entry.status === 404),
			'the snapshot was 404 at first',
		);
		assert.equal(requests.at(-1)?.status, 200);
		const [snapshot] = run.runData.Snapshot[0].data?.main?.[0] ?? [];
		assert.ok(Number(snapshot?.json.waitedMs) > 0, JSON.stringify(snapshot?.json));
		assert.equal(notifications().at(-1)?.data.message, 'A cat on the lawn');
	});

	it('a camera without snapshots still alerts, without asking the model', async () => {
		const before = chats().length;
		const { eventId, run } = await alert('garage', ['person'], false);
		assert.equal(run.status, 'success', JSON.stringify(run.error));
		assert.match(
			String(run.runData.Snapshot[0].data?.main?.[1]?.[0]?.json.error),
			/Snapshot not available|404/,
		);
		assert.equal(run.runData['Describe snapshot'], undefined);
		assert.equal(chats().length, before);
		const sent = notifications().at(-1);
		assert.equal(sent?.data.message, 'Frigate saw person on garage');
		assert.equal(
			(sent?.data.data as { tag: string }).tag,
			run.runData['Frigate Trigger'][0].data?.main?.[0]?.[0]?.json.id,
		);
		assert.ok(
			frigate.requests.some(
				(entry) => entry.path === `/events/${eventId}/snapshot.jpg` && entry.status === 404,
			),
		);
	});
});
