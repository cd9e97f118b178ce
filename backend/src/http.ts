import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { DatabaseSync } from 'node:sqlite';

import type { BackendConfig } from './config';

const VERSION = '0.1.0';

function send(response: http.ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}

function tokenMatches(header: string | undefined, token: string): boolean {
	const presented = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
	const expected = Buffer.from(token);
	return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** The HTTP API: /healthz is open (for container health checks); everything else needs the bearer token. */
export function createServer(config: BackendConfig, db: DatabaseSync): http.Server {
	return http.createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://backend');
		if (request.method === 'GET' && url.pathname === '/healthz') {
			const migrations = db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number };
			return send(response, 200, {
				status: 'ok',
				store: 'sqlite',
				migrations: migrations.n,
				version: VERSION,
			});
		}
		if (!tokenMatches(request.headers.authorization, config.token)) {
			response.setHeader('www-authenticate', 'Bearer');
			return send(response, 401, {
				error: 'missing or wrong bearer token: send "Authorization: Bearer <HOMELAB_BACKEND_TOKEN>"',
			});
		}
		if (request.method === 'GET' && url.pathname === '/v1/info') {
			const rows = db.prepare('SELECT key, value FROM instance_info').all() as Array<{
				key: string;
				value: string;
			}>;
			return send(response, 200, {
				version: VERSION,
				store: 'sqlite',
				...Object.fromEntries(rows.map((row) => [row.key, row.value])),
			});
		}
		return send(response, 404, { error: `no route ${request.method} ${url.pathname}` });
	});
}
