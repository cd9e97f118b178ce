import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { waitFor } from '../harness/net';
import { outputOf, type N8n, type WorkflowJson } from '../harness/n8n';
import { readmeSection } from '../helpers/readme';
import { HA_CREDENTIAL_TYPE, haCredential, type HaCredential } from '../helpers/homeassistant';
import { sharedN8n } from '../helpers/shared-n8n';
import { HomeAssistantSimulator } from '../simulators/homeassistant';

const TRIGGER = 'Home Assistant Trigger';

function triggerWorkflow(
	name: string,
	credential: HaCredential,
	parameters: Record<string, unknown>,
): WorkflowJson {
	return {
		name,
		nodes: [
			{
				name: TRIGGER,
				type: 'n8n-nodes-homelab.homeAssistantTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters,
				credentials: { [HA_CREDENTIAL_TYPE]: credential },
			},
			{ name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
	};
}

async function until(
	what: string,
	predicate: () => boolean | Promise<boolean>,
	timeoutMs = 20000,
): Promise<void> {
	await waitFor(what, async () => ((await predicate()) ? true : undefined), { timeoutMs, intervalMs: 100 });
}

describe('Home Assistant Trigger inside real n8n, across Home Assistant restarts', () => {
	let n8n: N8n;
	let sim: HomeAssistantSimulator;
	let credential: HaCredential;
	const active: string[] = [];
	before(async () => {
		n8n = await sharedN8n();
		sim = await HomeAssistantSimulator.start();
		credential = await haCredential(n8n, sim);
	});
	after(async () => {
		for (const id of active) await n8n.deactivate(id).catch(() => undefined);
		await sim.stop();
	});

	/** The trigger's output of every finished execution, oldest first. */
	async function emitted(workflowId: string): Promise<Array<Record<string, unknown>>> {
		const executions = await n8n.executions(workflowId);
		return executions
			.filter((execution) => execution.status === 'success')
			.reverse()
			.flatMap((execution) => outputOf(execution, TRIGGER).map((item) => item.json));
	}

	async function settledCount(workflowId: string, expected: number): Promise<Array<Record<string, unknown>>> {
		await until(
			`${expected} executions of ${workflowId}`,
			async () => (await emitted(workflowId)).length >= expected,
		);
		// Give a duplicate every chance to show up before counting.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		return await emitted(workflowId);
	}

	it('emits every motion "on" once — before, during (sensor unavailable while starting) and after a restart', async () => {
		const motion = 'binary_sensor.front_door_motion';
		sim.setState(motion, 'off');
		const workflowId = await n8n.importWorkflow(
			triggerWorkflow('ha trigger: motion', credential, {
				triggerOn: 'stateChanged',
				entities: 'binary_sensor.*_motion',
				to: 'on',
				options: { maxReconnectDelay: 2 },
			}),
		);
		const before = sim.subscribers('state_changed');
		await n8n.activate(workflowId);
		active.push(workflowId);
		await until('the trigger to subscribe', () => sim.subscribers('state_changed') === before + 1);

		const pulse = async () => {
			sim.setState(motion, 'on');
			await new Promise((resolve) => setTimeout(resolve, 50));
			sim.setState(motion, 'off');
			await new Promise((resolve) => setTimeout(resolve, 50));
		};
		for (let index = 0; index < 3; index++) await pulse();
		const beforeRestart = await settledCount(workflowId, 3);
		assert.equal(beforeRestart.length, 3);

		// Restart Home Assistant; while it is down the sensor goes on (no one is connected to hear it).
		// Restarting, the sensor is unavailable until startup finishes (its integration loads late).
		const restart = sim.restart({ downMs: 2500, startingMs: 3000, unavailableWhileStarting: [motion] });
		await new Promise((resolve) => setTimeout(resolve, 500));
		sim.setState(motion, 'on');
		await restart;
		await until('the trigger to re-subscribe', () => sim.subscribers('state_changed') >= 1, 30000);
		const caughtUp = await settledCount(workflowId, 4);
		assert.equal(caughtUp.length, 4);
		// off -> (restart: on, unavailable while starting) -> on: one change from off to on. Found by comparing
		// states at reconnect (caught_up) or live when the sensor comes back, depending on when the reconnect lands.
		assert.equal(caughtUp[3].previous_state, 'off');
		assert.equal(caughtUp[3].state, 'on');

		sim.setState(motion, 'off');
		for (let index = 0; index < 3; index++) await pulse();
		const all = await settledCount(workflowId, 7);
		assert.equal(all.length, 7, 'no change lost after the reconnect and none doubled');
		assert.ok(all.every((entry) => entry.entity_id === motion && entry.state === 'on'));
		const keys = all.map((entry) => (entry.new_state as { last_updated: string }).last_updated);
		assert.equal(new Set(keys).size, 7, `duplicates among ${keys.join(', ')}`);
		assert.deepEqual(
			all.filter((_, index) => index !== 3).map((entry) => entry.caught_up),
			[false, false, false, false, false, false],
		);
	});

	it('runs the README example: porch light on with motion, off when the motion clears', async () => {
		const readme = readmeSection('Home Assistant');
		const block = /```json\n([\s\S]*?)\n```/.exec(readme);
		assert.ok(block, 'the README has a JSON workflow');
		const workflow = JSON.parse(block[1]) as WorkflowJson;
		for (const node of workflow.nodes) node.credentials = { [HA_CREDENTIAL_TYPE]: credential };
		sim.setState('binary_sensor.porch_motion', 'off');
		sim.setState('light.porch', 'off');
		const workflowId = await n8n.importWorkflow(workflow);
		const before = sim.subscribers('state_changed');
		await n8n.activate(workflowId);
		active.push(workflowId);
		await until('the example to subscribe', () => sim.subscribers('state_changed') === before + 1);
		sim.setState('binary_sensor.porch_motion', 'on');
		await until('the porch light to go on', () => sim.state('light.porch')?.state === 'on');
		assert.equal(sim.state('light.porch')?.attributes.brightness, 200);
		await new Promise((resolve) => setTimeout(resolve, 500));
		sim.setState('binary_sensor.porch_motion', 'off');
		await until('the porch light to go off', () => sim.state('light.porch')?.state === 'off');
		const [execution] = await n8n.executions(workflowId);
		await n8n.waitForExecution(execution.id);
		await n8n.deactivate(workflowId);
	});

	it('emits events of a type and subscribe_trigger matches, and closes its connection on deactivate', async () => {
		const eventsId = await n8n.importWorkflow(
			triggerWorkflow('ha trigger: events', credential, { triggerOn: 'event', eventType: 'n8n_test_event' }),
		);
		const triggerId = await n8n.importWorkflow(
			triggerWorkflow('ha trigger: subscribe_trigger', credential, {
				triggerOn: 'trigger',
				triggerDefinition: JSON.stringify({
					platform: 'state',
					entity_id: 'input_boolean.guest_mode',
					to: 'on',
				}),
			}),
		);
		const connectionsBefore = sim.authenticatedConnections();
		await n8n.activate(eventsId);
		await n8n.activate(triggerId);
		active.push(eventsId, triggerId);
		await until(
			'both to subscribe',
			() => sim.subscribers('n8n_test_event') >= 1 && sim.triggerSubscribers() === 1,
		);

		sim.fireEvent('n8n_test_event', { door: 'garage' });
		sim.fireEvent('some_other_event', { ignored: true });
		sim.setState('input_boolean.guest_mode', 'on');
		const events = await settledCount(eventsId, 1);
		assert.equal(events.length, 1);
		assert.equal(events[0].event_type, 'n8n_test_event');
		assert.deepEqual(events[0].data, { door: 'garage' });
		const triggers = await settledCount(triggerId, 1);
		assert.equal(triggers.length, 1);
		assert.equal(triggers[0].entity_id, 'input_boolean.guest_mode');
		assert.equal((triggers[0].to_state as { state: string }).state, 'on');

		// A dropped connection (no restart): subscribe_trigger is sent again and keeps working.
		sim.dropConnections();
		await until('re-subscribed after a drop', () => sim.triggerSubscribers() === 1, 30000);
		sim.setState('input_boolean.guest_mode', 'off');
		sim.setState('input_boolean.guest_mode', 'on');
		assert.equal((await settledCount(triggerId, 2)).length, 2);

		await n8n.deactivate(eventsId);
		await n8n.deactivate(triggerId);
		await until(
			'connections closed on deactivate',
			() =>
				sim.triggerSubscribers() === 0 &&
				sim.subscribers('n8n_test_event') === 0 &&
				sim.authenticatedConnections() === connectionsBefore,
		);
	});
});
