import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { PiholeRecordProvider, PIHOLE_MARKER } from '../../clients/edge/pihole';
import type { EdgeError } from '../../clients/edge/types';
import { freePort } from '../harness/net';
import { startPiholeSimulator, type PiholeSimulator } from '../simulators/edge-pihole';

const USER_ENTRIES = ['192.168.1.1 router.lab.test', '192.168.1.10 nas.lab.test nas'];

const kindIs = (kind: string, pattern: RegExp) => (error: EdgeError) => {
	assert.equal(error.kind, kind, error.message);
	assert.match(error.message, pattern);
	return true;
};

describe('Pi-hole v6 local DNS records (simulated FTL API)', () => {
	let pihole: PiholeSimulator;
	let records: PiholeRecordProvider;
	before(async () => {
		pihole = await startPiholeSimulator({ password: 'pw', appPassword: 'app-pw', maxSessions: 2 });
	});
	after(async () => await pihole.close());
	beforeEach(() => {
		pihole.hosts.splice(0, pihole.hosts.length, ...USER_ENTRIES);
		pihole.sessions.clear();
		pihole.requests.length = 0;
		records = new PiholeRecordProvider({ url: pihole.url, password: 'pw', domain: 'lab.test' });
	});

	it('upsert adds one marked entry, a repeat changes nothing, a new address replaces it; sessions are given back', async () => {
		assert.deepEqual(await records.list(), []);
		assert.deepEqual(await records.upsert({ name: 'App.lab.test', type: 'A', value: '10.0.0.7' }), {
			changed: true,
		});
		assert.deepEqual(await records.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.7' }), {
			changed: false,
		});
		assert.deepEqual(pihole.hosts, [...USER_ENTRIES, `10.0.0.7 app.lab.test ${PIHOLE_MARKER}`]);
		assert.deepEqual(await records.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.8' }), {
			changed: true,
		});
		assert.deepEqual(await records.list(), [{ name: 'app.lab.test', type: 'A', value: '10.0.0.8' }]);
		assert.deepEqual(await records.upsert({ name: 'app.lab.test', type: 'AAAA', value: 'fd00::8' }), {
			changed: true,
		});
		assert.equal((await records.list()).length, 2);
		// every operation logged out again: with max_sessions 2, four operations would otherwise be refused
		assert.equal(pihole.sessions.size, 0);
		assert.ok(pihole.requests.includes('DELETE /api/auth'));
	});

	it('remove deletes only our entries and is idempotent; user entries stay', async () => {
		await records.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.7' });
		assert.deepEqual(await records.remove('app.lab.test', 'A'), { changed: true });
		assert.deepEqual(await records.remove('app.lab.test', 'A'), { changed: false });
		assert.deepEqual(await records.remove('router.lab.test', 'A'), { changed: false });
		assert.deepEqual(pihole.hosts, USER_ENTRIES);
	});

	it("refuses a name the user's entries already answer, and bad input, before changing anything", async () => {
		await assert.rejects(
			records.upsert({ name: 'nas.lab.test', type: 'A', value: '10.0.0.9' }),
			kindIs(
				'conflict',
				/nas\.lab\.test already has the local DNS record "192\.168\.1\.10 nas\.lab\.test nas"/,
			),
		);
		await assert.rejects(
			records.upsert({ name: 'app.example.com', type: 'A', value: '10.0.0.9' }),
			kindIs('invalid', /outside the lab domain lab\.test/),
		);
		await assert.rejects(
			records.upsert({ name: 'app.lab.test', type: 'A', value: 'fd00::1' }),
			kindIs('invalid', /not an IPv4 address/),
		);
		await assert.rejects(
			records.upsert({ name: 'app.lab.test', type: 'CNAME', value: 'nas.lab.test' }),
			kindIs('invalid', /only A and AAAA/),
		);
		assert.deepEqual(pihole.hosts, USER_ENTRIES);
	});

	it('logs in again when the session expired (401) and keeps working', async () => {
		const kept = new PiholeRecordProvider({ url: pihole.url, password: 'pw', keepSession: true });
		await kept.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.7' });
		assert.equal(pihole.sessions.size, 1);
		pihole.expireSessions();
		assert.deepEqual(await kept.list(), [{ name: 'app.lab.test', type: 'A', value: '10.0.0.7' }]);
		assert.equal(pihole.requests.filter((line) => line === 'POST /api/auth').length, 2);
		await kept.logout();
		assert.equal([...pihole.sessions.values()].filter((session) => session.expires > Date.now()).length, 0);
	});

	it('says which credential or limit refused it, in words', async () => {
		const wrong = new PiholeRecordProvider({ url: pihole.url, password: 'nope' });
		await assert.rejects(
			wrong.list(),
			kindIs('auth', /Pi-hole at http:\/\/127\.0\.0\.1:\d+ refused the password/),
		);
		const app = new PiholeRecordProvider({ url: pihole.url, password: 'app-pw' });
		await assert.rejects(
			app.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.7' }),
			kindIs('auth', /HTTP 403: Unable to change configuration \(read-only\).*app_sudo is false/),
		);
		// two stale sessions (e.g. a browser and another script) fill Pi-hole's seats
		const a = new PiholeRecordProvider({ url: pihole.url, password: 'pw', keepSession: true });
		const b = new PiholeRecordProvider({ url: pihole.url, password: 'pw', keepSession: true });
		await a.list();
		await b.list();
		await assert.rejects(
			records.list(),
			kindIs('provider', /refused a new session: API seats exceeded.*max_sessions/),
		);
		await a.logout();
		await b.logout();
		const down = new PiholeRecordProvider({ url: `http://127.0.0.1:${await freePort()}`, password: 'pw' });
		await assert.rejects(
			down.list(),
			kindIs('unreachable', /Pi-hole at .* is not reachable: connection refused/),
		);
		assert.deepEqual(pihole.hosts, USER_ENTRIES);
	});

	it('the simulator rejects what FTL rejects: duplicates and malformed entries', async () => {
		const login = (await (
			await fetch(`${pihole.url}/api/auth`, { method: 'POST', body: JSON.stringify({ password: 'pw' }) })
		).json()) as { session: { sid: string } };
		const put = async (entry: string) =>
			await fetch(`${pihole.url}/api/config/dns/hosts/${encodeURIComponent(entry)}`, {
				method: 'PUT',
				headers: { 'x-ftl-sid': login.session.sid },
			});
		assert.equal((await put('192.168.1.1 router.lab.test')).status, 400);
		const invalid = await put('999.1.1.1 x.lab.test');
		assert.equal(invalid.status, 400);
		assert.match(await invalid.text(), /neither a valid IPv4 nor IPv6 address/);
		assert.equal((await fetch(`${pihole.url}/api/config/dns/hosts`)).status, 401);
	});
});
