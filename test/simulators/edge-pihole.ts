// Pi-hole v6's FTL API, the parts the edge uses, simulated (Pi-hole does not install here). Sources:
// - Sessions: https://docs.pi-hole.net/api/auth/ (POST /api/auth {password} -> {session: {valid, totp, sid, csrf,
//   validity}}; sid by X-FTL-SID header, ?sid= or the sid cookie, the cookie only together with X-FTL-CSRF;
//   DELETE /api/auth -> 204; 401 {"error": {"key": "unauthorized", ...}}; a limited number of concurrent sessions,
//   refused with 429 "api_seats_exceeded"; sessions expire after `validity` seconds without a request).
// - Config arrays: FTL src/api/config.c api_config_put_delete (PUT adds one item -> 201, "Item already present"
//   -> 400; DELETE -> 204, absent -> 404) and the app-password rule in api_config (403 unless app_sudo).
// - dns.hosts validation: FTL src/config/validator.c validate_dns_hosts ("IP HOSTNAME [HOSTNAME...] [# comment]",
//   a valid IPv4/IPv6 address, valid host names, no newlines; 400 "Invalid value" with the reason as hint).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { isIP, type AddressInfo } from 'node:net';

export interface PiholeSimulatorOptions {
	password: string;
	/** an app password (webserver.api.app_pw); its sessions may change config only when appSudo is true */
	appPassword?: string;
	appSudo?: boolean;
	/** webserver.api.max_sessions */
	maxSessions?: number;
	/** webserver.session.timeout in seconds */
	validitySeconds?: number;
	hosts?: string[];
}

interface Session {
	csrf: string;
	app: boolean;
	expires: number;
}

export interface PiholeSimulator {
	url: string;
	hosts: string[];
	sessions: Map<string, Session>;
	/** every request, "METHOD path" (with the config item decoded) */
	requests: string[];
	/** makes every session expire now, as after an idle period or an FTL restart */
	expireSessions(): void;
	close(): Promise<void>;
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;
const validDomain = (name: string) =>
	name.length <= 253 && name.split('.').every((label) => LABEL.test(label));

/** validate_dns_hosts for one entry: undefined when valid, else FTL's reason. */
export function piholeHostEntryError(entry: string, index: number): string | undefined {
	if (/[\r\n]/.test(entry)) return `dns.hosts[${index}]: contains newline characters`;
	const [ip, ...rest] = entry.trim().split(/[ \t]+/);
	if (!ip) return `dns.hosts[${index}]: found no first element ("${entry}")`;
	if (!isIP(ip)) return `dns.hosts[${index}]: neither a valid IPv4 nor IPv6 address ("${ip}")`;
	let hosts = 0;
	for (const host of rest) {
		if (host.startsWith('#')) break;
		if (!validDomain(host)) return `dns.hosts[${index}]: invalid hostname ("${host}")`;
		hosts++;
	}
	if (hosts < 1) return `dns.hosts[${index}]: entry does not have at least one hostname ("${entry}")`;
	return undefined;
}

export async function startPiholeSimulator(options: PiholeSimulatorOptions): Promise<PiholeSimulator> {
	const sessions = new Map<string, Session>();
	const hosts = [...(options.hosts ?? [])];
	const requests: string[] = [];
	const validity = options.validitySeconds ?? 300;
	const took = () => ({ took: 0.0001 });

	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const send = (status: number, body?: unknown) => {
				response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
				response.end(body === undefined ? undefined : JSON.stringify(body));
			};
			const fail = (status: number, key: string, message: string, hint: string | null = null) =>
				send(status, { error: { key, message, hint }, ...took() });
			const url = new URL(request.url ?? '/', 'http://pi.hole');
			const path = decodeURIComponent(url.pathname);
			requests.push(`${request.method} ${path}`);
			const text = Buffer.concat(chunks).toString('utf8');

			if (path === '/api/auth' && request.method === 'POST') {
				let password: unknown;
				try {
					password = (JSON.parse(text) as { password?: unknown }).password;
				} catch {
					return fail(400, 'bad_request', 'Invalid JSON payload');
				}
				if (password === undefined) return fail(400, 'bad_request', 'No password found in JSON payload');
				if (typeof password !== 'string')
					return fail(400, 'bad_request', "Field password has to be of type 'string'");
				const app = options.appPassword !== undefined && password === options.appPassword;
				if (password !== options.password && !app) return fail(401, 'unauthorized', 'Unauthorized');
				const now = Date.now();
				for (const [sid, session] of sessions) if (session.expires <= now) sessions.delete(sid);
				if (sessions.size >= (options.maxSessions ?? 16)) {
					return fail(429, 'api_seats_exceeded', 'API seats exceeded', 'increase webserver.api.max_sessions');
				}
				const sid = randomBytes(16).toString('base64');
				const csrf = randomBytes(16).toString('base64');
				sessions.set(sid, { csrf, app, expires: now + validity * 1000 });
				return send(200, {
					session: { valid: true, totp: false, sid, csrf, validity, message: 'correct password' },
					...took(),
				});
			}

			// every other endpoint here needs a session
			const cookieSid = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
			const headerSid = request.headers['x-ftl-sid'];
			const sid =
				(typeof headerSid === 'string' ? headerSid : undefined) ?? url.searchParams.get('sid') ?? cookieSid;
			const session = sid ? sessions.get(sid) : undefined;
			if (!sid || !session || session.expires <= Date.now()) return fail(401, 'unauthorized', 'Unauthorized');
			if (sid === cookieSid && headerSid === undefined && request.headers['x-ftl-csrf'] !== session.csrf) {
				return fail(401, 'unauthorized', 'Unauthorized');
			}
			session.expires = Date.now() + validity * 1000;

			if (path === '/api/auth' && request.method === 'DELETE') {
				sessions.delete(sid);
				return send(204);
			}
			if (path === '/api/config/dns/hosts' && request.method === 'GET') {
				return send(200, { config: { dns: { hosts } }, ...took() });
			}
			const item = /^\/api\/config\/dns\/hosts\/(.+)$/.exec(path)?.[1];
			if (item !== undefined && (request.method === 'PUT' || request.method === 'DELETE')) {
				if (session.app && !options.appSudo) {
					return fail(
						403,
						'forbidden',
						'Unable to change configuration (read-only)',
						'The current app session is not allowed to modify Pi-hole config settings (webserver.api.app_sudo is false)',
					);
				}
				const index = hosts.indexOf(item);
				if (request.method === 'DELETE') {
					if (index < 0) return send(404, took());
					hosts.splice(index, 1);
					return send(204);
				}
				if (index >= 0)
					return fail(400, 'bad_request', 'Item already present', 'Uniqueness of items is enforced');
				const problem = piholeHostEntryError(item, hosts.length);
				if (problem) return fail(400, 'bad_request', 'Invalid value', problem);
				hosts.push(item);
				return send(201, took());
			}
			fail(404, 'not_found', 'Not found', path);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		hosts,
		sessions,
		requests,
		expireSessions: () => {
			for (const session of sessions.values()) session.expires = 0;
		},
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
