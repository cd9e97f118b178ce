import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { HassState } from '../../clients/homeassistant';
import {
	patternToRegExp,
	StateWatcher,
	type StateChange,
	type StateWatcherOptions,
} from '../../nodes/HomeAssistantTrigger/state-watcher';

let clock = 0;
function state(entityId: string, value: string, attributes: Record<string, unknown> = {}): HassState {
	clock += 1;
	const at = new Date(1_700_000_000_000 + clock * 1000).toISOString();
	return {
		entity_id: entityId,
		state: value,
		attributes,
		last_changed: at,
		last_updated: at,
		context: { id: `ctx${clock}`, parent_id: null, user_id: null },
	};
}

function watcher(options: Partial<StateWatcherOptions> = {}) {
	const emitted: StateChange[] = [];
	const watch = new StateWatcher(
		{
			entities: ['binary_sensor.*_motion', 'light.kitchen'],
			from: [],
			to: [],
			forMs: 0,
			ignoreAttributeOnly: true,
			ignoreUnavailable: true,
			...options,
		},
		(change) => emitted.push(change),
	);
	const change = (old: HassState | null, next: HassState) =>
		watch.handleEvent({ entity_id: next.entity_id, old_state: old, new_state: next });
	return { watch, emitted, change };
}

describe('Home Assistant trigger: which state changes it emits', () => {
	it('matches entity patterns and From/To lists', () => {
		assert.ok(patternToRegExp('binary_sensor.*_motion').test('binary_sensor.front_door_motion'));
		assert.ok(!patternToRegExp('light.kitchen').test('light.kitchenette'));
		const { emitted, change } = watcher({ from: ['off'], to: ['on'] });
		change(state('binary_sensor.hall_motion', 'off'), state('binary_sensor.hall_motion', 'on'));
		change(state('binary_sensor.hall_motion', 'on'), state('binary_sensor.hall_motion', 'off'));
		change(state('binary_sensor.hall_door', 'off'), state('binary_sensor.hall_door', 'on'));
		assert.deepEqual(
			emitted.map((entry) => [entry.entity_id, entry.previous_state, entry.state, entry.caught_up]),
			[['binary_sensor.hall_motion', 'off', 'on', false]],
		);
	});

	it('skips attribute-only changes unless told not to, and unavailable/unknown unless named', () => {
		const skipping = watcher();
		skipping.watch.seed([state('light.kitchen', 'on')]);
		skipping.change(
			state('light.kitchen', 'on', { brightness: 1 }),
			state('light.kitchen', 'on', { brightness: 2 }),
		);
		skipping.change(state('light.kitchen', 'on'), state('light.kitchen', 'unavailable'));
		skipping.change(state('light.kitchen', 'unavailable'), state('light.kitchen', 'on'));
		assert.equal(skipping.emitted.length, 0, 'on -> unavailable -> on is no change');
		// on -> unavailable -> off (e.g. across a restart) is reported as on -> off.
		skipping.change(state('light.kitchen', 'on'), state('light.kitchen', 'unavailable'));
		skipping.change(state('light.kitchen', 'unavailable'), state('light.kitchen', 'off'));
		assert.deepEqual(
			skipping.emitted.map((entry) => [entry.previous_state, entry.state]),
			[['on', 'off']],
		);
		const keeping = watcher({ ignoreAttributeOnly: false, to: ['on', 'unavailable'] });
		keeping.change(
			state('light.kitchen', 'on', { brightness: 1 }),
			state('light.kitchen', 'on', { brightness: 2 }),
		);
		keeping.change(state('light.kitchen', 'on'), state('light.kitchen', 'unavailable'));
		assert.deepEqual(
			keeping.emitted.map((entry) => entry.state),
			['on', 'unavailable'],
		);
	});

	it('emits a change once even if the same event arrives twice', () => {
		const { emitted, change } = watcher();
		const old = state('light.kitchen', 'off');
		const next = state('light.kitchen', 'on');
		change(old, next);
		change(old, next);
		assert.equal(emitted.length, 1);
	});

	it('"for": emits only when the new state holds long enough', async () => {
		const { emitted, change, watch } = watcher({ to: ['on'], forMs: 150 });
		change(state('light.kitchen', 'off'), state('light.kitchen', 'on'));
		await new Promise((resolve) => setTimeout(resolve, 50));
		change(state('light.kitchen', 'on'), state('light.kitchen', 'off'));
		await new Promise((resolve) => setTimeout(resolve, 200));
		assert.equal(emitted.length, 0, 'interrupted hold must not emit');
		change(state('light.kitchen', 'off'), state('light.kitchen', 'on'));
		change(state('light.kitchen', 'on', { brightness: 5 }), state('light.kitchen', 'on', { brightness: 6 }));
		await new Promise((resolve) => setTimeout(resolve, 250));
		assert.equal(emitted.length, 1);
		assert.equal(emitted[0].held_for_seconds, 0.15);
		watch.stop();
	});

	it('after a reconnect, emits what changed while disconnected — once, and nothing that did not', () => {
		const { emitted, watch, change } = watcher();
		const kitchenOff = state('light.kitchen', 'off');
		const motionOff = state('binary_sensor.hall_motion', 'off');
		watch.seed([kitchenOff, motionOff, state('switch.fan', 'off')]);
		// While disconnected: the kitchen light went on; the motion sensor did not change.
		const kitchenOn = state('light.kitchen', 'on');
		assert.equal(watch.catchUp([kitchenOn, motionOff, state('switch.fan', 'on')]), 1);
		assert.deepEqual(
			emitted.map((entry) => [entry.entity_id, entry.previous_state, entry.state, entry.caught_up]),
			[['light.kitchen', 'off', 'on', true]],
		);
		// While Home Assistant starts, an entity may be unavailable: not a change, and not remembered.
		assert.equal(watch.catchUp([state('binary_sensor.hall_motion', 'unavailable')]), 0);
		// A second comparison, or the live event for the same change, adds nothing.
		assert.equal(watch.catchUp([kitchenOn, motionOff]), 0);
		change(kitchenOff, kitchenOn);
		assert.equal(emitted.length, 1);
	});

	it('after an n8n restart, compares with the states remembered before it (without attributes)', () => {
		const before = watcher();
		before.change(state('light.kitchen', 'off'), state('light.kitchen', 'on', { brightness: 200 }));
		const remembered = JSON.parse(JSON.stringify(before.watch.remembered())) as ReturnType<
			StateWatcher['remembered']
		>;
		assert.deepEqual(
			remembered.map((entry) => [entry.entity_id, entry.state, 'attributes' in entry]),
			[['light.kitchen', 'on', false]],
		);
		// n8n is down: the light goes off; a new motion sensor appears (no earlier state: nothing to report)
		const { emitted, watch } = watcher();
		watch.restore(remembered);
		const now = [state('light.kitchen', 'off'), state('binary_sensor.hall_motion', 'on')];
		assert.equal(watch.catchUp(now), 1);
		watch.seed(now);
		assert.deepEqual(
			emitted.map((entry) => [entry.entity_id, entry.previous_state, entry.state, entry.caught_up]),
			[['light.kitchen', 'on', 'off', true]],
		);
		// nothing changed since the last emit: a restart emits nothing
		const quiet = watcher();
		quiet.watch.restore(watch.remembered());
		assert.equal(quiet.watch.catchUp(now), 0);
	});
});
