// provision-vm and backup-run inputs checked at submit with the Proxmox client's own format rules (the node
// uses the same validators): each hostile value answers 400 naming the field and what to write, and no job is
// queued. Through the real HTTP API of an in-process engine on SQLite.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Engine, InputError } from '../../backend/src/engine/engine';
import { builtinJobs } from '../../backend/src/jobs';
import type { JobServices } from '../../backend/src/jobs/ops';
import { openSqliteStore } from '../../backend/src/store/sqlite';
import type { Store } from '../../backend/src/store/types';
import { FakeProxmox } from './fakes';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabKey lab@host';
const valid = {
	node: 'pve',
	template: 9000,
	name: 'web-1',
	storage: 'local-lvm',
	cloudInit: {
		user: 'lab',
		sshKeys: [KEY],
		ip: '192.168.1.50/24',
		gateway: '192.168.1.1',
		nameserver: '1.1.1.1',
	},
	pollMs: 1000,
};

describe('provision-vm / backup-run input at submit', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-pve-input-'));
	let store: Store;
	let engine: Engine<JobServices>;
	before(async () => {
		store = openSqliteStore(path.join(dir, 'jobs.sqlite'));
		await store.migrate();
		// not started: submit only validates and queues
		engine = new Engine<JobServices>({ store, jobs: builtinJobs, services: { proxmox: new FakeProxmox() } });
	});
	after(async () => {
		await store.close();
		rmSync(dir, { recursive: true, force: true });
	});

	const refused = async (type: string, input: unknown, expected: RegExp) => {
		await assert.rejects(engine.submit({ type, input }), (error: Error) => {
			assert.ok(error instanceof InputError, String(error));
			assert.match(error.message, expected);
			return true;
		});
	};
	const withCloudInit = (patch: Record<string, unknown>) => ({
		...valid,
		cloudInit: { ...valid.cloudInit, ...patch },
	});

	it('accepts a well-formed input', async () => {
		const { job, created } = await engine.submit({ type: 'provision-vm', input: valid });
		assert.equal(created, true);
		assert.equal(job.status, 'queued');
	});

	it('refuses addresses that are not IPv4 with a /8-/32 prefix', async () => {
		await refused(
			'provision-vm',
			withCloudInit({ ip: '999.999.999.999/99' }),
			/cloudInit\.ip "999\.999\.999\.999\/99" is not "dhcp" or an IPv4 address with a \/8-\/32 prefix/,
		);
		await refused('provision-vm', withCloudInit({ ip: '10.0.0.5/4' }), /cloudInit\.ip/);
		await refused('provision-vm', withCloudInit({ ip: '010.0.0.5/24' }), /no leading zeros/);
	});

	it('refuses a gateway that carries more than an address into ipconfig0', async () => {
		await refused(
			'provision-vm',
			withCloudInit({ gateway: '10.0.0.1,ip6=dhcp' }),
			/cloudInit\.gateway "10\.0\.0\.1,ip6=dhcp" is not an IPv4 address/,
		);
		await refused('provision-vm', withCloudInit({ ip: 'dhcp', gateway: '10.0.0.1' }), /needs a static/);
	});

	it('refuses ssh keys with newlines (one key per entry) and things that are not public keys', async () => {
		await refused(
			'provision-vm',
			withCloudInit({ sshKeys: [`${KEY}\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyHere x@y`] }),
			/cloudInit\.sshKeys\[0\]: an entry holds more than one line/,
		);
		await refused(
			'provision-vm',
			withCloudInit({ sshKeys: [KEY, 'not a key'] }),
			/cloudInit\.sshKeys\[1\]: SSH key 1 \("not a key"\) is not an OpenSSH public key/,
		);
	});

	it('refuses storage ids that are path pieces, bad users and DNS servers', async () => {
		await refused('provision-vm', { ...valid, storage: '..' }, /storage "\.\." is not a Proxmox storage id/);
		await refused('provision-vm', { ...valid, storage: 'local/../x' }, /not a Proxmox storage id/);
		await refused('provision-vm', withCloudInit({ user: 'Root User' }), /not a valid Linux user name/);
		await refused('provision-vm', withCloudInit({ nameserver: '1.1.1.1;rm' }), /DNS server "rm"/);
		await refused('backup-run', { node: 'pve', storage: '..', vmids: [100] }, /storage "\.\."/);
	});

	it('bounds poll intervals and waits (same limits as the Proxmox client)', async () => {
		await refused('provision-vm', { ...valid, pollMs: 3_600_000 }, /\/pollMs must be <= 60000/);
		await refused('provision-vm', { ...valid, pollMs: 1 }, /\/pollMs must be >= 10/);
		await refused('provision-vm', { ...valid, ipTimeoutMs: 10 ** 12 }, /\/ipTimeoutMs must be <= 86400000/);
		await refused('backup-run', { node: 'pve', storage: 'local', vmids: [100], pollMs: 10 ** 9 }, /pollMs/);
	});

	it('queued nothing for the refused inputs', async () => {
		assert.equal((await store.listJobs({ limit: 100 })).length, 1);
	});
});
