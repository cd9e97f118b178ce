import { requestJson, type JsonResponse } from './http-json';
import { parseUpstream } from './caddy';
import {
	EdgeError,
	isValidHostname,
	normalizeName,
	type ChangeResult,
	type EdgeRoute,
	type RouteProvider,
} from './types';

// Nginx Proxy Manager's REST API (backend/schema in NginxProxyManager/nginx-proxy-manager; the Swagger UI at
// /api/schema): POST /api/tokens {identity, secret} -> {token, expires} (a JWT, sent as a Bearer token, valid a
// day, so a 401 later means "log in again", once); GET/POST /api/nginx/proxy-hosts, PUT/DELETE
// /api/nginx/proxy-hosts/{id}; GET /api/nginx/certificates. A proxy host is ours when its `meta.managed_by` is
// `n8n-nodes-homelab` (meta is free-form and kept by NPM); any other host is the user's and is never changed.
// NPM refuses a domain another host already serves (400 "<domain> is already in use"). After a change NPM writes
// the nginx config and tests it; when nginx rejects it, the host is saved anyway with meta.nginx_online false and
// meta.nginx_err, so the adapter checks that and undoes its change rather than leave a dead host behind.

export const NPM_OWNER = 'n8n-nodes-homelab';

export interface NpmConnection {
	/** the admin UI/API, e.g. http://192.168.1.2:81 */
	url: string;
	/** the e-mail address of an NPM user allowed to manage proxy hosts */
	email: string;
	password: string;
	/**
	 * Which certificate serves the route: "match" (default) takes an NPM certificate whose names cover the
	 * hostname (e.g. a wildcard *.lab.test) and refuses when there is none; "none" serves plain HTTP; a number
	 * is the id of a certificate in NPM.
	 */
	certificate?: 'match' | 'none' | number;
	timeoutMs?: number;
}

interface ProxyHost {
	id: number;
	domain_names: string[];
	forward_scheme: string;
	forward_host: string;
	forward_port: number;
	certificate_id: number;
	ssl_forced: boolean;
	enabled: boolean;
	meta?: { managed_by?: string; nginx_online?: boolean; nginx_err?: string | null };
}

interface Certificate {
	id: number;
	nice_name?: string;
	domain_names: string[];
	expires_on?: string;
}

/** Whether a certificate name (exact or *.wildcard one label deep) covers the host name. */
export function certificateCovers(pattern: string, hostname: string): boolean {
	const name = normalizeName(pattern);
	if (!name.startsWith('*.')) return name === hostname;
	return hostname.split('.').slice(1).join('.') === name.slice(2);
}

const isOwned = (host: ProxyHost) => host.meta?.managed_by === NPM_OWNER;

/** NPM's error body {"error": {"code", "message"}} in words. */
function npmReason(response: JsonResponse): string {
	const error = (response.body as { error?: { message?: unknown } } | undefined)?.error;
	return typeof error?.message === 'string'
		? error.message
		: response.text.trim().slice(0, 300) || `HTTP ${response.status}`;
}

export class NpmRouteProvider implements RouteProvider {
	readonly description: string;
	private readonly base: URL;
	private token: string | undefined;

	constructor(private readonly connection: NpmConnection) {
		this.base = new URL(connection.url);
		this.description = `Nginx Proxy Manager at ${this.base.origin}`;
	}

	async list(): Promise<EdgeRoute[]> {
		return (await this.hosts()).filter(isOwned).map((host) => ({
			hostname: normalizeName(host.domain_names[0]),
			upstream: `${host.forward_scheme}://${host.forward_host}:${host.forward_port}`,
		}));
	}

