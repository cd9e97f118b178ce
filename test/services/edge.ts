import { writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';

import { caddyBaseConfig, type LabIssuer } from '../../clients/edge/caddy';
import { freePort, waitFor, waitForPort } from '../harness/net';
import { selfSignedCertificate } from '../helpers/tls';
import { daemon, fileTail, killAndWait, removeDir, requireBinary, run, serviceDir } from './common';

// The edge on loopback: PowerDNS Authoritative (SQLite backend, HTTP API), Pebble (Let's Encrypt's test ACME CA,
// resolving names through that PowerDNS) and Caddy (admin API, certificates from Pebble only). Recipes probed in
// README "Edge"; each start fails loudly with the server's log when the server does not come up.

export interface PowerDnsService {
	dnsServer: string;
	dnsPort: number;
	apiUrl: string;
	apiKey: string;
	zone: string;
	restart(): Promise<void>;
	/** stops pdns_server (DNS and API), leaving its files for a later start */
	halt(): Promise<void>;
	start(): Promise<void>;
	stop(): Promise<void>;
}

export async function startPowerDns(zone = 'lab.test'): Promise<PowerDnsService> {
	const pdns = requireBinary('pdns_server', 'pdns-server');
	const sqlite = requireBinary('sqlite3', 'sqlite3');
	const dir = serviceDir('pdns');
	const [dnsPort, apiPort] = [await freePort(), await freePort()];
	const apiKey = 'pdns-test-key';
	const database = path.join(dir, 'pdns.sqlite3');
	run(sqlite, [database], { input: `.read /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql\n` });
	writeFileSync(
		path.join(dir, 'pdns.conf'),
		[
			'launch=gsqlite3',
			`gsqlite3-database=${database}`,
			'local-address=127.0.0.1',
			`local-port=${dnsPort}`,
			'api=yes',
			`api-key=${apiKey}`,
			'webserver=yes',
			'webserver-address=127.0.0.1',
			`webserver-port=${apiPort}`,
			'webserver-allow-from=127.0.0.1',
			`socket-dir=${dir}`,
			'guardian=no',
			'daemon=no',
			'setuid=',
			'setgid=',
			'',
		].join('\n'),
	);
	const logFile = path.join(dir, 'pdns.log');
	let child: ReturnType<typeof daemon> | undefined;
	const start = async () => {
		child = daemon(pdns, [`--config-dir=${dir}`], logFile);
		try {
			await waitForPort(apiPort);
		} catch (error) {
			throw new Error(`pdns_server did not start: ${(error as Error).message}\n${fileTail(logFile)}`);
		}
	};
	const halt = async () => {
		await killAndWait(child?.pid);
		child = undefined;
	};
	const apiUrl = `http://127.0.0.1:${apiPort}`;
	try {
		await start();
		const created = await fetch(`${apiUrl}/api/v1/servers/localhost/zones`, {
			method: 'POST',
			headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ name: `${zone}.`, kind: 'Native', nameservers: [`ns1.${zone}.`] }),
		});
		if (created.status !== 201)
			throw new Error(`zone ${zone}: HTTP ${created.status} ${await created.text()}`);
	} catch (error) {
		await halt();
		removeDir(dir);
		throw error;
	}
	return {
		dnsServer: `127.0.0.1:${dnsPort}`,
		dnsPort,
		apiUrl,
		apiKey,
		zone,
		restart: async () => {
			await halt();
			await start();
		},
		halt,
		start,
		stop: async () => {
			await halt();
			removeDir(dir);
		},
	};
}

export interface PebbleService {
	directory: string;
	/** Pebble's own HTTPS certificate (Caddy must trust it to talk ACME) */
	directoryCertFile: string;
	/** the root that signs issued certificates: what clients trust (regenerated on every Pebble start) */
	rootPem: string;
	/** stops Pebble, keeping its files (the CA is down; Caddy still finds its trusted root file) */
	halt(): Promise<void>;
	stop(): Promise<void>;
}

/** Pebble answering ACME on loopback; it validates TLS-ALPN-01 on `tlsPort` of whatever `dnsServer` resolves. */
export async function startPebble(options: { dnsServer: string; tlsPort: number }): Promise<PebbleService> {
	const pebble = requireBinary('pebble', 'pebble');
	const dir = serviceDir('pebble');
	const [port, managementPort] = [await freePort(), await freePort()];
	const { key, cert } = selfSignedCertificate('localhost');
	const certFile = path.join(dir, 'cert.pem');
	writeFileSync(certFile, cert);
	writeFileSync(path.join(dir, 'key.pem'), key, { mode: 0o600 });
	writeFileSync(
		path.join(dir, 'pebble.json'),
		JSON.stringify({
			pebble: {
				listenAddress: `127.0.0.1:${port}`,
				managementListenAddress: `127.0.0.1:${managementPort}`,
				certificate: certFile,
				privateKey: path.join(dir, 'key.pem'),
				httpPort: await freePort(),
				tlsPort: options.tlsPort,
				ocspResponderURL: '',
				externalAccountBindingRequired: false,
			},
		}),
	);
	const logFile = path.join(dir, 'pebble.log');
	const child = daemon(
		pebble,
		['-config', path.join(dir, 'pebble.json'), '-dnsserver', options.dnsServer],
		logFile,
		{
			env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
		},
	);
	let running = true;
	const halt = async () => {
		if (!running) return;
		running = false;
		await killAndWait(child.pid);
	};
	const stop = async () => {
		await halt();
		removeDir(dir);
	};
	try {
		await waitForPort(port);
		const rootPem = await waitFor('Pebble root certificate', async () => {
			const body = await httpsGet(`https://127.0.0.1:${managementPort}/roots/0`, cert);
			return body.includes('BEGIN CERTIFICATE') ? body : undefined;
		});
		return {
			directory: `https://127.0.0.1:${port}/dir`,
			directoryCertFile: certFile,
			rootPem,
			halt,
			stop,
		};
	} catch (error) {
		const tail = fileTail(logFile);
		await stop();
		throw new Error(`pebble did not start: ${(error as Error).message}\n${tail}`);
	}
}

