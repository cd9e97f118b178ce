// Nginx Proxy Manager's API, the parts the edge uses, simulated (NPM does not install here). Sources, all in
// NginxProxyManager/nginx-proxy-manager: backend/schema/paths/tokens/post.json (POST /api/tokens {identity,
// secret} -> {token, expires}), backend/schema/paths/nginx/proxy-hosts/post.json and .../{hostID}/put.json
// (required domain_names, forward_scheme, forward_host, forward_port; additionalProperties false; types and
// ranges from components/proxy-host-object.json: forward_scheme http|https, forward_port 1-65535, forward_host
// 1-255 chars, meta an object), backend/internal/proxy-host.js (a domain another host already serves -> 400
// "<domain> is already in use"; after a change nginx's config is written and tested and the outcome stored in
// meta.nginx_online / meta.nginx_err; delete answers true), backend/lib/error.js + the express error handler
// (errors as {"error": {"code", "message"}}; a bad login 401 "Invalid email or password"; no or a bad token 401).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NpmHost {
	id: number;
	domain_names: string[];
	forward_scheme: string;
	forward_host: string;
	forward_port: number;
	certificate_id: number;
	ssl_forced: boolean;
	http2_support: boolean;
	block_exploits: boolean;
	allow_websocket_upgrade: boolean;
	caching_enabled: boolean;
	access_list_id: number;
	advanced_config: string;
	enabled: boolean;
	meta: Record<string, unknown>;
	locations: unknown[];
	hsts_enabled: boolean;
	hsts_subdomains: boolean;
}

export interface NpmCertificate {
	id: number;
	provider: string;
	nice_name: string;
	domain_names: string[];
	expires_on: string;
	meta: Record<string, unknown>;
}

export interface NpmSimulator {
	url: string;
	hosts: NpmHost[];
	certificates: NpmCertificate[];
	/** host names for which `nginx -t` fails (e.g. a broken custom include), as a real NPM reports it */
	nginxRejects: Set<string>;
	/** invalidates every issued token, as after the JWT expired */
	expireTokens(): void;
	requests: string[];
	close(): Promise<void>;
}

const WRITABLE = [
	'domain_names',
	'forward_scheme',
	'forward_host',
	'forward_port',
	'certificate_id',
	'ssl_forced',
	'hsts_enabled',
	'hsts_subdomains',
	'http2_support',
	'block_exploits',
	'caching_enabled',
	'allow_websocket_upgrade',
	'access_list_id',
	'advanced_config',
	'enabled',
	'meta',
	'locations',
	'ssl_key_type',
	'default_server',
];
const DOMAIN = /^(\*\.)?[^\s*]+$/;

/** The schema checks of the create/update endpoints: the first violation, worded like NPM's ajv errors. */
function schemaError(body: Record<string, unknown>, create: boolean): string | undefined {
	for (const key of Object.keys(body))
		if (!WRITABLE.includes(key)) return 'data must NOT have additional properties';
	if (create) {
		for (const key of ['domain_names', 'forward_scheme', 'forward_host', 'forward_port']) {
			if (body[key] === undefined) return `data must have required property '${key}'`;
		}
	}
	const names = body.domain_names;
	if (
		names !== undefined &&
		(!Array.isArray(names) ||
			names.length === 0 ||
			names.some((name) => typeof name !== 'string' || !DOMAIN.test(name)))
	) {
		return 'data/domain_names must be an array of domain names with at least 1 item';
	}
	if (body.forward_scheme !== undefined && !['http', 'https'].includes(body.forward_scheme as string)) {
		return 'data/forward_scheme must be equal to one of the allowed values';
	}
	const host = body.forward_host;
	if (host !== undefined && (typeof host !== 'string' || host.length < 1 || host.length > 255)) {
		return 'data/forward_host must NOT have fewer than 1 characters';
	}
	const port = body.forward_port;
	if (port !== undefined && (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)) {
		return 'data/forward_port must be <= 65535 and >= 1';
	}
	const certificate = body.certificate_id;
	if (
		certificate !== undefined &&
		!(Number.isInteger(certificate) && (certificate as number) >= 0) &&
		certificate !== 'new'
	) {
		return 'data/certificate_id must be integer';
	}
	if (
		body.meta !== undefined &&
		(typeof body.meta !== 'object' || body.meta === null || Array.isArray(body.meta))
	) {
		return 'data/meta must be object';
	}
	return undefined;
}

