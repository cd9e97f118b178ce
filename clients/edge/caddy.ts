import { requestJson, serverReason, type JsonResponse } from './http-json';
import {
	EdgeError,
	isValidHostname,
	normalizeName,
	type ChangeResult,
	type EdgeRoute,
	type RouteProvider,
} from './types';

// Caddy through its admin API (caddyserver.com/docs/api). Each route this adapter writes carries
// `@id: homelab-route-<hostname>`, so it is addressed as /id/<id> and anything without that prefix is the user's.
// Changes made through the API are written by Caddy to its autosave file (admin.config.persist, on by default);
// Caddy must be started with `caddy run --resume` (Debian's caddy-api.service does this) to load them again after
// a restart (caddy#2903). The TRAP: a route for a host no TLS automation policy covers makes Caddy ask the PUBLIC
// Let's Encrypt directory for a certificate; so before writing a route the adapter makes sure a catch-all policy
// exists whose issuer is the lab's own CA, and refuses to go on when the catch-all points at a public CA.

export const CADDY_ROUTE_ID_PREFIX = 'homelab-route-';

/** Who issues certificates for the lab: an ACME directory (Pebble, step-ca, ...) or Caddy's internal CA. */
export type LabIssuer =
	| { acmeDirectory: string; trustedRootsPemFiles?: string[]; email?: string }
	| { internal: true };

export interface CaddyConnection {
	/** the admin endpoint, e.g. http://127.0.0.1:2019 */
	adminUrl: string;
	/** the key of the HTTPS server under apps.http.servers that holds the routes */
	server: string;
	issuer: LabIssuer;
	timeoutMs?: number;
}

interface CaddyRoute {
	'@id'?: string;
	match?: { host?: string[] }[];
	handle?: { handler?: string; upstreams?: { dial?: string }[]; transport?: { tls?: unknown } }[];
	terminal?: boolean;
}

interface CaddyIssuer {
	module?: string;
	ca?: string;
}

interface CaddyPolicy {
	subjects?: string[];
	issuers?: CaddyIssuer[];
}

const PUBLIC_ACME = /letsencrypt\.org|zerossl\.com|pki\.goog|buypass\.(com|no)|ssl\.com/i;

export function caddyIssuerConfig(issuer: LabIssuer): Record<string, unknown> {
	if ('internal' in issuer) return { module: 'internal' };
	return {
		module: 'acme',
		ca: issuer.acmeDirectory,
		...(issuer.email ? { email: issuer.email } : {}),
		...(issuer.trustedRootsPemFiles ? { trusted_roots_pem_files: issuer.trustedRootsPemFiles } : {}),
	};
}

/** Parses http(s)://host:port into Caddy's dial address; anything else is an invalid upstream. */
export function parseUpstream(upstream: string): { dial: string; tls: boolean } {
	let url: URL;
	try {
		url = new URL(upstream);
	} catch {
		throw new EdgeError(
			'invalid',
			`invalid upstream "${upstream}": expected http://host:port or https://host:port`,
		);
	}
	if (!['http:', 'https:'].includes(url.protocol) || !url.hostname || url.pathname !== '/' || url.search) {
		throw new EdgeError(
			'invalid',
			`invalid upstream "${upstream}": expected http://host:port or https://host:port`,
		);
	}
	const tls = url.protocol === 'https:';
	return { dial: `${url.hostname}:${url.port || (tls ? '443' : '80')}`, tls };
}

function toCaddyRoute(route: EdgeRoute): CaddyRoute {
	const { dial, tls } = parseUpstream(route.upstream);
	return {
		'@id': CADDY_ROUTE_ID_PREFIX + route.hostname,
		match: [{ host: [route.hostname] }],
		handle: [
			{
				handler: 'reverse_proxy',
				upstreams: [{ dial }],
				...(tls ? { transport: { protocol: 'http', tls: {} } } : {}),
			} as never,
		],
		terminal: true,
	};
}

