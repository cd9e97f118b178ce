import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import WebSocket from 'ws';

import {
	HomeAssistantError,
	HomeAssistantRest,
	HomeAssistantSocket,
	type ConnectedInfo,
	type HassEvent,
	type HassState,
	type ServiceResponse,
	type StateChangedData,
	baseUrl,
	websocketUrl,
} from '../../clients/homeassistant';
import { connectionOptions } from '../../nodes/HomeAssistant/transport';
import { freePort, waitFor } from '../harness/net';
import { fakeJpeg, HomeAssistantSimulator } from '../simulators/homeassistant';

/** Waits until `predicate` holds (polling). */
async function until(what: string, predicate: () => boolean, timeoutMs = 3000): Promise<void> {
	await waitFor(what, () => Promise.resolve(predicate() ? true : undefined), { timeoutMs, intervalMs: 20 });
}

async function rejection(promise: Promise<unknown>): Promise<HomeAssistantError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof HomeAssistantError, `expected a HomeAssistantError, got ${String(error)}`);
		return error;
	}
	assert.fail('expected the call to fail');
}

/** A raw WebSocket to the simulator, authenticated, to check what the simulator itself enforces. */
async function rawSession(sim: HomeAssistantSimulator, token = sim.token) {
	const ws = new WebSocket(`ws://127.0.0.1:${sim.port}/api/websocket`);
	const inbox: Array<Record<string, unknown>> = [];
	const waiters: Array<() => void> = [];
	ws.on('message', (raw: WebSocket.RawData) => {
		inbox.push(JSON.parse((raw as Buffer).toString('utf8')) as Record<string, unknown>);
		waiters.splice(0).forEach((wake) => wake());
	});
	const closed = new Promise<number>((resolve) => ws.once('close', resolve));
	const next = async () => {
		while (!inbox.length) await new Promise<void>((resolve) => waiters.push(resolve));
		return inbox.shift() as Record<string, unknown>;
	};
	await new Promise((resolve) => ws.once('open', resolve));
	assert.equal((await next()).type, 'auth_required');
	ws.send(JSON.stringify({ type: 'auth', access_token: token }));
	return { ws, next, closed, first: await next() };
}

describe('Home Assistant simulator enforces the WebSocket protocol', () => {
	let sim: HomeAssistantSimulator;
	before(async () => (sim = await HomeAssistantSimulator.start()));
	after(async () => await sim.stop());

	it('answers a wrong token with auth_invalid and closes the session', async () => {
		const session = await rawSession(sim, 'wrong');
		assert.equal(session.first.type, 'auth_invalid');
		await session.closed;
	});

	it('refuses an id that does not increase with id_reuse', async () => {
		const session = await rawSession(sim);
		assert.equal(session.first.type, 'auth_ok');
		session.ws.send(JSON.stringify({ id: 5, type: 'ping' }));
		assert.deepEqual(await session.next(), { id: 5, type: 'pong' });
		session.ws.send(JSON.stringify({ id: 5, type: 'get_states' }));
		const reused = await session.next();
		assert.equal(reused.success, false);
		assert.equal((reused.error as { code: string }).code, 'id_reuse');
		session.ws.send(JSON.stringify({ id: 4, type: 'get_states' }));
		assert.equal(((await session.next()).error as { code: string }).code, 'id_reuse');
		session.ws.send(JSON.stringify({ id: 6, type: 'no_such_command' }));
		assert.equal(((await session.next()).error as { code: string }).code, 'unknown_command');
		session.ws.close();
	});
});