export async function startNpmSimulator(options: {
	users: Record<string, string>;
	hosts?: NpmHost[];
	certificates?: NpmCertificate[];
}): Promise<NpmSimulator> {
	const hosts = [...(options.hosts ?? [])];
	const certificates = [...(options.certificates ?? [])];
	const tokens = new Set<string>();
	const nginxRejects = new Set<string>();
	const requests: string[] = [];
	let nextId = Math.max(0, ...hosts.map((host) => host.id)) + 1;

	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const send = (status: number, body: unknown) => {
				response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
				response.end(JSON.stringify(body));
			};
			const fail = (status: number, message: string) => send(status, { error: { code: status, message } });
			const path = new URL(request.url ?? '/', 'http://npm').pathname;
			requests.push(`${request.method} ${path}`);
			let body: Record<string, unknown> = {};
			const text = Buffer.concat(chunks).toString('utf8');
			if (text) {
				try {
					body = JSON.parse(text) as Record<string, unknown>;
				} catch {
					return fail(400, 'Unexpected token in JSON');
				}
			}
			if (path === '/api/tokens' && request.method === 'POST') {
				const { identity, secret } = body as { identity?: unknown; secret?: unknown };
				if (typeof identity !== 'string' || typeof secret !== 'string') {
					return fail(400, "data must have required property 'identity'");
				}
				if (options.users[identity] === undefined || options.users[identity] !== secret) {
					return fail(401, 'Invalid email or password');
				}
				const token = randomBytes(24).toString('base64url');
				tokens.add(token);
				return send(200, { token, expires: new Date(Date.now() + 86_400_000).toISOString() });
			}
			const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
			if (!bearer || !tokens.has(bearer)) return fail(401, 'Permission Denied');

			if (path === '/api/nginx/certificates' && request.method === 'GET') return send(200, certificates);
			const taken = (names: string[], exceptId?: number) =>
				names.find((name) =>
					hosts.some((host) => host.id !== exceptId && host.domain_names.includes(name.toLowerCase())),
				);
			const configure = (host: NpmHost) => {
				const broken = host.domain_names.some((name) => nginxRejects.has(name));
				host.meta = {
					...host.meta,
					nginx_online: !broken,
					nginx_err: broken
						? `Command failed: /usr/sbin/nginx -t -g "error_log off;"\nnginx: [emerg] invalid config in /data/nginx/proxy_host/${host.id}.conf`
						: null,
				};
			};
			if (path === '/api/nginx/proxy-hosts') {
				if (request.method === 'GET') return send(200, hosts);
				if (request.method !== 'POST') return fail(404, 'Not Found');
				const problem = schemaError(body, true);
				if (problem) return fail(400, problem);
				const clash = taken(body.domain_names as string[]);
				if (clash) return fail(400, `${clash} is already in use`);
				// an autoincrement column: never reuses an id, even of rows the test put in directly
				nextId = Math.max(nextId, ...hosts.map((existing) => existing.id + 1));
				const host: NpmHost = {
					id: nextId++,
					certificate_id: 0,
					ssl_forced: false,
					http2_support: false,
					block_exploits: false,
					allow_websocket_upgrade: false,
					caching_enabled: false,
					access_list_id: 0,
					advanced_config: '',
					enabled: true,
					meta: {},
					locations: [],
					hsts_enabled: false,
					hsts_subdomains: false,
					...(body as Partial<NpmHost>),
					domain_names: (body.domain_names as string[]).map((name) => name.toLowerCase()),
				} as NpmHost;
				hosts.push(host);
				configure(host);
				return send(201, host);
			}
			const match = /^\/api\/nginx\/proxy-hosts\/(\d+)$/.exec(path);
			if (match) {
				const host = hosts.find((candidate) => candidate.id === Number(match[1]));
				if (!host) return fail(404, `Item Not Found - ${match[1]}`);
				if (request.method === 'GET') return send(200, host);
				if (request.method === 'DELETE') {
					hosts.splice(hosts.indexOf(host), 1);
					return send(200, true);
				}
				if (request.method !== 'PUT') return fail(404, 'Not Found');
				const problem = schemaError(body, false);
				if (problem) return fail(400, problem);
				if (body.domain_names) {
					const clash = taken(body.domain_names as string[], host.id);
					if (clash) return fail(400, `${clash} is already in use`);
				}
				Object.assign(host, body);
				configure(host);
				return send(200, host);
			}
			fail(404, 'Not Found');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		hosts,
		certificates,
		nginxRejects,
		expireTokens: () => tokens.clear(),
		requests,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