function fromCaddyRoute(route: CaddyRoute): EdgeRoute | undefined {
	const id = route['@id'];
	if (!id?.startsWith(CADDY_ROUTE_ID_PREFIX)) return undefined;
	const proxy = route.handle?.find((handler) => handler.handler === 'reverse_proxy');
	const dial = proxy?.upstreams?.[0]?.dial;
	if (!dial) return undefined;
	return {
		hostname: id.slice(CADDY_ROUTE_ID_PREFIX.length),
		upstream: `${proxy.transport?.tls ? 'https' : 'http'}://${dial}`,
	};
}

export class CaddyRouteProvider implements RouteProvider {
	readonly description: string;
	private readonly base: URL;

	constructor(private readonly connection: CaddyConnection) {
		this.base = new URL(connection.adminUrl);
		this.description = `Caddy at ${this.base.origin}`;
	}

	async list(): Promise<EdgeRoute[]> {
		return (await this.rawRoutes()).map(fromCaddyRoute).filter((route) => route !== undefined);
	}

	async upsert(route: EdgeRoute): Promise<ChangeResult> {
		const hostname = normalizeName(route.hostname);
		if (!isValidHostname(hostname)) throw new EdgeError('invalid', `invalid hostname "${route.hostname}"`);
		const wanted = toCaddyRoute({ hostname, upstream: route.upstream });
		const { routes, present } = await this.readRoutes();
		const foreign = routes.find(
			(existing) =>
				!existing['@id']?.startsWith(CADDY_ROUTE_ID_PREFIX) &&
				existing.match?.some((match) => match.host?.map(normalizeName).includes(hostname)),
		);
		if (foreign) {
			throw new EdgeError(
				'conflict',
				`${this.description}: ${hostname} is already served by a route this node does not manage` +
					`${foreign['@id'] ? ` (@id ${foreign['@id']})` : ''}; remove it there or choose another hostname`,
			);
		}
		await this.ensureLabTlsPolicy();
		const current = routes.find((existing) => existing['@id'] === wanted['@id']);
		if (current) {
			if (JSON.stringify(fromCaddyRoute(current)) === JSON.stringify(fromCaddyRoute(wanted)))
				return { changed: false };
			this.check(
				await this.call('PATCH', `/id/${wanted['@id']}`, wanted),
				`update the route for ${hostname}`,
			);
			return { changed: true };
		}
		// POST appends to an existing array; a server without routes needs the array itself (PUT creates it)
		const added = present
			? await this.call('POST', `${this.serverPath()}/routes`, wanted)
			: await this.call('PUT', `${this.serverPath()}/routes`, [wanted]);
		this.check(added, `add the route for ${hostname}`);
		return { changed: true };
	}

	async remove(hostname: string): Promise<ChangeResult> {
		const id = CADDY_ROUTE_ID_PREFIX + normalizeName(hostname);
		const routes = await this.rawRoutes();
		if (!routes.some((route) => route['@id'] === id)) return { changed: false };
		this.check(await this.call('DELETE', `/id/${id}`), `remove the route for ${hostname}`);
		return { changed: true };
	}

	/**
	 * Adds a catch-all automation policy with the lab's issuer when there is none; refuses when the existing
	 * catch-all would use a public CA (Caddy's default issuers are Let's Encrypt and ZeroSSL).
	 */
	async ensureLabTlsPolicy(): Promise<void> {
		if (await this.checkLabTlsPolicy()) return;
		const policy = { issuers: [caddyIssuerConfig(this.connection.issuer)] };
		const tls = await this.call('GET', '/config/apps/tls');
		const path = tls.body ? '/config/apps/tls/automation/policies' : '/config/apps/tls';
		const body = tls.body ? policy : { automation: { policies: [policy] } };
		this.check(await this.call(tls.body ? 'POST' : 'PUT', path, body), 'add the catch-all TLS policy');
	}

