// AdGuard Home's DNS rewrite API, simulated (AdGuard Home does not install here). Sources: openapi/openapi.yaml
// in AdguardTeam/AdGuardHome (/control/rewrite/list, /add, /delete, /update) and its handlers in
// internal/filtering/rewritehttp.go: bodies are decoded with encoding/json (invalid JSON -> 400 text/plain
// "json.Decode: ..."; unknown fields ignored), add appends WITHOUT checking for an equal entry (AdGuardHome#4585),
// delete removes every entry equal in domain and answer and answers 200 even when none matched, update replaces
// the first entry equal to `target` (400 "target rule not found" otherwise). Domains are stored lower-cased.
// v0.107.68+ lists an `enabled` flag per rewrite (default true). Authentication (internal/home/authhttp.go):
// with web users configured, a request without a valid session cookie or basic-auth user gets 401 and no body.
// The handlers register one method per path; another method gets 405.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AdGuardRewrite {
	domain: string;
	answer: string;
	enabled: boolean;
}

export interface AdGuardSimulator {
	url: string;
	rewrites: AdGuardRewrite[];
	requests: string[];
	close(): Promise<void>;
}

const ROUTES: Record<string, string> = {
	'/control/rewrite/list': 'GET',
	'/control/rewrite/add': 'POST',
	'/control/rewrite/delete': 'POST',
	'/control/rewrite/update': 'PUT',
};

export async function startAdGuardSimulator(options: {
	users: Record<string, string>;
	rewrites?: AdGuardRewrite[];
}): Promise<AdGuardSimulator> {
	const rewrites: AdGuardRewrite[] = [...(options.rewrites ?? [])];
	const requests: string[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const text = (status: number, body = '') => {
				response.writeHead(status, body ? { 'content-type': 'text/plain; charset=utf-8' } : {});
				response.end(body);
			};
			const path = new URL(request.url ?? '/', 'http://adguard').pathname;
			requests.push(`${request.method} ${path}`);
			const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
			const [user, ...password] =
				scheme === 'Basic'
					? Buffer.from(encoded ?? '', 'base64')
							.toString('utf8')
							.split(':')
					: [];
			if (!user || options.users[user] === undefined || options.users[user] !== password.join(':')) {
				return text(401);
			}
			const method = ROUTES[path];
			if (!method) return text(404, '404 page not found\n');
			if (request.method !== method) return text(405, 'Method Not Allowed\n');
			if (path === '/control/rewrite/list') {
				response.writeHead(200, { 'content-type': 'application/json' });
				return response.end(JSON.stringify(rewrites));
			}
			let body: Record<string, unknown>;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
				if (typeof body !== 'object' || body === null || Array.isArray(body))
					throw new Error('not an object');
			} catch (error) {
				return text(400, `json.Decode: ${(error as Error).message}\n`);
			}
			const entry = (value: unknown): AdGuardRewrite => {
				const item = (value ?? {}) as { domain?: unknown; answer?: unknown; enabled?: unknown };
				return {
					domain: typeof item.domain === 'string' ? item.domain.toLowerCase() : '',
					answer: typeof item.answer === 'string' ? item.answer : '',
					enabled: typeof item.enabled === 'boolean' ? item.enabled : true,
				};
			};
			const equal = (a: AdGuardRewrite, b: AdGuardRewrite) => a.domain === b.domain && a.answer === b.answer;
			if (path === '/control/rewrite/add') {
				rewrites.push(entry(body)); // no duplicate check, as in AdGuard Home
				return text(200);
			}
			if (path === '/control/rewrite/delete') {
				const target = entry(body);
				const kept = rewrites.filter((rewrite) => !equal(rewrite, target));
				rewrites.splice(0, rewrites.length, ...kept);
				return text(200);
			}
			const index = rewrites.findIndex((rewrite) => equal(rewrite, entry(body.target)));
			if (index < 0) return text(400, 'target rule not found\n');
			rewrites[index] = entry(body.update);
			text(200);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		rewrites,
		requests,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
