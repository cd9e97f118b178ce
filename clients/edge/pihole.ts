import { isIP } from 'node:net';

import { requestJson, type JsonResponse } from './http-json';
import {
	EdgeError,
	isValidHostname,
	normalizeName,
	type ChangeResult,
	type DnsRecord,
	type RecordProvider,
	type RecordType,
} from './types';

// Pi-hole v6 (FTL's REST API, https://docs.pi-hole.net/api/ and the self-hosted spec at /api/docs):
// - Sessions (docs.pi-hole.net/api/auth/): POST /api/auth {password} returns {session: {sid, csrf, validity}};
//   the sid goes in the X-FTL-SID header (the CSRF token is only needed with cookie auth). A session expires after
//   `validity` seconds idle, so a 401 on a call means "log in again", once. Pi-hole allows only a few concurrent
//   sessions (webserver.api.max_sessions, 429 "API seats exceeded" beyond), so each operation logs out again
//   unless keepSession is set. App-password sessions may change config only with webserver.api.app_sudo (403).
// - Local DNS records are the string array dns.hosts ("IP HOSTNAME [# comment]"): GET /api/config/dns/hosts,
//   PUT /api/config/dns/hosts/<url-encoded entry> adds (201; 400 "Item already present" for a duplicate),
//   DELETE the same path removes (204; 404 when absent). Entries this adapter writes end with the comment
//   `# managed-by n8n-nodes-homelab`; any other entry is the user's and is never changed. CNAME records live in
//   dns.cnameRecords ("alias,target[,ttl]"), which has no room for a marker, so only A and AAAA are managed.

export const PIHOLE_MARKER = '# managed-by n8n-nodes-homelab';

export interface PiholeConnection {
	/** e.g. http://pi.hole or https://192.168.1.2 (no /admin) */
	url: string;
	/** the web password or an app password (the latter needs webserver.api.app_sudo = true to change records) */
	password: string;
	/** when set, names outside this domain are refused */
	domain?: string;
	/** keep the session between operations instead of logging out after each (uses one of Pi-hole's few seats) */
	keepSession?: boolean;
	timeoutMs?: number;
}

interface HostEntry {
	raw: string;
	ip: string;
	names: string[];
	owned: boolean;
}

const typeOf = (ip: string): RecordType | undefined =>
	isIP(ip) === 4 ? 'A' : isIP(ip) === 6 ? 'AAAA' : undefined;

export function parseHostEntry(raw: string): HostEntry | undefined {
	const [content, ...comment] = raw.split('#');
	const [ip, ...names] = content.trim().split(/[ \t]+/);
	if (!ip || !typeOf(ip) || names.length === 0) return undefined;
	return {
		raw,
		ip,
		names: names.map(normalizeName),
		owned: comment.length > 0 && `#${comment.join('#')}`.trim() === PIHOLE_MARKER,
	};
}

/** Pi-hole's error body {"error": {"key", "message", "hint"}} in words. */
function piholeReason(response: JsonResponse): string {
	const error = (response.body as { error?: { message?: unknown; hint?: unknown } } | undefined)?.error;
	if (error && typeof error.message === 'string') {
		return typeof error.hint === 'string' && error.hint ? `${error.message} (${error.hint})` : error.message;
	}
	return response.text.trim().slice(0, 300) || `HTTP ${response.status}`;
}

export class PiholeRecordProvider implements RecordProvider {
	readonly description: string;
	private readonly base: URL;
	private sid: string | null | undefined;

	constructor(private readonly connection: PiholeConnection) {
		this.base = new URL(connection.url);
		this.description = `Pi-hole at ${this.base.origin}`;
	}

	async list(): Promise<DnsRecord[]> {
		return await this.session(async () =>
			(await this.entries())
				.filter((entry) => entry.owned)
				.flatMap((entry) =>
					entry.names.map((name) => ({ name, type: typeOf(entry.ip) as RecordType, value: entry.ip })),
				),
		);
	}

	async upsert(record: DnsRecord): Promise<ChangeResult> {
		const name = normalizeName(record.name);
		this.checkName(name);
		if (record.type !== 'A' && record.type !== 'AAAA') {
			throw new EdgeError(
				'invalid',
				`${this.description}: only A and AAAA records can be managed (Pi-hole's CNAME records carry no ownership marker)`,
			);
		}
		const ip = record.value.trim();
		if (typeOf(ip) !== record.type) {
			throw new EdgeError(
				'invalid',
				`${record.type} record for ${name}: "${record.value}" is not an IPv${record.type === 'A' ? '4' : '6'} address`,
			);
		}
		return await this.session(async () => {
			const entries = (await this.entries()).filter(
				(entry) => entry.names.includes(name) && typeOf(entry.ip) === record.type,
			);
			const foreign = entries.find((entry) => !entry.owned);
			if (foreign) {
				throw new EdgeError(
					'conflict',
					`${this.description}: ${name} already has the local DNS record "${foreign.raw}" this node does not manage; remove it there or choose another hostname`,
				);
			}
			const wanted = `${ip} ${name} ${PIHOLE_MARKER}`;
			if (entries.length === 1 && entries[0].raw === wanted) return { changed: false };
			// add the new entry before removing the old one, so the name never stops resolving
			if (!entries.some((entry) => entry.raw === wanted)) await this.change('PUT', wanted, `add ${wanted}`);
			for (const stale of entries.filter((entry) => entry.raw !== wanted)) {
				await this.change('DELETE', stale.raw, `remove the old entry "${stale.raw}"`);
			}
			return { changed: true };
		});
	}