	/**
	 * Read-only: whether a catch-all TLS automation policy exists (false: the next upsert adds one); throws when it
	 * would send the lab's names to a public CA.
	 */
	async checkLabTlsPolicy(): Promise<boolean> {
		const response = await this.call('GET', '/config/apps/tls/automation/policies');
		this.check(response, 'read the TLS automation policies');
		const policies = (Array.isArray(response.body) ? response.body : []) as CaddyPolicy[];
		const catchAll = policies.find((policy) => !policy.subjects || policy.subjects.length === 0);
		if (!catchAll) return false;
		const publicIssuer = (catchAll.issuers ?? [{ module: 'acme' }]).find(
			(issuer) => issuer.module !== 'internal' && (!issuer.ca || PUBLIC_ACME.test(issuer.ca)),
		);
		if (publicIssuer) {
			throw new EdgeError(
				'provider',
				`${this.description}: the catch-all TLS automation policy uses a public CA (${publicIssuer.ca ?? "Caddy default: Let's Encrypt/ZeroSSL"}); ` +
					'set its issuer to the lab\'s ACME CA or "internal" before adding routes',
			);
		}
		return true;
	}

	private serverPath(): string {
		return `/config/apps/http/servers/${encodeURIComponent(this.connection.server)}`;
	}

	private async rawRoutes(): Promise<CaddyRoute[]> {
		return (await this.readRoutes()).routes;
	}

	private async readRoutes(): Promise<{ routes: CaddyRoute[]; present: boolean }> {
		const response = await this.call('GET', this.serverPath());
		this.check(response, 'read the routes');
		if (response.body === undefined || response.body === null) {
			throw new EdgeError(
				'provider',
				`${this.description} has no HTTP server "${this.connection.server}" under apps.http.servers; create it (see caddyBaseConfig)`,
			);
		}
		const routes = (response.body as { routes?: CaddyRoute[] }).routes;
		return Array.isArray(routes) ? { routes, present: true } : { routes: [], present: false };
	}

	private async call(method: string, path: string, body?: unknown): Promise<JsonResponse> {
		return await requestJson(
			this.description,
			new URL(path, this.base),
			method,
			body,
			{},
			this.connection.timeoutMs,
		);
	}

	private check(response: JsonResponse, what: string): void {
		if (response.status >= 200 && response.status < 300) return;
		throw new EdgeError(
			response.status === 401 || response.status === 403 ? 'auth' : 'provider',
			`${this.description} refused to ${what}: HTTP ${response.status}: ${serverReason(response)}`,
			response.status,
		);
	}
}

export interface CaddyBaseConfigOptions {
	adminListen: string;
	/** the address:port the HTTPS server listens on, e.g. 127.0.0.1:8443 */
	httpsListen: string;
	httpPort: number;
	httpsPort: number;
	server: string;
	storageDir: string;
	issuer: LabIssuer;
}

/**
 * A minimal Caddy JSON config for the edge: one HTTPS server without routes, the lab's CA as the catch-all issuer
 * and only the TLS-ALPN challenge (answered on the HTTPS listener itself, so Caddy opens no port of its own
 * for HTTP-01 and nothing binds beyond `httpsListen`).
 */
export function caddyBaseConfig(options: CaddyBaseConfigOptions): Record<string, unknown> {
	const issuer = caddyIssuerConfig(options.issuer);
	if (issuer.module === 'acme') issuer.challenges = { http: { disabled: true } };
	return {
		admin: { listen: options.adminListen },
		storage: { module: 'file_system', root: options.storageDir },
		apps: {
			http: {
				http_port: options.httpPort,
				https_port: options.httpsPort,
				servers: {
					[options.server]: {
						listen: [options.httpsListen],
						routes: [],
						automatic_https: { disable_redirects: true },
					},
				},
			},
			tls: { automation: { policies: [{ issuers: [issuer] }] } },
		},
	};
}