async function httpsGet(url: string, ca: string): Promise<string> {
	return await new Promise((resolve, reject) => {
		https
			.get(url, { ca }, (response) => {
				let body = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => (body += chunk));
				response.on('end', () => resolve(body));
			})
			.on('error', reject);
	});
}

export interface CaddyService {
	adminUrl: string;
	httpsPort: number;
	server: string;
	issuer: LabIssuer;
	/** stops and starts Caddy again with `caddy run --resume` (what a reboot does with caddy-api.service) */
	restart(): Promise<void>;
	/** stops Caddy, leaving its files for a later start */
	halt(): Promise<void>;
	start(): Promise<void>;
	stop(): Promise<void>;
}

export async function allocateCaddyPorts(): Promise<{
	httpsPort: number;
	httpPort: number;
	adminPort: number;
}> {
	return { httpsPort: await freePort(), httpPort: await freePort(), adminPort: await freePort() };
}

/** Caddy with an empty HTTPS server `homelab`; every certificate comes from `issuer` (never a public CA). */
export async function startCaddy(options: {
	ports: { httpsPort: number; httpPort: number; adminPort: number };
	issuer: LabIssuer;
}): Promise<CaddyService> {
	const caddy = requireBinary('caddy', 'caddy');
	const dir = serviceDir('caddy');
	const { httpsPort, httpPort, adminPort } = options.ports;
	const server = 'homelab';
	const configFile = path.join(dir, 'caddy.json');
	writeFileSync(
		configFile,
		JSON.stringify(
			caddyBaseConfig({
				adminListen: `127.0.0.1:${adminPort}`,
				httpsListen: `127.0.0.1:${httpsPort}`,
				httpPort,
				httpsPort,
				server,
				storageDir: path.join(dir, 'storage'),
				issuer: options.issuer,
			}),
		),
	);
	const logFile = path.join(dir, 'caddy.log');
	// XDG_CONFIG_HOME holds caddy/autosave.json: the config as last changed through the API
	const env = {
		...process.env,
		HOME: dir,
		XDG_CONFIG_HOME: path.join(dir, 'config'),
		XDG_DATA_HOME: path.join(dir, 'data'),
	};
	let child: ReturnType<typeof daemon> | undefined;
	const start = async () => {
		child = daemon(caddy, ['run', '--config', configFile, '--resume'], logFile, { env });
		try {
			await waitForPort(adminPort);
			await waitForPort(httpsPort);
		} catch (error) {
			throw new Error(`caddy did not start: ${(error as Error).message}\n${fileTail(logFile)}`);
		}
	};
	const halt = async () => {
		await killAndWait(child?.pid);
		child = undefined;
	};
	try {
		await start();
	} catch (error) {
		await halt();
		removeDir(dir);
		throw error;
	}
	return {
		adminUrl: `http://127.0.0.1:${adminPort}`,
		httpsPort,
		server,
		issuer: options.issuer,
		restart: async () => {
			await halt();
			await start();
		},
		halt,
		start,
		stop: async () => {
			await halt();
			removeDir(dir);
		},
	};
}

export interface EdgeServices {
	dns: PowerDnsService;
	pebble: PebbleService;
	caddy: CaddyService;
	stop(): Promise<void>;
}

/** PowerDNS, then Pebble resolving through it, then Caddy getting its certificates from Pebble. */
export async function startEdge(): Promise<EdgeServices> {
	const stack: { stop(): Promise<void> }[] = [];
	const stop = async () => {
		for (const service of stack.reverse()) await service.stop();
	};
	try {
		const dns = await startPowerDns();
		stack.push(dns);
		const ports = await allocateCaddyPorts();
		const pebble = await startPebble({ dnsServer: dns.dnsServer, tlsPort: ports.httpsPort });
		stack.push(pebble);
		const caddy = await startCaddy({
			ports,
			issuer: { acmeDirectory: pebble.directory, trustedRootsPemFiles: [pebble.directoryCertFile] },
		});
		stack.push(caddy);
		return { dns, pebble, caddy, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
