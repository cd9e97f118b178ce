import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';

import { DockerClient, type DockerError } from '../../clients/docker';
import { startDocker, type DockerService } from '../services/docker';

interface Pki {
	ca: string;
	serverCert: string;
	serverKey: string;
	clientCert: string;
	clientKey: string;
	otherCa: string;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as `dockerd --tlsverify` setups use. */
function makePki(): Pki {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-docker-pki-'));
	const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
	try {
		for (const ca of ['ca', 'other'])
			openssl(
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-days',
				'2',
				'-subj',
				`/CN=${ca}`,
				'-keyout',
				`${ca}-key.pem`,
				'-out',
				`${ca}.pem`,
			);
		const issue = (name: string, subject: string, ext: string) => {
			openssl(
				'req',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-subj',
				subject,
				'-keyout',
				`${name}-key.pem`,
				'-out',
				`${name}.csr`,
			);
			execFileSync('bash', ['-c', `printf '%s\\n' '${ext}' > ${name}.ext`], { cwd: dir });
			openssl(
				'x509',
				'-req',
				'-in',
				`${name}.csr`,
				'-CA',
				'ca.pem',
				'-CAkey',
				'ca-key.pem',
				'-CAcreateserial',
				'-days',
				'2',
				'-extfile',
				`${name}.ext`,
				'-out',
				`${name}.pem`,
			);
		};
		issue('server', '/CN=docker-host', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth');
		issue('client', '/CN=n8n', 'extendedKeyUsage=clientAuth');
		const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
		return {
			ca: read('ca.pem'),
			serverCert: read('server.pem'),
			serverKey: read('server-key.pem'),
			clientCert: read('client.pem'),
			clientKey: read('client-key.pem'),
			otherCa: read('other.pem'),
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

describe('connecting to a real Docker engine over TCP with TLS client certificates', () => {
	let docker: DockerService;
	let pki: Pki;
	let server: tls.Server;
	let port: number;
	before(async () => {
		docker = await startDocker();
		pki = makePki();
		// TLS in front of the engine's socket, verifying client certificates against the CA exactly like
		// dockerd --tlsverify --tlscacert does; the HTTP inside is the real engine's.
		server = tls.createServer(
			{ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
			(socket) => {
				const upstream = net.connect(docker.socketPath);
				socket.pipe(upstream).pipe(socket);
				socket.on('error', () => upstream.destroy());
				upstream.on('error', () => socket.destroy());
			},
		);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as net.AddressInfo).port;
	});
	after(async () => {
		await new Promise((resolve) => server?.close(resolve));
		await docker?.stop();
	});

	const tcp = (extra: Record<string, unknown>) =>
		new DockerClient({ connection: 'tcp', host: '127.0.0.1', port, tls: true, ...extra });

	it('works with the CA, client certificate and key (PEM pasted with literal \\n too)', async () => {
		const client = tcp({ ca: pki.ca, cert: pki.clientCert, key: pki.clientKey.replace(/\n/g, '\\n') });
		assert.equal(client.target, `https://127.0.0.1:${port}`);
		const ping = await client.ping();
		assert.match(ping.apiVersion, /^1\.\d+$/);
		assert.ok(Array.isArray(await client.listContainers()));
	});

	it('fails clearly without a client certificate, and when the engine’s certificate is from another CA', async () => {
		await assert.rejects(tcp({ ca: pki.ca }).ping(), (error: DockerError) => {
			assert.match(
				error.message,
				new RegExp(
					`^(Cannot reach the Docker engine at https://127\\.0\\.0\\.1:${port}|Ping the Docker engine failed)`,
				),
			);
			return true;
		});
		await assert.rejects(
			tcp({ ca: pki.otherCa, cert: pki.clientCert, key: pki.clientKey }).ping(),
			(error: DockerError) => {
				assert.match(
					error.message,
					/Ping the Docker engine failed: (self-signed certificate in the chain|certificate chain cannot be verified|.*certificate)/,
				);
				return true;
			},
		);
		// "Ignore SSL issues" accepts the unknown CA, the client certificate still authenticates
		const insecure = tcp({
			ca: pki.otherCa,
			cert: pki.clientCert,
			key: pki.clientKey,
			rejectUnauthorized: false,
		});
		assert.equal((await insecure.ping()).ok, true);
	});
});