describe('Home Assistant REST client against the simulator', () => {
	let sim: HomeAssistantSimulator;
	let rest: HomeAssistantRest;
	before(async () => {
		sim = await HomeAssistantSimulator.start();
		rest = new HomeAssistantRest({ url: `${sim.url}/`, token: sim.token });
	});
	after(async () => await sim.stop());

	it('pings /api/ and refuses a wrong token with kind "auth" and status 401', async () => {
		assert.deepEqual(await rest.ping(), { message: 'API running.' });
		const error = await rejection(new HomeAssistantRest({ url: sim.url, token: 'nope' }).getStates());
		assert.equal(error.kind, 'auth');
		assert.equal(error.status, 401);
		assert.equal(error.body, '401: Unauthorized');
	});

	it("reads, sets and 404s states with Home Assistant's bodies", async () => {
		assert.equal((await rest.getState('light.kitchen')).state, 'off');
		assert.ok((await rest.getStates()).some((state) => state.entity_id === 'person.alex'));
		const missing = await rejection(rest.getState('light.nowhere'));
		assert.equal(missing.status, 404);
		assert.deepEqual(missing.body, { message: 'Entity not found.' });
		assert.match(missing.message, /404: Entity not found\./);
		const set = await rest.setState('sensor.made_up', '42', { unit_of_measurement: 'W' });
		assert.equal(set.state, '42');
		assert.equal(sim.state('sensor.made_up')?.attributes.unit_of_measurement, 'W');
		const bad = await rejection(rest.setState('Not An Id', '1', undefined));
		assert.equal(bad.status, 400);
		assert.deepEqual(bad.body, { message: 'Invalid entity ID specified.' });
	});

	it('calls services, with return_response, and maps their 400s', async () => {
		const changed = (await rest.callService('light', 'turn_on', {
			entity_id: 'light.kitchen',
			brightness: 99,
		})) as HassState[];
		assert.deepEqual(
			changed.map((state) => [state.entity_id, state.state, state.attributes.brightness]),
			[['light.kitchen', 'on', 99]],
		);
		const withResponse = (await rest.callService(
			'calendar',
			'get_events',
			{ entity_id: 'calendar.family', end_date_time: new Date(Date.now() + 3 * 86400_000).toISOString() },
			{ returnResponse: true },
		)) as ServiceResponse;
		assert.equal(
			(withResponse.service_response['calendar.family'] as { events: Array<{ summary: string }> }).events[0]
				.summary,
			'Bin day',
		);
		const notFound = await rejection(rest.callService('light', 'explode', {}));
		assert.equal(notFound.status, 400);
		const invalid = await rejection(
			rest.callService('light', 'turn_on', { entity_id: 'light.kitchen', brightness: 999 }),
		);
		assert.deepEqual(invalid.body, { message: 'Brightness 999 is out of range 0-255' });
	});

	it('fires events, renders templates, reads history, logbook, calendars, camera and config', async () => {
		assert.deepEqual(await rest.fireEvent('garage_opened', { by: 'test' }), {
			message: 'Event garage_opened fired.',
		});
		assert.deepEqual(sim.firedEvents.at(-1)?.data, { by: 'test' });
		assert.equal(
			await rest.renderTemplate("Kitchen is {{ states('light.kitchen') | upper }}"),
			'Kitchen is ON',
		);
		const templateError = await rejection(rest.renderTemplate('{{ nope( }}'));
		assert.equal(templateError.status, 400);
		assert.match(templateError.message, /Error rendering template/);
		const start = new Date(Date.now() - 2 * 3600_000).toISOString();
		const history = await rest.history(['light.kitchen'], start);
		assert.deepEqual(
			history[0].map((state) => state.state),
			['off', 'on'],
		);
		const logbook = await rest.logbook(start, { entityId: 'light.kitchen' });
		assert.ok(logbook.some((entry) => entry.state === 'on'));
		assert.deepEqual(await rest.calendars(), [{ entity_id: 'calendar.family', name: 'Family' }]);
		const events = await rest.calendarEvents(
			'calendar.family',
			new Date().toISOString(),
			new Date(Date.now() + 7 * 86400_000).toISOString(),
		);
		assert.equal(events[0].summary, 'Bin day');
		const snapshot = await rest.cameraSnapshot('camera.porch');
		assert.equal(snapshot.contentType, 'image/jpeg');
		assert.deepEqual(snapshot.data, fakeJpeg('camera.porch'));
		assert.equal((await rejection(rest.cameraSnapshot('camera.none'))).status, 404);
		assert.equal((await rest.getConfig()).state, 'RUNNING');
		assert.deepEqual(await rest.checkConfig(), { result: 'valid', errors: null, warnings: null });
	});

	it('reports a closed port in words, with the code kept apart', async () => {
		const port = await freePort();
		const error = await rejection(new HomeAssistantRest({ url: `127.0.0.1:${port}`, token: 't' }).ping());
		assert.equal(error.kind, 'connection');
		assert.equal(error.code, 'ECONNREFUSED');
		assert.doesNotMatch(error.message, /ECONNREFUSED/);
		assert.match(error.message, new RegExp(`connection refused \\(127\\.0\\.0\\.1:${port}\\)`));
	});
});

