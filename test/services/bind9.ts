// A real bind9 (Debian's `bind9` package, named 9.18) on a free loopback port, authoritative for one zone that
// accepts RFC 2136 updates and AXFR signed with one TSIG key. Started in the foreground (-g) from a temp dir, so
// stopping it is one signal; restart() keeps the zone and its journal, as a server reboot would.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort, waitForPort } from '../harness/net';

export interface Bind9 {
	port: number;
	zone: string;
	keyName: string;
	keySecret: string;
	directory: string;
	restart(): Promise<void>;
	stop(): Promise<void>;
	log(): string;
}

export async function startBind9(options: { zone?: string; records?: string[] } = {}): Promise<Bind9> {
	const zone = options.zone ?? 'lab.test';
	const directory = mkdtempSync(path.join(os.tmpdir(), 'bind9-'));
	const port = await freePort();
	const keyName = 'homelab-key';
	const keySecret = randomBytes(32).toString('base64');
	writeFileSync(
		path.join(directory, `${zone}.zone`),
		[
			'$TTL 300',
			`@ IN SOA ns.${zone}. admin.${zone}. 1 3600 600 86400 300`,
			`@ IN NS ns.${zone}.`,
			'ns IN A 127.0.0.1',
			...(options.records ?? []),
			'',
		].join('\n'),
	);
	writeFileSync(
		path.join(directory, 'named.conf'),
		`key "${keyName}" { algorithm hmac-sha256; secret "${keySecret}"; };
options {
	directory "${directory}";
	pid-file "${directory}/named.pid";
	session-keyfile "${directory}/session.key";
	listen-on port ${port} { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	dnssec-validation no;
	notify no;
};
controls { };
zone "${zone}" {
	type primary;
	file "${directory}/${zone}.zone";
	allow-update { key "${keyName}"; };
	allow-transfer { key "${keyName}"; };
};
`,
	);
	let child: ChildProcess | undefined;
	const logFile = path.join(directory, 'named.log');
	const start = async () => {
		const out = openSync(logFile, 'a');
		child = spawn('named', ['-g', '-n', '1', '-c', path.join(directory, 'named.conf')], {
			stdio: ['ignore', out, out],
		});
		const exited = new Promise<never>((_, reject) =>
			child?.once('exit', (code) =>
				reject(new Error(`named exited (${code}): ${readFileSync(logFile, 'utf8').slice(-2000)}`)),
			),
		);
		exited.catch(() => undefined);
		await Promise.race([waitForPort(port, '127.0.0.1', 20000), exited]);
	};
	const stopChild = async () => {
		const running = child;
		child = undefined;
		if (!running || running.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			running.once('exit', () => resolve());
			running.kill('SIGTERM');
		});
	};
	await start();
	return {
		port,
		zone,
		keyName,
		keySecret,
		directory,
		restart: async () => {
			await stopChild();
			await start();
		},
		stop: async () => {
			await stopChild();
			rmSync(directory, { recursive: true, force: true });
		},
		log: () => readFileSync(logFile, 'utf8'),
	};
}
