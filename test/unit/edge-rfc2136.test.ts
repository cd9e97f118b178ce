import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';

import { Rfc2136RecordProvider, type Rfc2136Connection } from '../../clients/edge/rfc2136';
import { CLASS, encodeRdata, TYPE, type ResourceRecord } from '../../clients/edge/rfc2136-wire';
import type { EdgeError } from '../../clients/edge/types';
import { freePort } from '../harness/net';
import { startBind9, type Bind9 } from '../services/bind9';

const kindIs = (kind: string, pattern: RegExp) => (error: EdgeError) => {
	assert.equal(error.kind, kind, error.message);
	assert.match(error.message, pattern);
	return true;
};

describe('RFC 2136 dynamic updates with TSIG against a real bind9', () => {
	let bind: Bind9;
	let connection: Rfc2136Connection;
	let records: Rfc2136RecordProvider;
	let resolver: Resolver;
	before(async () => {
		bind = await startBind9({ records: ['nas IN A 192.168.1.10', 'www IN CNAME nas'] });
		connection = {
			server: '127.0.0.1',
			port: bind.port,
			zone: bind.zone,
			keyName: bind.keyName,
			keySecret: bind.keySecret,
		};
		records = new Rfc2136RecordProvider(connection);
		resolver = new Resolver();
		resolver.setServers([`127.0.0.1:${bind.port}`]);
	});
	after(async () => await bind?.stop());

	it('upsert adds a record bind serves at once, a repeat changes nothing, a new address replaces it', async () => {
		assert.deepEqual(await records.list(), []);
		assert.deepEqual(await records.upsert({ name: 'App.lab.test', type: 'A', value: '10.0.0.7' }), {
			changed: true,
		});
		assert.deepEqual(await resolver.resolve4('app.lab.test'), ['10.0.0.7']);
		assert.deepEqual(await records.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.7' }), {
			changed: false,
		});
		assert.deepEqual(await records.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.8' }), {
			changed: true,
		});
		assert.deepEqual(await resolver.resolve4('app.lab.test'), ['10.0.0.8']);
		assert.deepEqual(await records.upsert({ name: 'app.lab.test', type: 'AAAA', value: 'fd00:0::8' }), {
			changed: true,
		});
		assert.deepEqual(
			await records.upsert({ name: 'alias.lab.test', type: 'CNAME', value: 'app.lab.test.' }),
			{ changed: true },
		);
		const byNameAndType = (a: { name: string; type: string }, b: { name: string; type: string }) =>
			`${a.name}|${a.type}`.localeCompare(`${b.name}|${b.type}`);
		assert.deepEqual((await records.list()).sort(byNameAndType), [
			{ name: 'alias.lab.test', type: 'CNAME', value: 'app.lab.test', ttl: 300 },
			{ name: 'app.lab.test', type: 'A', value: '10.0.0.8', ttl: 300 },
			{ name: 'app.lab.test', type: 'AAAA', value: 'fd00::8', ttl: 300 },
		]);
		assert.deepEqual(await resolver.resolveCname('alias.lab.test'), ['app.lab.test']);
	});

	it('survives a bind restart, and remove deletes only our records, idempotently', async () => {
		await bind.restart();
		assert.equal((await records.list()).length, 3);
		assert.deepEqual(await records.remove('app.lab.test', 'AAAA'), { changed: true });
		assert.deepEqual(await records.remove('app.lab.test', 'AAAA'), { changed: false });
		assert.deepEqual(await records.remove('nas.lab.test', 'A'), { changed: false });
		assert.deepEqual(await records.remove('alias.lab.test', 'CNAME'), { changed: true });
		assert.deepEqual(await records.remove('app.lab.test', 'A'), { changed: true });
		assert.deepEqual(await records.list(), []);
		await assert.rejects(resolver.resolve4('app.lab.test'), /ENOTFOUND|ENODATA/);
		assert.deepEqual(await resolver.resolve4('nas.lab.test'), ['192.168.1.10']);
		assert.deepEqual(await resolver.resolveCname('www.lab.test'), ['nas.lab.test']);
	});

	it("refuses names the zone's own records hold, CNAME clashes and names outside the zone", async () => {
		await assert.rejects(
			records.upsert({ name: 'nas.lab.test', type: 'A', value: '10.0.0.9' }),
			kindIs(
				'conflict',
				/nas\.lab\.test already has a A record this node does not manage \(192\.168\.1\.10\)/,
			),
		);
		await assert.rejects(
			records.upsert({ name: 'www.lab.test', type: 'A', value: '10.0.0.9' }),
			kindIs('conflict', /www\.lab\.test has a CNAME record, and a CNAME cannot share a name/),
		);
		await assert.rejects(
			records.upsert({ name: 'app.example.com', type: 'A', value: '10.0.0.9' }),
			kindIs('invalid', /outside the zone lab\.test/),
		);
		await assert.rejects(
			records.upsert({ name: 'app.lab.test', type: 'A', value: '10.0.0.999' }),
			kindIs('invalid', /not an IPv4 address/),
		);
		assert.deepEqual(await resolver.resolve4('nas.lab.test'), ['192.168.1.10']);
	});

	it('a record someone else adds between our read and our update is not overwritten (RFC 2136 prerequisite)', async () => {
		type Internals = {
			read(): Promise<unknown>;
			update(prerequisites: ResourceRecord[], updates: ResourceRecord[], what: string): Promise<void>;
		};
		const racing = new Rfc2136RecordProvider(connection);
		const internals = racing as unknown as Internals;
		const userEdit = new Rfc2136RecordProvider(connection) as unknown as Internals;
		const read = internals.read.bind(racing);
		internals.read = async () => {
			const state = await read();
			// the user's own unmarked record lands right after our read
			const rdata = encodeRdata(TYPE.A, '10.9.9.9');
			await userEdit.update(
				[],
				[{ name: 'race.lab.test', type: TYPE.A, class: CLASS.IN, ttl: 300, rdata }],
				'user edit',
			);
			return state;
		};
		await assert.rejects(
			racing.upsert({ name: 'race.lab.test', type: 'A', value: '10.0.0.1' }),
			kindIs('conflict', /refused to add A race\.lab\.test: YXRRSET, the records changed meanwhile/),
		);
		assert.deepEqual(await resolver.resolve4('race.lab.test'), ['10.9.9.9']);
		assert.deepEqual(await records.list(), []);
	});

	it('an answer altered on the way (one address byte) fails the TSIG check', async () => {
		// a TCP relay to bind that turns 192.168.1.10 into 192.168.1.11 in everything bind sends
		const relay = net.createServer((client) => {
			const upstream = net.connect({ host: '127.0.0.1', port: bind.port });
			client.pipe(upstream);
			upstream.on('data', (chunk: Buffer) => {
				const altered = Buffer.from(chunk);
				const at = altered.indexOf(Buffer.from([192, 168, 1, 10]));
				if (at >= 0) altered[at + 3] = 11;
				client.write(altered);
			});
			upstream.on('end', () => client.end());
			client.on('error', () => upstream.destroy());
			upstream.on('error', () => client.destroy());
		});
		await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
		try {
			const tampered = new Rfc2136RecordProvider({
				...connection,
				port: (relay.address() as net.AddressInfo).port,
			});
			await assert.rejects(tampered.list(), kindIs('auth', /wrong TSIG signature \(BADSIG\)/));
		} finally {
			await new Promise<void>((resolve) => relay.close(() => resolve()));
		}
	});

	it('a wrong TSIG secret, an unknown key and a down server are errors in words', async () => {
		const wrongSecret = new Rfc2136RecordProvider({
			...connection,
			keySecret: Buffer.alloc(32, 7).toString('base64'),
		});
		await assert.rejects(
			wrongSecret.list(),
			kindIs('auth', /refused to transfer the zone: NOTAUTH \(TSIG key not accepted/),
		);
		const unknownKey = new Rfc2136RecordProvider({ ...connection, keyName: 'nobody' });
		await assert.rejects(
			unknownKey.upsert({ name: 'x.lab.test', type: 'A', value: '10.0.0.1' }),
			kindIs('auth', /NOTAUTH \(TSIG key not accepted/),
		);
		const down = new Rfc2136RecordProvider({ ...connection, port: await freePort() });
		await assert.rejects(down.list(), kindIs('unreachable', /is not reachable: connection refused/));
	});
});
