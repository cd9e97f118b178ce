import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A small valid catalog: two hosts, a web service exposed through the proxy, a database it depends on. */
export const BASE_CATALOG: Record<string, string> = {
	'homelab.yaml': [
		'version: 1',
		'hosts:',
		'  nas:',
		'    connection: tcp',
		'    host: nas.lan',
		'    tls: true',
		'    ca: ${NAS_CA}',
		'  mini:',
		'    connection: socket',
		'edge:',
		'  domain: lab.test',
		'  proxy: { kind: caddy, address: 10.0.0.2 }',
		'  dns: { provider: powerdns, url: "http://10.0.0.2:8081", apiKey: "${PDNS_KEY}" }',
		'  ca: { kind: internal }',
		'',
	].join('\n'),
	'services/web/service.yaml': [
		'stack: infra',
		'host: nas',
		'env:',
		'  DB_PASSWORD: ${DB_PASSWORD}',
		'expose:',
		'  - { hostname: web, service: web, port: 80 }',
		'depends_on: [db]',
		'backup: config',
		'docs: { description: The web site, owner: alice }',
		'',
	].join('\n'),
	'services/web/compose.yaml': [
		'services:',
		'  web:',
		'    image: nginx:1.27',
		'    environment:',
		'      DB_PASSWORD: ${DB_PASSWORD}',
		"    ports: ['8080:80']",
		'',
	].join('\n'),
	'services/db/service.yaml': ['stack: infra', 'host: nas', 'backup: critical', ''].join('\n'),
	'services/db/compose.yaml': [
		'services:',
		'  db:',
		'    image: postgres:16',
		"    ports: ['5432:5432']",
		'',
	].join('\n'),
};

export const BASE_SECRETS = {
	NAS_CA: 'ca-pem-text',
	PDNS_KEY: 'pdns-secret-key',
	DB_PASSWORD: 'hunter2-db-pass',
};

/** Temp folders for catalogs and secrets files, removed by cleanup(). */
export class CatalogFixtures {
	private readonly dirs: string[] = [];

	/** writes the base catalog with `changes` applied (a null value deletes the file) */
	catalog(changes: Record<string, string | null> = {}): string {
		const dir = this.tempDir('catalog-');
		writeCatalog(dir, { ...BASE_CATALOG, ...changes });
		return dir;
	}

	/** a NAME=value secrets file outside every catalog, mode 600 unless told */
	secrets(values: Record<string, string> = BASE_SECRETS, mode = 0o600): string {
		const file = path.join(this.tempDir('secrets-'), 'secrets.env');
		writeFileSync(
			file,
			Object.entries(values)
				.map(([key, value]) => `${key}=${value}\n`)
				.join(''),
		);
		chmodSync(file, mode);
		return file;
	}

	tempDir(prefix: string): string {
		const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
		this.dirs.push(dir);
		return dir;
	}

	cleanup(): void {
		for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
	}
}

export function writeCatalog(dir: string, files: Record<string, string | null>): void {
	for (const [file, text] of Object.entries(files)) {
		const absolute = path.join(dir, file);
		if (text === null) {
			rmSync(absolute, { force: true });
			continue;
		}
		mkdirSync(path.dirname(absolute), { recursive: true });
		writeFileSync(absolute, text);
	}
}
