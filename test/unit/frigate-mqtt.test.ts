import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Backoff, brokerUrl, clientOptions, describeMqttError, sessionClientId } from '../../clients/mqtt';

describe('MQTT helper and the trigger’s session identity', () => {
	it('backs off 0.5 s, 1 s, 2 s ... up to the cap, and resets', () => {
		const backoff = new Backoff(500, 4000);
		assert.deepEqual(
			Array.from({ length: 6 }, () => backoff.next()),
			[500, 1000, 2000, 4000, 4000, 4000],
		);
		backoff.reset();
		assert.equal(backoff.next(), 500);
	});

	it('builds broker URLs and rejects bad ports', () => {
		assert.equal(brokerUrl({ host: 'mqtt.lab', port: 1883 }), 'mqtt://mqtt.lab:1883');
		assert.equal(brokerUrl({ host: 'fd00::1', port: 8883, tls: true }), 'mqtts://[fd00::1]:8883');
		assert.throws(() => brokerUrl({ host: ' ', port: 1883 }), /host is empty/);
		assert.throws(() => brokerUrl({ host: 'a', port: 70000 }), /out of range/);
	});

	it('persistent sessions: clean false and a fixed client id; self-signed only when allowed', () => {
		const options = clientOptions(
			{ host: 'h', port: 8883, tls: true, allowSelfSigned: true, username: 'u', password: 'p' },
			{ clean: false, clientId: 'fixed' },
		);
		assert.equal(options.clean, false);
		assert.equal(options.clientId, 'fixed');
		assert.equal(options.rejectUnauthorized, false);
		assert.equal(options.username, 'u');
		assert.equal(describeMqttError({ code: 5 }), 'not authorized (check user name and password)');
	});

	it('the trigger’s client id is stable per workflow and node, distinct otherwise', () => {
		const a = sessionClientId('n8n', 'frigate', 'wf1:node1');
		assert.equal(a, sessionClientId('n8n', 'frigate', 'wf1:node1'));
		assert.notEqual(a, sessionClientId('n8n', 'frigate', 'wf2:node1'));
		assert.match(sessionClientId(' ', 'frigate', 'wf1:node1'), /^n8n-homelab-frigate-[0-9a-f]{12}$/);
	});
});
