// The two small interfaces the edge is built from: a reverse proxy that holds routes and a DNS server that holds
// records. Each adapter lists, upserts and removes only what it owns (a marker it writes itself: Caddy's `@id`,
// a PowerDNS comment), so the user's own routes and records are never touched, and every call is idempotent.

/** One proxied service: https://<hostname> is served by the proxy and forwarded to `upstream`. */
export interface EdgeRoute {
	hostname: string;
	/** where the proxy forwards to, e.g. http://127.0.0.1:8096 */
	upstream: string;
}

export type RecordType = 'A' | 'AAAA' | 'CNAME';

export interface DnsRecord {
	/** fully qualified, without the trailing dot, e.g. jellyfin.lab.test */
	name: string;
	type: RecordType;
	/** an address (A/AAAA) or a host name (CNAME) */
	value: string;
	ttl?: number;
}

export interface ChangeResult {
	/** false when the server already held exactly this (idempotent call) */
	changed: boolean;
}

export interface RouteProvider {
	/** e.g. "Caddy at http://127.0.0.1:2019": used in error messages */
	readonly description: string;
	list(): Promise<EdgeRoute[]>;
	upsert(route: EdgeRoute): Promise<ChangeResult>;
	remove(hostname: string): Promise<ChangeResult>;
}

export interface RecordProvider {
	readonly description: string;
	list(): Promise<DnsRecord[]>;
	upsert(record: DnsRecord): Promise<ChangeResult>;
	remove(name: string, type: RecordType): Promise<ChangeResult>;
}

export type EdgeErrorKind =
	/** the input itself is wrong (hostname outside the lab domain, invalid upstream, ...) */
	| 'invalid'
	/** the name is already used by something this code does not own */
	| 'conflict'
	/** the provider refused the credentials */
	| 'auth'
	/** the provider could not be reached */
	| 'unreachable'
	/** the provider answered with an error */
	| 'provider'
	/** the change was applied but the service does not work from the client side */
	| 'verify'
	/** the caller cancelled (AbortSignal); what was changed has been rolled back */
	| 'cancelled';

/** A failure of the edge: what kind, and a message naming what and where. */
export class EdgeError extends Error {
	constructor(
		readonly kind: EdgeErrorKind,
		message: string,
		readonly status?: number,
	) {
		super(message);
		this.name = 'EdgeError';
	}
}

/** Fully qualified name without the trailing dot, lower case (DNS names compare case-insensitively). */
export function normalizeName(name: string): string {
	return name.trim().toLowerCase().replace(/\.$/, '');
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function isValidHostname(name: string): boolean {
	const normalized = normalizeName(name);
	return normalized.length <= 253 && normalized.split('.').every((label) => LABEL.test(label));
}