	async remove(name: string, type: RecordType): Promise<ChangeResult> {
		const normalized = normalizeName(name);
		return await this.session(async () => {
			const owned = (await this.entries()).filter(
				(entry) => entry.owned && entry.names.includes(normalized) && typeOf(entry.ip) === type,
			);
			for (const entry of owned) await this.change('DELETE', entry.raw, `remove "${entry.raw}"`);
			return { changed: owned.length > 0 };
		});
	}

	/** Ends the session on Pi-hole (frees its seat); safe to call when none is open. */
	async logout(): Promise<void> {
		const sid = this.sid;
		this.sid = undefined;
		if (!sid) return;
		try {
			await this.raw('DELETE', '/api/auth', undefined, sid);
		} catch {
			// the session expires on its own after its validity
		}
	}

	private checkName(name: string): void {
		if (!isValidHostname(name)) throw new EdgeError('invalid', `invalid record name "${name}"`);
		const domain = this.connection.domain ? normalizeName(this.connection.domain) : undefined;
		if (domain && name !== domain && !name.endsWith(`.${domain}`)) {
			throw new EdgeError('invalid', `${name} is outside the lab domain ${domain}`);
		}
	}

	private async session<T>(work: () => Promise<T>): Promise<T> {
		try {
			return await work();
		} finally {
			if (!this.connection.keepSession) await this.logout();
		}
	}

	private async login(): Promise<void> {
		const response = await this.raw('POST', '/api/auth', { password: this.connection.password });
		if (response.status === 401) {
			throw new EdgeError('auth', `${this.description} refused the password (HTTP 401)`, 401);
		}
		if (response.status === 429) {
			throw new EdgeError(
				'provider',
				`${this.description} refused a new session: ${piholeReason(response)}; log out unused sessions or raise webserver.api.max_sessions`,
				429,
			);
		}
		const session = (response.body as { session?: { valid?: boolean; sid?: string | null } } | undefined)
			?.session;
		if (response.status !== 200 || !session?.valid) {
			throw new EdgeError(
				'auth',
				`${this.description} did not open a session: HTTP ${response.status}: ${piholeReason(response)}`,
				response.status,
			);
		}
		this.sid = session.sid ?? null; // null: Pi-hole has no password set
	}

	/** One authenticated call; a 401 (session expired, Pi-hole restarted) logs in again and retries once. */
	private async call(method: string, path: string): Promise<JsonResponse> {
		if (this.sid === undefined) await this.login();
		let response = await this.raw(method, path, undefined, this.sid ?? undefined);
		if (response.status === 401) {
			this.sid = undefined;
			await this.login();
			response = await this.raw(method, path, undefined, this.sid ?? undefined);
		}
		if (response.status === 401 || response.status === 403) {
			throw new EdgeError(
				'auth',
				`${this.description} refused the change: HTTP ${response.status}: ${piholeReason(response)}`,
				response.status,
			);
		}
		return response;
	}

	private async raw(method: string, path: string, body?: unknown, sid?: string): Promise<JsonResponse> {
		return await requestJson(
			this.description,
			new URL(path, this.base),
			method,
			body,
			sid ? { 'x-ftl-sid': sid } : {},
			this.connection.timeoutMs,
		);
	}

	private async entries(): Promise<HostEntry[]> {
		const response = await this.call('GET', '/api/config/dns/hosts');
		if (response.status !== 200) {
			throw new EdgeError(
				'provider',
				`${this.description} refused to list local DNS records: HTTP ${response.status}: ${piholeReason(response)}`,
				response.status,
			);
		}
		const hosts = (response.body as { config?: { dns?: { hosts?: unknown } } } | undefined)?.config?.dns
			?.hosts;
		if (!Array.isArray(hosts)) {
			throw new EdgeError(
				'provider',
				`${this.description} answered without config.dns.hosts: is it Pi-hole v6?`,
			);
		}
		return hosts
			.filter((entry): entry is string => typeof entry === 'string')
			.map(parseHostEntry)
			.filter((entry) => entry !== undefined);
	}

	private async change(method: 'PUT' | 'DELETE', entry: string, what: string): Promise<void> {
		const response = await this.call(method, `/api/config/dns/hosts/${encodeURIComponent(entry)}`);
		if (response.status >= 200 && response.status < 300) return;
		if (method === 'DELETE' && response.status === 404) return; // already gone: what was wanted
		throw new EdgeError(
			'provider',
			`${this.description} refused to ${what}: HTTP ${response.status}: ${piholeReason(response)}`,
			response.status,
		);
	}
}
