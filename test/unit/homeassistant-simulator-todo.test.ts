import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { HomeAssistantError, HomeAssistantRest } from '../../clients/homeassistant';
import { HomeAssistantSimulator } from '../simulators/homeassistant';

async function rejection(promise: Promise<unknown>): Promise<HomeAssistantError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof HomeAssistantError, `expected a HomeAssistantError, got ${String(error)}`);
		return error;
	}
	assert.fail('the call succeeded');
}

// The simulator's todo.add_item must refuse what Home Assistant refuses, or the workflows tested against it
// could send calls a real Home Assistant rejects.
describe('Home Assistant simulator: todo.add_item', () => {
	let sim: HomeAssistantSimulator;
	let rest: HomeAssistantRest;
	before(async () => {
		sim = await HomeAssistantSimulator.start();
		rest = new HomeAssistantRest({ url: sim.url, token: sim.token });
	});
	after(async () => await sim.stop());

	it('adds items with a due date or a due date-time and counts the open ones as the state', async () => {
		await rest.callService('todo', 'add_item', {
			entity_id: 'todo.tasks',
			item: 'Renew domain',
			due_date: '2025-12-12',
		});
		await rest.callService('todo', 'add_item', {
			entity_id: 'todo.tasks',
			item: 'Report',
			due_datetime: '2025-12-05T17:00:00+01:00',
			description: 'Q4',
		});
		assert.deepEqual(
			sim.todoItems.get('todo.tasks')?.map(({ summary, due, description }) => [summary, due, description]),
			[
				['Renew domain', '2025-12-12', undefined],
				['Report', '2025-12-05T16:00:00.000Z', 'Q4'],
			],
		);
		assert.equal(sim.state('todo.tasks')?.state, '2');
	});

	it('refuses both due fields, bad dates, an empty item, extra keys and a list without due dates', async () => {
		const bad = async (data: Record<string, unknown>) =>
			await rejection(rest.callService('todo', 'add_item', { entity_id: 'todo.tasks', item: 'x', ...data }));
		for (const data of [
			{ due_date: '2025-12-12', due_datetime: '2025-12-12T10:00:00Z' },
			{ due_date: '2025-02-30' },
			{ due_date: '12/12/2025' },
			{ due_datetime: 'tomorrow' },
			{ item: ' ' },
			{ due: '2025-12-12' },
		]) {
			assert.equal((await bad(data)).status, 400, JSON.stringify(data));
		}
		const unsupported = await rejection(
			rest.callService('todo', 'add_item', {
				entity_id: 'todo.shopping_list',
				item: 'Milk',
				due_date: '2025-12-12',
			}),
		);
		assert.deepEqual(unsupported.body, { message: "Entity does not support setting field 'due_date'" });
		const notAList = await rejection(
			rest.callService('todo', 'add_item', { entity_id: 'calendar.family', item: 'x' }),
		);
		assert.deepEqual(notAList.body, { message: 'Entity calendar.family is not a to-do list' });
		assert.equal(sim.todoItems.get('todo.shopping_list')?.length, 0);
	});
});
