// The backend config's `services` section: the file overlaid by environment variables, defaults, and the
// sentences a half-configured service fails with at start.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { loadConfig } from '../../backend/src/config';
import { createServices } from '../../backend/src/services';

const TOKEN = randomBytes(32).toString('hex');

describe('backend services config', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-services-config-'));
	after(() => rmSync(dir, { recursive: true, force: true }));
	const file = (services: unknown) => {
		const name = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
		writeFileSync(name, JSON.stringify({ services }));
		return name;
	};

	it('the Proxmox section from the environment alone; _INSECURE=1 accepts the self-signed certificate', () => {
		const config = loadConfig({
			HOMELAB_BACKEND_TOKEN: TOKEN,
			HOMELAB_BACKEND_PROXMOX_URL: 'https://pve1.lab:8006',
			HOMELAB_BACKEND_PROXMOX_TOKEN_ID: 'automation@pve!backend',
			HOMELAB_BACKEND_PROXMOX_TOKEN_SECRET: 'f3c1c0de-0000-4000-8000-000000000001',
			HOMELAB_BACKEND_PROXMOX_INSECURE: '1',
		});
		assert.deepEqual(config.services.proxmox, {
			baseUrl: 'https://pve1.lab:8006',
			tokenId: 'automation@pve!backend',
			tokenSecret: 'f3c1c0de-0000-4000-8000-000000000001',
			rejectUnauthorized: false,
		});
		const services = createServices(config.services);
		assert.ok(services.proxmox);
		assert.equal(services.docker, undefined);
		assert.equal(services.synology, undefined);
	});

	it('environment overrides the file; empty variables (compose `${VAR:-}`) count as unset', () => {
		const config = loadConfig({
			HOMELAB_BACKEND_TOKEN: TOKEN,
			HOMELAB_BACKEND_CONFIG: file({
				proxmox: { baseUrl: 'https://pve1.lab:8006', tokenId: 'a@pve!b', tokenSecret: 'from-file' },
			}),
			HOMELAB_BACKEND_PROXMOX_URL: '',
			HOMELAB_BACKEND_PROXMOX_TOKEN_ID: '',
			HOMELAB_BACKEND_PROXMOX_TOKEN_SECRET: 'from-env',
			HOMELAB_BACKEND_PROXMOX_INSECURE: '',
		});
		assert.deepEqual(config.services.proxmox, {
			baseUrl: 'https://pve1.lab:8006',
			tokenId: 'a@pve!b',
			tokenSecret: 'from-env',
		});
	});

	it('a Proxmox section without its secret fails at start naming the setting', () => {
		assert.throws(
			() =>
				loadConfig({
					HOMELAB_BACKEND_TOKEN: TOKEN,
					HOMELAB_BACKEND_PROXMOX_URL: 'https://pve1.lab:8006',
					HOMELAB_BACKEND_PROXMOX_TOKEN_ID: 'automation@pve!backend',
				}),
			/services\.proxmox\.tokenSecret is missing: set it in the config file or HOMELAB_BACKEND_PROXMOX_TOKEN_SECRET/,
		);
	});

	it('Docker: the compose files live beside the database unless projectsDir says otherwise', () => {
		const config = loadConfig({
			HOMELAB_BACKEND_TOKEN: TOKEN,
			HOMELAB_BACKEND_DB: path.join(dir, 'data', 'backend.sqlite'),
			HOMELAB_BACKEND_CONFIG: file({ docker: { hosts: { nas: { socketPath: '/var/run/docker.sock' } } } }),
		});
		assert.equal(config.services.docker?.projectsDir, path.join(dir, 'data', 'stacks'));
		assert.ok(createServices(config.services).docker);
	});

	it('refuses the .env.example placeholder and low-entropy tokens at start, saying how to generate one', () => {
		const example = /^HOMELAB_BACKEND_TOKEN=(.*)$/m.exec(
			readFileSync(path.join(__dirname, '../../.env.example'), 'utf8'),
		)![1];
		for (const [token, why] of [
			[example, /placeholder/],
			['', /is not set/],
			['short-but-random-x9', /shorter than 20/],
			['change-me-change-me-change-me', /placeholder/],
			['test-token-0123456789abcdef', /placeholder/],
			['lab-key-0123456789-lab-key', /run like/],
			['aaaaaaaaaaaaaaaaaaaaaaaaaaaa', /run like/],
			['hunter2hunter2hunter2hunter2', /too little entropy/],
		])
			assert.throws(
				() => loadConfig({ HOMELAB_BACKEND_TOKEN: token as string }),
				(error: Error) => (why as RegExp).test(error.message) && /openssl rand -hex 32/.test(error.message),
				token as string,
			);
		for (const token of [randomBytes(32).toString('hex'), randomBytes(18).toString('base64url')])
			assert.equal(loadConfig({ HOMELAB_BACKEND_TOKEN: token }).token, token);
	});
});
