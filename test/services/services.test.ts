import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';

import { ImapFlow } from 'imapflow';
import mqtt from 'mqtt';
import nodemailer from 'nodemailer';
import pg from 'pg';

import { waitFor } from '../harness/net';
import { dockerApi, startDocker } from './docker';
import { startMail } from './mail';
import { startMqtt } from './mqtt';
import { startPostgres } from './postgres';
import { startRedis } from './redis';

describe('real servers for tests, each spoken to over its own protocol', () => {
	it('Docker engine: runs a container from the local busybox image and returns its logs', async () => {
		const docker = await startDocker();
		try {
			const version = JSON.parse((await dockerApi(docker.socketPath, 'GET', '/version')).body) as {
				ApiVersion: string;
			};
			assert.match(version.ApiVersion, /^1\.\d+$/);
			const created = await dockerApi(docker.socketPath, 'POST', '/containers/create?name=hello', {
				Image: docker.busyboxImage,
				Cmd: ['echo', 'hello from busybox'],
				HostConfig: { NetworkMode: 'none' },
			});
			assert.equal(created.status, 201, created.body);
			const { Id } = JSON.parse(created.body) as { Id: string };
			assert.equal((await dockerApi(docker.socketPath, 'POST', `/containers/${Id}/start`)).status, 204);
			const waited = JSON.parse(
				(await dockerApi(docker.socketPath, 'POST', `/containers/${Id}/wait`)).body,
			) as {
				StatusCode: number;
			};
			assert.equal(waited.StatusCode, 0);
			const logs = await dockerApi(docker.socketPath, 'GET', `/containers/${Id}/logs?stdout=1`);
			assert.match(logs.body, /hello from busybox/);
			const missing = await dockerApi(docker.socketPath, 'GET', '/containers/does-not-exist/json');
			assert.equal(missing.status, 404);
		} finally {
			await docker.stop();
		}
	});

	it('mail: SMTP with AUTH delivers into the IMAP mailbox; bad credentials are refused', async () => {
		const mail = await startMail();
		try {
			const { alice, bob } = mail.users;
			const transport = nodemailer.createTransport({
				host: mail.host,
				port: mail.smtpPort,
				secure: false,
				ignoreTLS: true,
				auth: { user: bob.address, pass: bob.password },
			});
			await transport.sendMail({
				from: bob.address,
				to: alice.address,
				subject: 'Invoice 42',
				text: 'due next Friday',
			});
			const wrong = nodemailer.createTransport({
				host: mail.host,
				port: mail.smtpPort,
				ignoreTLS: true,
				auth: { user: bob.address, pass: 'nope' },
			});
			await assert.rejects(
				wrong.sendMail({ from: bob.address, to: alice.address, text: 'x' }),
				/Invalid username or password/,
			);

			const imap = new ImapFlow({
				host: mail.host,
				port: mail.imapsPort,
				secure: true,
				tls: { rejectUnauthorized: false },
				auth: { user: alice.address, pass: alice.password },
				logger: false,
			});
			await imap.connect();
			try {
				const lock = await imap.getMailboxLock('INBOX');
				try {
					const subjects: string[] = [];
					for await (const message of imap.fetch('1:*', { envelope: true }))
						subjects.push(message.envelope?.subject ?? '');
					assert.deepEqual(subjects, ['Invoice 42']);
				} finally {
					lock.release();
				}
			} finally {
				await imap.logout();
			}
			const badImap = new ImapFlow({
				host: mail.host,
				port: mail.imapPort,
				secure: false,
				auth: { user: alice.address, pass: 'wrong' },
				logger: false,
			});
			await assert.rejects(badImap.connect());
		} finally {
			await mail.stop();
		}
	});

	it('MQTT: QoS 1 publish reaches a subscriber, auth listener refuses a bad password, restart keeps working', async () => {
		const broker = await startMqtt();
		try {
			const subscriber = await mqtt.connectAsync(broker.url, { clientId: 'sub', clean: true });
			const received: string[] = [];
			subscriber.on('message', (_topic, payload) => received.push(payload.toString()));
			await subscriber.subscribeAsync('frigate/events', { qos: 1 });
			const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.authPort}`, {
				username: broker.username,
				password: broker.password,
			});
			await publisher.publishAsync('frigate/events', JSON.stringify({ type: 'new' }), { qos: 1 });
			await waitFor('the message', () => (received.length ? true : undefined), { timeoutMs: 5000 });
			assert.deepEqual(received, ['{"type":"new"}']);
			await publisher.endAsync();
			await subscriber.endAsync();
			await assert.rejects(
				mqtt.connectAsync(`mqtt://127.0.0.1:${broker.authPort}`, {
					username: 'homelab',
					password: 'bad',
					reconnectPeriod: 0,
				}),
				/Not authorized|Bad username or password/,
			);
			await broker.restart();
			const again = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
			await again.endAsync();
		} finally {
			await broker.stop();
		}
	});

	it('PostgreSQL: password login, a query, and a fresh database', async () => {
		const postgres = await startPostgres();
		try {
			const client = new pg.Client({ connectionString: postgres.connectionString });
			await client.connect();
			const { rows } = await client.query<{ version: string }>('select version()');
			assert.match(rows[0].version, /^PostgreSQL 15/);
			await client.end();
			const jobs = new pg.Client({ connectionString: postgres.createDatabase('jobs_test') });
			await jobs.connect();
			await jobs.query('create table t (id int primary key)');
			await jobs.end();
			const wrong = new pg.Client({
				connectionString: postgres.connectionString.replace(':pgpw@', ':nope@'),
			});
			await assert.rejects(wrong.connect(), /password authentication failed/);
		} finally {
			await postgres.stop();
		}
	});

	it('Redis: refuses commands before AUTH, then SET/GET work (RESP over a raw socket)', async () => {
		const redis = await startRedis();
		try {
			const reply = await new Promise<string>((resolve, reject) => {
				const socket = net.connect(redis.port, redis.host);
				let data = '';
				socket.on('data', (chunk) => {
					data += chunk.toString();
					if (data.split('\r\n').length > 4) {
						socket.end();
						resolve(data);
					}
				});
				socket.on('error', reject);
				socket.write(`PING\r\nAUTH ${redis.password}\r\nSET lab up\r\nGET lab\r\n`);
			});
			const lines = reply.split('\r\n');
			assert.match(lines[0], /^-NOAUTH/);
			assert.deepEqual(lines.slice(1, 5), ['+OK', '+OK', '$2', 'up']);
		} finally {
			await redis.stop();
		}
	});
});