describe('Home Assistant WebSocket client against the simulator', () => {
	let sim: HomeAssistantSimulator;
	const sockets: HomeAssistantSocket[] = [];
	const client = (overrides: Partial<ConstructorParameters<typeof HomeAssistantSocket>[0]> = {}) => {
		const socket = new HomeAssistantSocket({
			url: sim.url,
			token: sim.token,
			initialDelayMs: 100,
			maxDelayMs: 400,
			...overrides,
		});
		sockets.push(socket);
		return socket;
	};
	before(async () => (sim = await HomeAssistantSimulator.start()));
	beforeEach(() => (sim.mute = false));
	after(async () => {
		await Promise.all(sockets.map(async (socket) => await socket.close()));
		await sim.stop();
	});

	it('authenticates, and fails with kind "auth" on auth_invalid without retrying', async () => {
		const good = client();
		await good.connect();
		assert.equal(good.haVersion, '2025.11.1');
		const bad = client({ token: 'wrong' });
		const error = await rejection(bad.connect());
		assert.equal(error.kind, 'auth');
		assert.match(error.message, /refused the access token: Invalid access token or password/);
		await new Promise((resolve) => setTimeout(resolve, 300));
		assert.equal(bad.connections, 0);
	});

	it('maps call_service errors to their Home Assistant codes', async () => {
		const socket = client();
		await socket.connect();
		const call = (domain: string, service: string, data: Record<string, unknown>, extra = {}) =>
			socket.command({ type: 'call_service', domain, service, service_data: data, ...extra });
		assert.equal((await rejection(call('light', 'explode', {}))).code, 'not_found');
		assert.equal(
			(await rejection(call('notify', 'mobile_app_phone', { title: 'no message' }))).code,
			'invalid_format',
		);
		const validation = await rejection(
			call('light', 'turn_on', { brightness: 300 }, { target: { entity_id: 'light.kitchen' } }),
		);
		assert.equal(validation.code, 'service_validation_error');
		assert.match(validation.message, /Brightness 300 is out of range/);
		assert.equal(
			(await rejection(call('calendar', 'get_events', {}, { target: { entity_id: 'calendar.family' } })))
				.code,
			'service_validation_error',
		);
		const ok = await call('light', 'turn_off', {}, { target: { entity_id: 'light.kitchen' } });
		assert.ok((ok as { context: { id: string } }).context.id);
	});

	it('keeps ids strictly increasing across reconnects and re-subscribes exactly once', async () => {
		const socket = client();
		const seen: string[] = [];
		const connected: ConnectedInfo[] = [];
		const from = sim.received.length;
		socket.on('connected', (info: ConnectedInfo) => connected.push(info));
		await socket.connect();
		await socket.subscribe({ type: 'subscribe_events', event_type: 'state_changed' }, (event) => {
			const data = (event as HassEvent<StateChangedData>).data;
			seen.push(`${data.entity_id}=${data.new_state?.state}`);
		});
		sim.setState('switch.fan', 'on');
		await until('first event', () => seen.length === 1);
		sim.dropConnections();
		await until('reconnect', () => connected.length === 2, 5000);
		assert.deepEqual(connected[1], { reconnected: true, haVersion: '2025.11.1', resubscribed: 1 });
		assert.equal(sim.subscribers('state_changed'), 1);
		sim.setState('switch.fan', 'off');
		await until('event after reconnect', () => seen.length === 2);
		await new Promise((resolve) => setTimeout(resolve, 200));
		assert.deepEqual(seen, ['switch.fan=on', 'switch.fan=off']);
		const mine = sim.received.slice(from);
		const ids = mine.map((entry) => entry.message.id as number);
		assert.equal(new Set(mine.map((entry) => entry.connection)).size, 2, 'two connections');
		assert.ok(
			ids.every((id, index) => index === 0 || id > ids[index - 1]),
			`ids ${ids.join(',')}`,
		);
		assert.deepEqual(
			mine.map((entry) => entry.message.type),
			['subscribe_events', 'subscribe_events'],
		);
	});

	it('survives a Home Assistant restart: reconnects with backoff, re-subscribes, no lost or doubled events', async () => {
		const socket = client();
		const values: string[] = [];
		const started: string[] = [];
		let reconnecting = 0;
		socket.on('reconnecting', () => (reconnecting += 1));
		await socket.connect();
		await socket.subscribe({ type: 'subscribe_events', event_type: 'state_changed' }, (event) => {
			const data = (event as HassEvent<StateChangedData>).data;
			if (data.entity_id === 'sensor.outdoor_temperature') values.push(String(data.new_state?.state));
		});
		await socket.subscribe({ type: 'subscribe_events', event_type: 'homeassistant_started' }, (event) =>
			started.push((event as HassEvent).event_type),
		);
		for (let value = 1; value <= 5; value++) sim.setState('sensor.outdoor_temperature', String(value));
		await until('5 events', () => values.length === 5);
		await sim.restart({ downMs: 1200, startingMs: 800 });
		assert.ok(reconnecting >= 2, `reconnect attempts while refused: ${reconnecting}`);
		await until('re-subscribed', () => sim.subscribers('state_changed') >= 1 && socket.connected, 5000);
		await until('homeassistant_started', () => started.length === 1, 5000);
		for (let value = 6; value <= 10; value++) sim.setState('sensor.outdoor_temperature', String(value));
		await until('10 events', () => values.length >= 10);
		await new Promise((resolve) => setTimeout(resolve, 200));
		assert.deepEqual(values, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
	});

	it('drops a connection whose pings go unanswered and reconnects', async () => {
		const socket = client({ pingIntervalMs: 150, pongTimeoutMs: 150, connectTimeoutMs: 500 });
		const problems: string[] = [];
		socket.on('problem', (error: Error) => problems.push(error.message));
		await socket.connect();
		sim.mute = true;
		await until('missed pong', () => problems.length > 0, 3000);
		sim.mute = false;
		await until('reconnected', () => socket.connections >= 2 && socket.connected, 5000);
		assert.match(problems[0], /no pong from Home Assistant/);
		assert.equal(await socket.command({ type: 'ping' }), null);
	});

	it('close() fails pending commands and stops reconnecting', async () => {
		const socket = client();
		await socket.connect();
		sim.mute = true;
		const pending = rejection(socket.command({ type: 'get_states' }));
		await socket.close();
		assert.equal((await pending).kind, 'cancelled');
		sim.mute = false;
		await new Promise((resolve) => setTimeout(resolve, 400));
		assert.equal(socket.connections, 1);
		assert.equal((await rejection(socket.command({ type: 'ping' }))).kind, 'connection');
	});
});

describe('Home Assistant client over HTTPS with a self-signed certificate', () => {
	let sim: HomeAssistantSimulator;
	before(async () => (sim = await HomeAssistantSimulator.start({ tls: true })));
	after(async () => await sim.stop());

	it('refuses the certificate by default, on REST and WebSocket alike', async () => {
		const rest = await rejection(new HomeAssistantRest({ url: sim.url, token: sim.token }).ping());
		assert.equal(rest.kind, 'connection');
		assert.match(rest.message, /self-signed certificate/);
		const socket = new HomeAssistantSocket({ url: sim.url, token: sim.token });
		const ws = await rejection(socket.connect());
		assert.equal(ws.kind, 'connection');
		assert.match(ws.message, /self-signed certificate/);
		await socket.close();
	});

	it('accepts it with "Ignore SSL Issues", on REST and WebSocket (wss://)', async () => {
		const options = { url: sim.url, token: sim.token, allowSelfSigned: true };
		assert.deepEqual(await new HomeAssistantRest(options).ping(), { message: 'API running.' });
		const socket = new HomeAssistantSocket(options);
		assert.match(socket.url, /^wss:\/\/127\.0\.0\.1:\d+\/api\/websocket$/);
		await socket.connect();
		assert.equal(await socket.command({ type: 'ping' }), null);
		await socket.close();
	});

	it('reads the stored credential field "ignoreSslIssues" (kept for saved credentials) as allowSelfSigned', () => {
		const stored = { url: sim.url, accessToken: sim.token };
		assert.equal(connectionOptions({ ...stored, ignoreSslIssues: true }).allowSelfSigned, true);
		assert.equal(connectionOptions(stored).allowSelfSigned, false);
	});
});

describe('Home Assistant URL handling', () => {
	it('accepts what users paste and derives the WebSocket address', () => {
		assert.equal(baseUrl('homeassistant.local:8123').href, 'http://homeassistant.local:8123/');
		assert.equal(baseUrl('https://ha.lab.example/api/ ').href, 'https://ha.lab.example/');
		assert.equal(baseUrl('http://nas.lab:8123/ha/api/websocket').href, 'http://nas.lab:8123/ha');
		assert.equal(websocketUrl(baseUrl('https://ha.lab.example')), 'wss://ha.lab.example/api/websocket');
		assert.equal(websocketUrl(baseUrl('http://nas.lab:8123/ha/')), 'ws://nas.lab:8123/ha/api/websocket');
		assert.throws(() => baseUrl('ftp://ha.lab'), /must start with http/);
	});
});
