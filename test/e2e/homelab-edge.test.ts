import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { outputOf, type N8n, type WorkflowJson, type WorkflowNode } from '../harness/n8n';
import { freePort } from '../harness/net';
import { REPO_ROOT } from '../harness/runtime';
import { readmeSection } from '../helpers/readme';
import { sharedN8n } from '../helpers/shared-n8n';
import { itemsNode, linearWorkflow } from '../helpers/workflows';
import { startEdge, type EdgeServices } from '../services/edge';

// The Homelab node's Route, DNS Record and Service resources inside real n8n, against real Caddy 2.6, Pebble and
// PowerDNS 4.7: the credential tests (the editor's "Test" button), the dropdowns (listSearch), expose/unexpose
// as workflows, and continue-on-fail with paired items.

describe('Homelab node: Route, DNS Record and Service (expose) in real n8n against real Caddy, Pebble, PowerDNS', () => {
	let n8n: N8n;
	let edge: EdgeServices;
	let upstream: http.Server;
	let upstreamUrl: string;
	let caddyData: Record<string, unknown>;
	let pdnsData: Record<string, unknown>;
	let caddyCredential: { id: string; name: string };
	let pdnsCredential: { id: string; name: string };

	before(async () => {
		n8n = await sharedN8n();
		edge = await startEdge();
		upstream = http.createServer((request, response) =>
			response.writeHead(request.url === '/health' ? 200 : 404).end('ok'),
		);
		await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
		upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
		const issuer = edge.caddy.issuer as { acmeDirectory: string; trustedRootsPemFiles: string[] };
		caddyData = {
			adminUrl: edge.caddy.adminUrl,
			server: edge.caddy.server,
			issuer: 'acme',
			acmeDirectory: issuer.acmeDirectory,
			acmeTrustedRootsFile: issuer.trustedRootsPemFiles[0],
			proxyAddress: '127.0.0.1',
			httpsPort: edge.caddy.httpsPort,
			caBundle: edge.pebble.rootPem,
			caName: 'Pebble',
		};
		pdnsData = {
			apiUrl: edge.dns.apiUrl,
			apiKey: edge.dns.apiKey,
			zone: edge.dns.zone,
			serverId: 'localhost',
			dnsServer: edge.dns.dnsServer,
			defaultTtl: 60,
		};
		caddyCredential = {
			id: await n8n.createCredential('Caddy (edge test)', 'caddyAdminApi', caddyData),
			name: 'Caddy (edge test)',
		};
		pdnsCredential = {
			id: await n8n.createCredential('PowerDNS (edge test)', 'powerDnsApi', pdnsData),
			name: 'PowerDNS (edge test)',
		};
	});
	after(async () => {
		upstream?.close();
		await edge?.stop();
	});

	const homelab = (
		name: string,
		parameters: Record<string, unknown>,
		extra: Partial<WorkflowNode> = {},
	): WorkflowNode => ({
		name,
		type: 'n8n-nodes-homelab.homelab',
		typeVersion: 1,
		parameters,
		credentials: {
			caddyAdminApi: caddyCredential,
			powerDnsApi: pdnsCredential,
		},
		...extra,
	});

	const run = async (title: string, items: Record<string, unknown>[], node: WorkflowNode) => {
		const workflow = linearWorkflow(`edge: ${title}`, [itemsNode('Items', items), node]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow), 'Manual Trigger', 180000);
		return { result, items: outputOf(result, node.name) };
	};

	it('credential tests: connect, and name a wrong server, key, zone or address', async () => {
		assert.deepEqual(await n8n.testCredential('caddyAdminApi', caddyData), {
			status: 'OK',
			message: 'Connected: 0 route(s) managed by this node',
		});
		const noServer = await n8n.testCredential('caddyAdminApi', { ...caddyData, server: 'nope' });
		assert.equal(noServer.status, 'Error');
		assert.match(noServer.message, /has no HTTP server "nope" under apps\.http\.servers/);
		const closed = await n8n.testCredential('caddyAdminApi', {
			...caddyData,
			adminUrl: `http://127.0.0.1:${await freePort()}`,
		});
		assert.equal(closed.status, 'Error');
		assert.match(closed.message, /^Caddy at http:\/\/127\.0\.0\.1:\d+ is not reachable: connection refused/);

		assert.deepEqual(await n8n.testCredential('powerDnsApi', pdnsData), {
			status: 'OK',
			message: 'Connected: 0 record(s) managed by this node',
		});
		const wrongKey = await n8n.testCredential('powerDnsApi', { ...pdnsData, apiKey: 'wrong' });
		assert.equal(wrongKey.status, 'Error');
		assert.match(wrongKey.message, /refused the API key \(HTTP 401\)/);
		const noZone = await n8n.testCredential('powerDnsApi', { ...pdnsData, zone: 'other.test' });
		assert.equal(noZone.status, 'Error');
		assert.match(noZone.message, /HTTP 404.*\(does the zone other\.test exist\?\)/);
	});

	it('Service → Expose: record, route and certificate in one step; a rerun changes nothing', async () => {
		const node = homelab('Expose', {
			resource: 'service',
			operation: 'expose',
			hostname: '={{ $json.hostname }}',
			upstream: '={{ $json.upstream }}',
			exposeOptions: { healthPath: '/health', certificateTimeout: 90 },
		});
		const first = await run('expose', [{ hostname: 'app.lab.test', upstream: upstreamUrl }], node);
		assert.equal(first.result.status, 'success', JSON.stringify(first.result.error));
		const exposed = first.items[0].json;
		assert.deepEqual(exposed.changed, { route: true, record: true });
		assert.equal(exposed.url, `https://app.lab.test:${edge.caddy.httpsPort}`);
		assert.equal((exposed.verify as { ok: boolean }).ok, true);
		assert.match(
			String((exposed.verify as { certificate: { issuer: string } }).certificate.issuer),
			/Pebble/,
		);

		const again = await run('expose again', [{ hostname: 'app.lab.test', upstream: upstreamUrl }], node);
		assert.equal(again.result.status, 'success', JSON.stringify(again.result.error));
		assert.deepEqual(again.items[0].json.changed, { route: false, record: false });
		assert.match(String(again.items[0].json.message), /already exposed exactly like this: nothing changed/);
	});

	it('Route → List, Verify (hostname from the dropdown) and DNS Record → List show the exposed service', async () => {
		const search = async (
			methodName: string,
			path: string,
			resource: string,
			credentials: Record<string, unknown>,
		) =>
			(
				await n8n.rest<{ data: { results: Array<{ name: string; value: string }> } }>(
					'POST',
					'/dynamic-node-parameters/resource-locator-results',
					{
						nodeTypeAndVersion: { name: 'n8n-nodes-homelab.homelab', version: 1 },
						path: `parameters.${path}`,
						methodName,
						filter: 'app',
						currentNodeParameters: { resource, operation: resource === 'route' ? 'verify' : 'delete' },
						credentials,
					},
				)
			).data.results;
		assert.deepEqual(await search('searchRoutes', 'route', 'route', { caddyAdminApi: caddyCredential }), [
			{ name: `app.lab.test → ${upstreamUrl}`, value: 'app.lab.test' },
		]);
		assert.deepEqual(await search('searchRecords', 'record', 'dnsRecord', { powerDnsApi: pdnsCredential }), [
			{ name: 'app.lab.test A 127.0.0.1', value: 'app.lab.test' },
		]);

		const routes = await run('route list', [{}], homelab('Routes', { resource: 'route', operation: 'list' }));
		assert.deepEqual(
			routes.items.map((item) => [item.json.hostname, item.json.upstream]),
			[['app.lab.test', upstreamUrl]],
		);
		const records = await run(
			'record list',
			[{}],
			homelab('Records', { resource: 'dnsRecord', operation: 'list' }),
		);
		assert.deepEqual(
			records.items.map((item) => [item.json.name, item.json.type, item.json.value, item.json.ttl]),
			[['app.lab.test', 'A', '127.0.0.1', 60]],
		);
		const verified = await run(
			'verify',
			[{}],
			homelab('Verify', {
				resource: 'route',
				operation: 'verify',
				route: { __rl: true, mode: 'list', value: 'app.lab.test' },
				dnsServer: edge.dns.dnsServer,
				verifyOptions: { healthPath: '/health' },
			}),
		);
		const report = verified.items[0].json as { ok: boolean; failed: string[]; checks: { check: string }[] };
		assert.equal(report.ok, true, JSON.stringify(report.failed));
		assert.deepEqual(
			report.checks.map((check) => check.check),
			['dns', 'proxy', 'tls', 'http'],
		);
	});

	it('continue on fail: each failing item is an error paired with its input, naming what failed and what to do', async () => {
		const node = homelab(
			'Upsert',
			{
				resource: 'dnsRecord',
				operation: 'upsert',
				name: '={{ $json.name }}',
				type: 'A',
				value: '={{ $json.value }}',
				ttl: 0,
			},
			{ onError: 'continueRegularOutput' },
		);
		const { result, items } = await run(
			'record upsert',
			[
				{ name: 'nas.lab.test', value: '10.0.0.5' },
				{ name: 'nas.example.com', value: '10.0.0.5' },
				{ name: 'nas.lab.test', value: '10.0.0.5' },
			],
			node,
		);
		assert.equal(result.status, 'success');
		assert.deepEqual(
			items.map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }, { item: 2 }],
		);
		assert.equal(items[0].json.changed, true);
		assert.match(String(items[1].json.error), /nas\.example\.com is outside the zone lab\.test of PowerDNS/);
		assert.equal(items[1].json.errorDescription, 'Correct the value named above');
		assert.equal(items[2].json.changed, false);

		const removed = await run(
			'record delete',
			[{}],
			homelab('Delete', {
				resource: 'dnsRecord',
				operation: 'delete',
				record: { __rl: true, mode: 'name', value: 'nas.lab.test' },
				type: 'A',
			}),
		);
		assert.equal(removed.items[0].json.changed, true);
	});

	it('Service → Expose with the upstream down fails naming the step, and rolls everything back', async () => {
		const down = `http://127.0.0.1:${await freePort()}`;
		const { result } = await run(
			'expose down',
			[{}],
			homelab('Expose', {
				resource: 'service',
				operation: 'expose',
				hostname: 'media.lab.test',
				upstream: down,
				exposeOptions: { healthPath: '/health', certificateTimeout: 90 },
			}),
		);
		assert.equal(result.status, 'error');
		const error = result.error as { message: string; description?: string } | undefined;
		assert.match(
			error?.message ?? '',
			/^exposing media\.lab\.test failed at the verify step: .*answered 502 Bad Gateway.*; rolled back: removed the route for media\.lab\.test from Caddy .*; deleted the A record media\.lab\.test from PowerDNS/,
		);
		assert.match(error?.description ?? '', /Everything was rolled back/);
		const routes = await run(
			'route list after',
			[{}],
			homelab('Routes', { resource: 'route', operation: 'list' }),
		);
		assert.deepEqual(
			routes.items.map((item) => item.json.hostname),
			['app.lab.test'],
		);
	});

	it('workflows/homelab-service-health.json: the nightly branch verifies every route and reports the failing ones', async () => {
		// the record first: Caddy orders the certificate as soon as the route exists, and Pebble needs the name
		const record = homelab('Record', {
			resource: 'dnsRecord',
			operation: 'upsert',
			name: 'broken.lab.test',
			type: 'A',
			value: '127.0.0.1',
			ttl: 0,
		});
		assert.equal((await run('broken record', [{}], record)).items[0].json.changed, true);

		const broken = homelab('Route', {
			resource: 'route',
			operation: 'upsert',
			hostname: 'broken.lab.test',
			upstream: `http://127.0.0.1:${await freePort()}`,
		});
		assert.equal((await run('broken route', [{}], broken)).items[0].json.changed, true);
		const workflow = JSON.parse(
			readFileSync(`${REPO_ROOT}/workflows/homelab-service-health.json`, 'utf8'),
		) as WorkflowJson;
		for (const node of workflow.nodes.filter((node) => node.type === 'n8n-nodes-homelab.homelab')) {
			if (node.parameters.resource !== 'route') continue;
			node.credentials = { caddyAdminApi: caddyCredential };
			if (node.parameters.operation === 'verify') {
				node.parameters.dnsServer = edge.dns.dnsServer;
				// the test upstream answers 200 on /health only
				(node.parameters.verifyOptions as Record<string, unknown>).healthPath = '/health';
			}
		}
		const id = await n8n.importWorkflow(workflow);
		const failingHosts = async () => {
			const result = await n8n.runWorkflow(id, 'Every night at 3:00', 120000);
			assert.equal(result.status, 'success', JSON.stringify(result.error));
			assert.deepEqual(
				outputOf(result, 'Verify route')
					.map((item) => item.json.hostname)
					.sort(),
				['app.lab.test', 'broken.lab.test'],
			);
			return outputOf(result, 'Failing routes').map(
				(item) => item.json as { hostname: string; failed: string[] },
			);
		};
		// wait until the broken route has its certificate, so what fails is the upstream, not a pending ACME order
		let failing = await failingHosts();
		const deadline = Date.now() + 90000;
		while (failing.some((item) => /TLS:/.test(item.failed.join(' '))) && Date.now() < deadline) {
			failing = await failingHosts();
		}
		assert.deepEqual(
			failing.map((item) => item.hostname),
			['broken.lab.test'],
		);
		assert.match(
			failing[0].failed.join(' '),
			/^HTTP: GET https:\/\/broken\.lab\.test:\d+\/health answered 502 Bad Gateway/,
		);
		await run(
			'broken route removed',
			[{}],
			homelab('Remove', {
				resource: 'route',
				operation: 'remove',
				route: { __rl: true, mode: 'name', value: 'broken.lab.test' },
			}),
		);
		await run(
			'broken record removed',
			[{}],
			homelab('Delete', {
				resource: 'dnsRecord',
				operation: 'delete',
				record: { __rl: true, mode: 'name', value: 'broken.lab.test' },
				type: 'A',
			}),
		);
	});

	it('the README "Edge" example workflow runs as written (hostname and upstream pointed at the test lab)', async () => {
		const edgeText = readmeSection('Homelab').split('#### Edge')[1] ?? '';
		const json = /```json\n([\s\S]*?)\n```/.exec(edgeText)?.[1];
		assert.ok(json, 'README Edge section has a json example');
		const workflow = JSON.parse(json) as WorkflowJson;
		const expose = workflow.nodes.find((node) => node.name === 'Expose');
		assert.ok(expose);
		assert.deepEqual([expose.parameters.resource, expose.parameters.operation], ['service', 'expose']);
		expose.parameters.hostname = 'jellyfin.lab.test';
		expose.parameters.upstream = upstreamUrl;
		expose.credentials = { caddyAdminApi: caddyCredential, powerDnsApi: pdnsCredential };
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow), 'Manual Trigger', 180000);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const item = outputOf(result, 'Expose')[0].json as { changed: unknown; verify: { ok: boolean } };
		assert.deepEqual(item.changed, { route: true, record: true });
		assert.equal(item.verify.ok, true);
		await run(
			'unexpose jellyfin',
			[{}],
			homelab('Unexpose', {
				resource: 'service',
				operation: 'unexpose',
				route: { __rl: true, mode: 'name', value: 'jellyfin.lab.test' },
			}),
		);
	});

	it('Route → Create or Update / Remove, and Service → Unexpose, idempotent', async () => {
		const upsert = homelab('Route', {
			resource: 'route',
			operation: 'upsert',
			hostname: 'wiki.lab.test',
			upstream: upstreamUrl,
		});
		assert.equal((await run('route upsert', [{}], upsert)).items[0].json.changed, true);
		assert.equal((await run('route upsert again', [{}], upsert)).items[0].json.changed, false);
		const remove = homelab('Remove', {
			resource: 'route',
			operation: 'remove',
			route: { __rl: true, mode: 'list', value: 'wiki.lab.test' },
		});
		assert.equal((await run('route remove', [{}], remove)).items[0].json.changed, true);

		const unexpose = homelab('Unexpose', {
			resource: 'service',
			operation: 'unexpose',
			route: { __rl: true, mode: 'list', value: 'app.lab.test' },
		});
		const first = await run('unexpose', [{}], unexpose);
		assert.deepEqual(first.items[0].json.changed, { route: true, records: ['A'] });
		const second = await run('unexpose again', [{}], unexpose);
		assert.equal(second.items[0].json.message, 'app.lab.test was not exposed by this node: nothing changed');
	});
});
