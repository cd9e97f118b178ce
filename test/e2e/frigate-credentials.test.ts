import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { N8n } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { startMqtt, type MqttService } from '../services/mqtt';
import { startFrigateSimulator, type FrigateSimulator } from '../simulators/frigate/server';

// The editor's "Test credential" button: POST /rest/credentials/test, answered by the nodes' credentialTest
// methods (testedBy) since neither credential can be tested with a plain HTTP request.
describe('Frigate API and MQTT Broker credential tests in real n8n', () => {
	let n8n: N8n;
	let broker: MqttService;
	let sim: FrigateSimulator;
	before(async () => {
		n8n = await sharedN8n();
		broker = await startMqtt();
		sim = await startFrigateSimulator();
	});
	after(async () => {
		await broker?.stop();
		await sim?.close();
	});

	const test = async (type: string, data: Record<string, unknown>) =>
		(
			await n8n.rest<{ data: { status: string; message: string } }>('POST', '/credentials/test', {
				credentials: { id: '', name: `test ${type}`, type, data },
			})
		).data;

	it('MQTT Broker: connects with user/password; a wrong password or a closed port is named', async () => {
		const base = { host: '127.0.0.1', port: broker.authPort, tls: false, clientId: 'cred-test' };
		assert.deepEqual(
			await test('mqttBrokerApi', { ...base, username: broker.username, password: broker.password }),
			{
				status: 'OK',
				message: 'Connected to the broker',
			},
		);
		const wrong = await test('mqttBrokerApi', { ...base, username: broker.username, password: 'nope' });
		assert.equal(wrong.status, 'Error');
		assert.match(wrong.message, /not authorized|bad user name or password/);
		const closed = await test('mqttBrokerApi', { ...base, port: 1, username: '', password: '' });
		assert.equal(closed.status, 'Error');
		assert.match(closed.message, /connection refused/);
	});

	it('Frigate API: internal port, authenticated port with login, wrong password', async () => {
		assert.deepEqual(await test('frigateApi', { url: sim.url, auth: 'none', allowSelfSigned: false }), {
			status: 'OK',
			message: 'Connected: 3 camera(s)',
		});
		const auth = { url: sim.authUrl, auth: 'password', username: 'admin', allowSelfSigned: true };
		assert.equal((await test('frigateApi', { ...auth, password: 'frigate-admin-pw' })).status, 'OK');
		const wrong = await test('frigateApi', { ...auth, password: 'nope' });
		assert.equal(wrong.status, 'Error');
		assert.match(wrong.message, /rejected the user name or password/);
		const anonymous = await test('frigateApi', { url: sim.authUrl, auth: 'none', allowSelfSigned: true });
		assert.equal(anonymous.status, 'Error');
		assert.match(anonymous.message, /401/);
	});
});
