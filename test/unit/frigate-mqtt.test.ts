import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	Backoff,
	brokerUrl,
	clientOptions,
	describeMqttError,
	normalizePem,
	sessionClientId,
} from '../../clients/mqtt';
import { certificateAuthority } from '../helpers/tls';

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

	it('TLS material: PEM that lost its line breaks is re-wrapped; wrong or half-given material is refused', () => {
		const { ca, clientCert, clientKey } = certificateAuthority();
		// what a one-line password field makes of a pasted file: line breaks gone or turned into spaces
		assert.equal(normalizePem(ca.replace(/\n/g, ''), 'CA Certificate'), ca);
		assert.equal(normalizePem(ca.replace(/\n/g, ' '), 'CA Certificate'), ca);
		assert.equal(normalizePem(`${ca}${ca}`, 'CA Certificate'), `${ca}${ca}`, 'a bundle of CAs stays whole');
		assert.equal(normalizePem(clientKey.replace(/\n/g, ' '), 'Client Key'), clientKey);
		assert.equal(normalizePem('  ', 'CA Certificate'), undefined);
		assert.throws(() => normalizePem('MIIB...', 'CA Certificate'), /CA Certificate is not a PEM certificate/);
		assert.throws(
			() => normalizePem(clientKey, 'Client Certificate'),
			/Client Certificate is not a PEM certificate/,
		);
		assert.throws(() => normalizePem(clientCert, 'Client Key'), /Client Key is not a PEM private key/);

		const base = { host: 'h', port: 8883, tls: true };
		const options = clientOptions({ ...base, ca, cert: clientCert, key: clientKey });
		assert.deepEqual([options.ca, options.cert, options.key], [ca, clientCert, clientKey]);
		assert.equal(options.rejectUnauthorized, true, 'a given CA verifies; it does not switch checking off');
		assert.throws(
			() => clientOptions({ ...base, cert: clientCert }),
			/needs both Client Certificate and Client Key/,
		);
		const plain = clientOptions({ host: 'h', port: 1883, tls: false, ca });
		assert.equal(plain.ca, undefined, 'without TLS the certificates are not used');
	});

	it('TLS failures are named as TLS, with what to change', () => {
		const tlsError = (code: string, message: string, extra: Record<string, unknown> = {}) =>
			Object.assign(new Error(message), { code, ...extra });
		assert.match(
			describeMqttError(
				tlsError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'),
			),
			/^TLS: the broker's certificate is not trusted \(self-signed certificate in the chain\); paste the CA .* or turn on Allow Self-Signed Certificate$/,
		);
		assert.match(
			describeMqttError(tlsError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')),
			/^TLS: the broker's certificate is not trusted/,
		);
		assert.match(
			describeMqttError(
				tlsError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'C0:error:0A00045C:SSL routines:...', {
					reason: 'tlsv13 alert certificate required',
				}),
			),
			/^TLS: the broker requires a client certificate; fill in Client Certificate and Client Key/,
		);
		assert.equal(
			describeMqttError(
				tlsError('ERR_SSL_WRONG_VERSION_NUMBER', 'C0:error:0A00010B:SSL routines:...', {
					reason: 'wrong version number',
				}),
			),
			'TLS handshake failed: wrong version number',
		);
		const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
		assert.match(
			describeMqttError(reset, true),
			/^connection reset by the server; with TLS on .*does not speak MQTT over TLS/,
		);
		assert.equal(describeMqttError(reset), 'connection reset by the server');
	});

	it('the trigger’s client id is stable per workflow and node, distinct otherwise', () => {
		const a = sessionClientId('n8n', 'frigate', 'wf1:node1');
		assert.equal(a, sessionClientId('n8n', 'frigate', 'wf1:node1'));
		assert.notEqual(a, sessionClientId('n8n', 'frigate', 'wf2:node1'));
		assert.match(sessionClientId(' ', 'frigate', 'wf1:node1'), /^n8n-homelab-frigate-[0-9a-f]{12}$/);
	});
});
