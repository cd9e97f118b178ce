import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { searchCameras, searchEvents } from '../../nodes/Frigate/methods';
import { startFrigateSimulator, type FrigateSimulator } from '../simulators/frigate/server';

describe('Frigate node list search (cameras from /api/config, events from /api/events)', () => {
	let sim: FrigateSimulator;
	before(async () => {
		sim = await startFrigateSimulator();
	});
	after(async () => await sim.close());

	const context = (credentials: Record<string, unknown>) =>
		({
			getCredentials: async () => credentials,
			getNode: () => ({ name: 'Frigate', type: 'n8n-nodes-homelab.frigate', typeVersion: 1, parameters: {} }),
		}) as unknown as ILoadOptionsFunctions;

	it('lists and filters cameras; logs in on the authenticated port', async () => {
		const internal = context({ url: sim.url, auth: 'none' });
		assert.deepEqual(
			(await searchCameras.call(internal)).results.map((result) => result.value),
			['backyard', 'driveway', 'front_door'],
		);
		assert.deepEqual(
			(await searchCameras.call(internal, 'DRIVE')).results.map((result) => result.value),
			['driveway'],
		);
		const authenticated = context({
			url: sim.authUrl,
			auth: 'password',
			username: 'admin',
			password: 'frigate-admin-pw',
			allowSelfSigned: true,
		});
		assert.equal((await searchCameras.call(authenticated)).results.length, 3);
	});

	it('lists events newest first with a readable name, filtered by the search text', async () => {
		const now = Date.now() / 1000;
		const car = sim.addEvent({ camera: 'driveway', label: 'car', start_time: now - 10 });
		sim.addEvent({ camera: 'front_door', label: 'person', sub_label: 'Alice', start_time: now - 5 });
		const internal = context({ url: sim.url, auth: 'none' });
		const all = await searchEvents.call(internal);
		assert.match(
			String(all.results[0].name),
			/^front_door: person \(Alice\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
		);
		assert.deepEqual(
			(await searchEvents.call(internal, 'car')).results.map((result) => result.value),
			[car.id],
		);
	});
});
