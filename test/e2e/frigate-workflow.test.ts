import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { N8n, WorkflowJson } from '../harness/n8n';
import { REPO_ROOT } from '../harness/runtime';
import { sharedN8n } from '../helpers/shared-n8n';
import { startMqtt, type MqttService } from '../services/mqtt';
import { FrigatePublisher, reviewLifecycle } from '../simulators/frigate/mqtt';
import { startFrigateSimulator, type FrigateSimulator } from '../simulators/frigate/server';

describe('workflows/frigate-alert-with-snapshot.json end to end (broker + Frigate simulator + real n8n)', () => {
	let n8n: N8n;
	let broker: MqttService;
	let sim: FrigateSimulator;
	let workflowId: string | undefined;
	before(async () => {
		n8n = await sharedN8n();
		broker = await startMqtt();
		sim = await startFrigateSimulator({ clipDelayMs: 500 });
	});
	after(async () => {
		if (workflowId) await n8n.deactivate(workflowId).catch(() => undefined);
		await broker?.stop();
		await sim?.close();
	});

	it('one alert incident -> one execution with the snapshot and the clip (waited for) as binaries', async () => {
		const brokerCredential = await n8n.createCredential('Broker (example)', 'mqttBrokerApi', {
			host: '127.0.0.1',
			port: broker.port,
			tls: false,
			username: '',
			password: '',
			clientId: 'n8n-example',
		});
		const frigateCredential = await n8n.createCredential('Frigate (example)', 'frigateApi', {
			url: sim.url,
			auth: 'none',
			allowSelfSigned: false,
		});
		const workflow = JSON.parse(
			readFileSync(path.join(REPO_ROOT, 'workflows/frigate-alert-with-snapshot.json'), 'utf8'),
		) as WorkflowJson;
		for (const node of workflow.nodes) {
			if (node.type === 'n8n-nodes-homelab.frigateTrigger') {
				node.credentials = { mqttBrokerApi: { id: brokerCredential, name: 'Broker (example)' } };
			}
			if (node.type === 'n8n-nodes-homelab.frigate') {
				node.credentials = { frigateApi: { id: frigateCredential, name: 'Frigate (example)' } };
				if (node.name === 'Clip') node.parameters.pollInterval = 0.2;
			}
		}
		workflowId = await n8n.importWorkflow(workflow);
		const logFile = path.join(broker.dir, 'mosquitto.log');
		const seen = readFileSync(logFile, 'utf8').length;
		await n8n.activate(workflowId);
		const deadline = Date.now() + 30000;
		while (!/as n8n-example-frigate-[0-9a-f]{12} /.test(readFileSync(logFile, 'utf8').slice(seen))) {
			assert.ok(Date.now() < deadline, 'the trigger did not connect');
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await new Promise((resolve) => setTimeout(resolve, 500));

		const person = sim.addEvent({ camera: 'front_door', label: 'person' });
		const publisher = await FrigatePublisher.connect(broker.url);
		const incident = reviewLifecycle({
			camera: 'front_door',
			objects: ['person'],
			severity: 'detection',
			escalateTo: 'alert',
			detections: [person.id],
		});
		const noise = reviewLifecycle({ camera: 'front_door', objects: ['cat'], severity: 'alert' });
		for (const message of [...incident, ...noise]) await publisher.review(message);
		await publisher.close();
		// The tracked object ends (and its clip becomes available after the simulator's delay) only once the
		// workflow has asked for the clip and got Frigate's 404: the Clip node has to wait for it.
		const clipPath = `/events/${person.id}/clip.mp4`;
		const ender = (async () => {
			const until = Date.now() + 60000;
			while (!sim.requests.some((entry) => entry.path === clipPath && entry.status === 404)) {
				if (Date.now() > until) return;
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			sim.endEvent(person.id);
		})();
		let executions = await n8n.executions(workflowId);
		const until = Date.now() + 60000;
		while (
			(executions.length === 0 || executions.some((e) => !e.finished && e.status !== 'error')) &&
			Date.now() < until
		) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			executions = await n8n.executions(workflowId);
		}
		await ender;
		await new Promise((resolve) => setTimeout(resolve, 1500));
		executions = await n8n.executions(workflowId);
		assert.equal(executions.length, 1, 'one execution for the one person alert, none for the cat');
		const [execution] = executions;
		assert.equal(execution.status, 'success', JSON.stringify(execution.error));
		const trigger = execution.runData['Frigate Trigger'][0].data?.main?.[0]?.[0]?.json;
		assert.equal(trigger?.id, incident[2].after.id);
		const snapshot = execution.runData.Snapshot[0].data?.main?.[0]?.[0];
		assert.equal((snapshot?.binary as Record<string, { mimeType: string }>).snapshot.mimeType, 'image/jpeg');
		const clip = execution.runData.Clip[0].data?.main?.[0]?.[0];
		assert.equal((clip?.binary as Record<string, { mimeType: string }>).clip.mimeType, 'video/mp4');
		const clipRequests = sim.requests.filter((entry) => entry.path === clipPath);
		assert.ok(
			clipRequests.some((entry) => entry.status === 404) && clipRequests.at(-1)?.status === 200,
			'the clip was not ready at first and was waited for',
		);
		assert.ok(execution.runData['Send to your notifier']);
	});
});
