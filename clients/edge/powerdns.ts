import { requestJson, serverReason, type JsonResponse } from './http-json';
import {
	EdgeError,
	isValidHostname,
	normalizeName,
	type ChangeResult,
	type DnsRecord,
	type RecordProvider,
	type RecordType,
} from './types';

// The PowerDNS Authoritative HTTP API (doc.powerdns.com/authoritative/http-api/zone.html): a zone's rrsets are
// read with GET .../zones/<zone> and changed with PATCH {rrsets: [{changetype: REPLACE|DELETE}]}. Records this
// adapter writes carry a comment with account `n8n-nodes-homelab` (comments are per rrset and survive restarts
// in the backend); rrsets without it belong to the user and are never changed.

export const POWERDNS_OWNER_ACCOUNT = 'n8n-nodes-homelab';

export interface PowerDnsConnection {
	/** the API base, e.g. http://127.0.0.1:8081 */
	apiUrl: string;
	apiKey: string;
	/** the zone records live in, e.g. lab.test */
	zone: string;
	/** PowerDNS' server id, "localhost" unless configured otherwise */
	serverId?: string;
	defaultTtl?: number;
	timeoutMs?: number;
}

interface RrSet {
	name: string;
	type: string;
	ttl?: number;
	records?: { content: string; disabled?: boolean }[];
	comments?: { content: string; account?: string }[];
}

const TYPES: RecordType[] = ['A', 'AAAA', 'CNAME'];

const fqdn = (name: string) => `${normalizeName(name)}.`;

export class PowerDnsRecordProvider implements RecordProvider {
	readonly description: string;
	private readonly base: URL;
	private readonly zone: string;

	constructor(private readonly connection: PowerDnsConnection) {
		this.base = new URL(connection.apiUrl);
		this.zone = normalizeName(connection.zone);
		this.description = `PowerDNS at ${this.base.origin} (zone ${this.zone})`;
	}

	async list(): Promise<DnsRecord[]> {
		return (await this.rrsets()).filter(isOwned).flatMap(toRecords);
	}

	async upsert(record: DnsRecord): Promise<ChangeResult> {
		const name = normalizeName(record.name);
		this.checkName(name);
		if (!TYPES.includes(record.type))
			throw new EdgeError('invalid', `unsupported record type "${record.type}"`);
		const content = record.type === 'CNAME' ? fqdn(record.value) : record.value.trim();
		const ttl = record.ttl ?? this.connection.defaultTtl ?? 300;
		const existing = (await this.rrsets()).find(
			(rrset) => rrset.name === fqdn(name) && rrset.type === record.type,
		);
		if (existing && !isOwned(existing)) {
			throw new EdgeError(
				'conflict',
				`${this.description}: ${name} already has a ${record.type} record this node does not manage ` +
					`(${existing.records?.map((r) => r.content).join(', ')}); remove it there or choose another hostname`,
			);
		}
		const contents = existing?.records?.map((r) => r.content) ?? [];
		if (existing && existing.ttl === ttl && contents.length === 1 && contents[0] === content)
			return { changed: false };
		await this.patch(
			{
				name: fqdn(name),
				type: record.type,
				ttl,
				changetype: 'REPLACE',
				records: [{ content, disabled: false }],
				comments: [{ content: 'managed by n8n-nodes-homelab', account: POWERDNS_OWNER_ACCOUNT }],
			},
			`write ${record.type} ${name}`,
		);
		return { changed: true };
	}

	async remove(name: string, type: RecordType): Promise<ChangeResult> {
		const existing = (await this.rrsets()).find((rrset) => rrset.name === fqdn(name) && rrset.type === type);
		if (!existing || !isOwned(existing)) return { changed: false };
		await this.patch(
			{ name: fqdn(name), type, changetype: 'DELETE' },
			`delete ${type} ${normalizeName(name)}`,
		);
		return { changed: true };
	}

	private checkName(name: string): void {
		if (!isValidHostname(name)) throw new EdgeError('invalid', `invalid record name "${name}"`);
		if (name !== this.zone && !name.endsWith(`.${this.zone}`)) {
			throw new EdgeError('invalid', `${name} is outside the zone ${this.zone} of ${this.description}`);
		}
	}

	private zonePath(): string {
		const server = encodeURIComponent(this.connection.serverId ?? 'localhost');
		return `/api/v1/servers/${server}/zones/${encodeURIComponent(fqdn(this.zone))}`;
	}

	private async rrsets(): Promise<RrSet[]> {
		const response = await this.call('GET', this.zonePath());
		this.check(response, 'read the zone');
		return ((response.body as { rrsets?: RrSet[] }).rrsets ?? []).map((rrset) => ({
			...rrset,
			name: rrset.name.toLowerCase(),
		}));
	}

	private async patch(rrset: Record<string, unknown>, what: string): Promise<void> {
		this.check(await this.call('PATCH', this.zonePath(), { rrsets: [rrset] }), what);
	}

	private async call(method: string, path: string, body?: unknown): Promise<JsonResponse> {
		return await requestJson(
			this.description,
			new URL(path, this.base),
			method,
			body,
			{ 'x-api-key': this.connection.apiKey },
			this.connection.timeoutMs,
		);
	}

	private check(response: JsonResponse, what: string): void {
		if (response.status >= 200 && response.status < 300) return;
		if (response.status === 401 || response.status === 403) {
			throw new EdgeError(
				'auth',
				`${this.description} refused the API key (HTTP ${response.status})`,
				response.status,
			);
		}
		const hint = response.status === 404 ? ` (does the zone ${this.zone} exist?)` : '';
		throw new EdgeError(
			'provider',
			`${this.description} refused to ${what}: HTTP ${response.status}: ${serverReason(response)}${hint}`,
			response.status,
		);
	}
}

function isOwned(rrset: RrSet): boolean {
	return (rrset.comments ?? []).some((comment) => comment.account === POWERDNS_OWNER_ACCOUNT);
}

function toRecords(rrset: RrSet): DnsRecord[] {
	if (!TYPES.includes(rrset.type as RecordType)) return [];
	return (rrset.records ?? []).map((record) => ({
		name: normalizeName(rrset.name),
		type: rrset.type as RecordType,
		value: rrset.type === 'CNAME' ? normalizeName(record.content) : record.content,
		ttl: rrset.ttl,
	}));
}
