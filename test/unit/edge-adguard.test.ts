import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { AdGuardRecordProvider } from '../../clients/edge/adguard';
import type { EdgeError } from '../../clients/edge/types';
import { freePort } from '../harness/net';
import {
	startAdGuardSimulator,
	type AdGuardRewrite,
	type AdGuardSimulator,
} from '../simulators/edge-adguard';

const USER_REWRITES: AdGuardRewrite[] = [
	{ domain: 'nas.lab.test', answer: '192.168.1.10', enabled: true },
	{ domain: '*.ads.example', answer: '0.0.0.0', enabled: true },
];

const kindIs = (kind: string, pattern: RegExp) => (error: EdgeError) => {
	assert.equal(error.kind, kind, error.message);
	assert.match(error.message, pattern);
	return true;
};

describe('AdGuard Home rewrites (simulated /control/rewrite API) with an ownership ledger', () => {
	let adguard: AdGuardSimulator;
	let directory: string;
	let ledgerFile: string;
	let records: AdGuardRecordProvider;
	before(async () => {
		adguard = await startAdGuardSimulator({ users: { admin: 'secret' } });
		directory = mkdtempSync(path.join(os.tmpdir(), 'adguard-ledger-'));
	});
	after(async () => {
		await adguard.close();
		rmSync(directory, { recursive: true, force: true });
	});
	beforeEach(() => {
		adguard.rewrites.splice(0, adguard.rewrites.length, ...USER_REWRITES.map((rewrite) => ({ ...rewrite })));
		ledgerFile = path.join(directory, `ledger-${Math.random().toString(16).slice(2)}.json`);
		records = new AdGuardRecordProvider({
			url: adguard.url,
			username: 'admin',
			password: 'secret',
			ledgerFile,
			domain: 'lab.test',
		});
	});

	it('upsert adds once (AdGuard itself would accept a duplicate), then updates in place; the ledger names only ours', async () => {
		assert.deepEqual(await records.list(), []);
		assert.deepEqual(await records.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.7' }), {
			changed: true,
		});
		assert.deepEqual(await records.upsert({ name: 'APP.lab.test', type: 'A', value: '10.0.0.7' }), {
			changed: false,
		});
		assert.equal(adguard.rewrites.filter((rewrite) => rewrite.domain === 'app.lab.test').length, 1);
		assert.deepEqual(await records.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.8' }), {
			changed: true,
		});
		assert.deepEqual(await records.upsert({ name: 'www.lab.test', type: 'CNAME', value: 'app.lab.test.' }), {
			changed: true,
		});
		assert.deepEqual(await records.list(), [
			{ name: 'app.lab.test', type: 'A', value: '10.0.0.8' },
			{ name: 'www.lab.test', type: 'CNAME', value: 'app.lab.test' },
		]);
		assert.ok(adguard.requests.includes('PUT /control/rewrite/update'));
		// switched off in the UI (v0.107.68+): the next upsert switches it on again
		const ours = adguard.rewrites.find((rewrite) => rewrite.domain === 'app.lab.test');
		if (ours) ours.enabled = false;
		assert.deepEqual(await records.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.8' }), {
			changed: true,
		});
		assert.equal(adguard.rewrites.find((rewrite) => rewrite.domain === 'app.lab.test')?.enabled, true);
		const ledger = JSON.parse(readFileSync(ledgerFile, 'utf8')) as { servers: Record<string, unknown[]> };
		assert.deepEqual(ledger.servers[adguard.url], [
			{ domain: 'app.lab.test', answer: '10.0.0.8' },
			{ domain: 'www.lab.test', answer: 'app.lab.test' },
		]);
		assert.deepEqual(adguard.rewrites.slice(0, 2), USER_REWRITES);
	});

	it('remove deletes only what the ledger says is ours, is idempotent, and forgets it', async () => {
		await records.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.7' });
		assert.deepEqual(await records.remove('app.lab.test', 'A'), { changed: true });
		assert.deepEqual(await records.remove('app.lab.test', 'A'), { changed: false });
		assert.deepEqual(await records.remove('nas.lab.test', 'A'), { changed: false });
		assert.deepEqual(adguard.rewrites, USER_REWRITES);
		const ledger = JSON.parse(readFileSync(ledgerFile, 'utf8')) as { servers: Record<string, unknown[]> };
		assert.deepEqual(ledger.servers[adguard.url], []);
	});

	it("a user's rewrite for the name is a conflict; stale ledger lines claim nothing", async () => {
		await assert.rejects(
			records.upsert({ name: 'nas.lab.test', type: 'A', value: '10.0.0.9' }),
			kindIs('conflict', /nas\.lab\.test already has the rewrite nas\.lab\.test -> 192\.168\.1\.10/),
		);
		// a ledger from another machine lists a pair the server does not have: nothing is claimed
		writeFileSync(
			ledgerFile,
			JSON.stringify({
				version: 1,
				servers: { [adguard.url]: [{ domain: 'old.lab.test', answer: '10.0.0.1' }] },
			}),
		);
		assert.deepEqual(await records.list(), []);
		adguard.rewrites.push({ domain: 'other.lab.test', answer: '10.0.0.2', enabled: true });
		assert.deepEqual(await records.remove('other.lab.test', 'A'), { changed: false });
		assert.equal(adguard.rewrites.length, 3);
	});

	it('bad input, bad credentials, a broken ledger and a down server are errors in words', async () => {
		await assert.rejects(
			records.upsert({ name: 'app.example.com', type: 'A', value: '10.0.0.9' }),
			kindIs('invalid', /outside the lab domain lab\.test/),
		);
		await assert.rejects(
			records.upsert({ name: 'app.lab.test', type: 'AAAA', value: '10.0.0.9' }),
			kindIs('invalid', /not an IPv6 address/),
		);
		const wrong = new AdGuardRecordProvider({
			url: adguard.url,
			username: 'admin',
			password: 'x',
			ledgerFile,
		});
		await assert.rejects(wrong.list(), kindIs('auth', /refused the user "admin" \(HTTP 401\)/));
		writeFileSync(ledgerFile, '{not json');
		await assert.rejects(records.list(), kindIs('provider', /ledger .* is not valid .*remove it/));
		const down = new AdGuardRecordProvider({
			url: `http://127.0.0.1:${await freePort()}`,
			username: 'admin',
			password: 'secret',
			ledgerFile: path.join(directory, 'unused.json'),
		});
		await assert.rejects(
			down.list(),
			kindIs('unreachable', /AdGuard Home at .* is not reachable: connection refused/),
		);
		assert.deepEqual(adguard.rewrites, USER_REWRITES);
	});

	it('the simulator rejects what AdGuard Home rejects', async () => {
		const auth = { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` };
		const broken = await fetch(`${adguard.url}/control/rewrite/add`, {
			method: 'POST',
			headers: auth,
			body: '{',
		});
		assert.equal(broken.status, 400);
		assert.match(await broken.text(), /^json\.Decode/);
		const update = await fetch(`${adguard.url}/control/rewrite/update`, {
			method: 'PUT',
			headers: auth,
			body: JSON.stringify({ target: { domain: 'none.lab.test', answer: '1.1.1.1' }, update: {} }),
		});
		assert.equal(update.status, 400);
		assert.equal((await fetch(`${adguard.url}/control/rewrite/list`)).status, 401);
		assert.equal((await fetch(`${adguard.url}/control/rewrite/add`, { headers: auth })).status, 405);
	});
});