	async upsert(route: EdgeRoute): Promise<ChangeResult> {
		const hostname = normalizeName(route.hostname);
		if (!isValidHostname(hostname)) throw new EdgeError('invalid', `invalid hostname "${route.hostname}"`);
		const { tls } = parseUpstream(route.upstream);
		const upstream = new URL(route.upstream);
		const hosts = await this.hosts();
		const foreign = hosts.find(
			(host) => !isOwned(host) && host.domain_names.map(normalizeName).includes(hostname),
		);
		if (foreign) {
			throw new EdgeError(
				'conflict',
				`${this.description}: ${hostname} is already served by proxy host #${foreign.id} this node does not manage; remove it there or choose another hostname`,
			);
		}
		const certificateId = await this.certificateFor(hostname);
		const wanted = {
			domain_names: [hostname],
			forward_scheme: tls ? 'https' : 'http',
			forward_host: upstream.hostname,
			forward_port: Number(upstream.port || (tls ? 443 : 80)),
			certificate_id: certificateId,
			ssl_forced: certificateId > 0,
			http2_support: certificateId > 0,
			block_exploits: true,
			allow_websocket_upgrade: true,
			enabled: true,
			meta: { managed_by: NPM_OWNER },
		};
		const current = hosts.find(
			(host) => isOwned(host) && host.domain_names.map(normalizeName).includes(hostname),
		);
		if (
			current &&
			current.forward_scheme === wanted.forward_scheme &&
			current.forward_host === wanted.forward_host &&
			current.forward_port === wanted.forward_port &&
			current.certificate_id === wanted.certificate_id &&
			Boolean(current.enabled) &&
			current.meta?.nginx_online !== false
		) {
			return { changed: false };
		}
		const saved = (
			current
				? await this.send(
						'PUT',
						`/api/nginx/proxy-hosts/${current.id}`,
						wanted,
						`update the proxy host for ${hostname}`,
					)
				: await this.send('POST', '/api/nginx/proxy-hosts', wanted, `add a proxy host for ${hostname}`)
		) as ProxyHost;
		if (saved.meta?.nginx_online === false) {
			// nginx refused the generated config: undo, so no dead host is left behind
			if (current) {
				const previous = {
					domain_names: current.domain_names,
					forward_scheme: current.forward_scheme,
					forward_host: current.forward_host,
					forward_port: current.forward_port,
					certificate_id: current.certificate_id,
					ssl_forced: current.ssl_forced,
				};
				await this.send(
					'PUT',
					`/api/nginx/proxy-hosts/${current.id}`,
					previous,
					'restore the previous proxy host',
				);
			} else {
				await this.send(
					'DELETE',
					`/api/nginx/proxy-hosts/${saved.id}`,
					undefined,
					'remove the failed proxy host',
				);
			}
			throw new EdgeError(
				'provider',
				`${this.description}: nginx rejected the configuration for ${hostname}, change undone: ${(saved.meta.nginx_err ?? 'no reason given').replace(/\s*\n\s*/g, ' ')}`,
			);
		}
		return { changed: true };
	}

	async remove(hostname: string): Promise<ChangeResult> {
		const normalized = normalizeName(hostname);
		const owned = (await this.hosts()).filter(
			(host) => isOwned(host) && host.domain_names.map(normalizeName).includes(normalized),
		);
		for (const host of owned) {
			await this.send(
				'DELETE',
				`/api/nginx/proxy-hosts/${host.id}`,
				undefined,
				`remove the proxy host for ${normalized}`,
			);
		}
		return { changed: owned.length > 0 };
	}

	private async certificateFor(hostname: string): Promise<number> {
		const choice = this.connection.certificate ?? 'match';
		if (choice === 'none') return 0;
		const certificates = (await this.send(
			'GET',
			'/api/nginx/certificates',
			undefined,
			'list certificates',
		)) as Certificate[];
		if (typeof choice === 'number') {
			if (!certificates.some((certificate) => certificate.id === choice)) {
				throw new EdgeError('invalid', `${this.description} has no certificate #${choice}`);
			}
			return choice;
		}
		const now = Date.now();
		const match = certificates
			.filter((certificate) => certificate.domain_names.some((name) => certificateCovers(name, hostname)))
			.filter((certificate) => !certificate.expires_on || Date.parse(certificate.expires_on) > now)
			.sort((a, b) => Date.parse(b.expires_on ?? '') - Date.parse(a.expires_on ?? ''))[0];
		if (!match) {
			throw new EdgeError(
				'provider',
				`${this.description} has no valid certificate covering ${hostname}; add one (e.g. a wildcard *.${hostname.split('.').slice(1).join('.')}) or choose certificate "none"`,
			);
		}
		return match.id;
	}

	private async hosts(): Promise<ProxyHost[]> {
		return (await this.send('GET', '/api/nginx/proxy-hosts', undefined, 'list proxy hosts')) as ProxyHost[];
	}

	private async login(): Promise<void> {
		const response = await this.raw('POST', '/api/tokens', {
			identity: this.connection.email,
			secret: this.connection.password,
		});
		const token = (response.body as { token?: unknown } | undefined)?.token;
		if (response.status !== 200 || typeof token !== 'string') {
			throw new EdgeError(
				response.status === 401 || response.status === 403 ? 'auth' : 'provider',
				`${this.description} refused the login of ${this.connection.email}: HTTP ${response.status}: ${npmReason(response)}`,
				response.status,
			);
		}
		this.token = token;
	}

	/** One authenticated call; a 401 (token expired) logs in again and retries once; errors become EdgeErrors. */
	private async send(method: string, path: string, body: unknown, what: string): Promise<unknown> {
		if (!this.token) await this.login();
		let response = await this.raw(method, path, body, this.token);
		if (response.status === 401) {
			await this.login();
			response = await this.raw(method, path, body, this.token);
		}
		if (response.status >= 200 && response.status < 300) return response.body;
		const reason = npmReason(response);
		const kind =
			response.status === 401 || response.status === 403
				? 'auth'
				: /already in use/i.test(reason)
					? 'conflict'
					: 'provider';
		throw new EdgeError(
			kind,
			`${this.description} refused to ${what}: HTTP ${response.status}: ${reason}`,
			response.status,
		);
	}

	private async raw(method: string, path: string, body?: unknown, token?: string): Promise<JsonResponse> {
		return await requestJson(
			this.description,
			new URL(path, this.base),
			method,
			body,
			token ? { authorization: `Bearer ${token}` } : {},
			this.connection.timeoutMs,
		);
	}
}
