import { timingSafeEqual } from 'node:crypto';

import type { FastifyInstance } from 'fastify';

function tokenMatches(header: string | undefined, token: string): boolean {
	const presented = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
	const expected = Buffer.from(token);
	return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** Every route but /healthz (container health checks) needs the bearer token. */
export function requireToken(app: FastifyInstance, token: string): void {
	app.addHook('onRequest', async (request, reply) => {
		if (request.url === '/healthz' || request.url.startsWith('/healthz?')) return;
		if (!tokenMatches(request.headers.authorization, token)) {
			reply.header('www-authenticate', 'Bearer');
			return reply.code(401).send({
				error: 'missing or wrong bearer token: send "Authorization: Bearer <HOMELAB_BACKEND_TOKEN>"',
			});
		}
	});
}
