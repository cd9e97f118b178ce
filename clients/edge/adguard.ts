import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';

import { describeError } from '../../shared/errors';
import { writeFileAtomic } from './atomic-file';
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

// AdGuard Home's DNS rewrites (openapi/openapi.yaml in AdguardTeam/AdGuardHome, /control/rewrite/*): GET list,
// POST add {domain, answer}, POST delete {domain, answer} (removes every equal entry), PUT update {target, update};
// HTTP basic auth with a web user, 401 otherwise. The answer decides the record type: an IPv4 address is an A
// record, IPv6 AAAA, a host name a CNAME. Rewrites carry no comment or owner, so which ones this node wrote is
// kept in a ledger file (JSON, written atomically): an entry is ours only while it is both in the ledger and on
// the server; everything else is the user's and is never changed. AdGuard Home accepts the same rewrite twice
// (AdGuardHome#4585), so every write checks the list first.

export interface AdGuardConnection {
	/** e.g. http://192.168.1.2:3000 */
	url: string;
	username: string;
	password: string;
	/** the ledger of rewrites this node wrote, e.g. ~/.n8n/homelab/adguard-rewrites.json (one file may serve several servers) */
	ledgerFile: string;
	/** when set, names outside this domain are refused */
	domain?: string;
	timeoutMs?: number;
}

interface Rewrite {
	domain: string;
	answer: string;
	enabled?: boolean;
}

interface Ledger {
	version: 1;
	/** per server origin, the rewrites this node wrote */
	servers: Record<string, { domain: string; answer: string }[]>;
}

export function rewriteType(answer: string): RecordType | undefined {
	if (answer === 'A' || answer === 'AAAA') return undefined; // "keep the upstream answer" keywords
	if (isIP(answer) === 4) return 'A';
	if (isIP(answer) === 6) return 'AAAA';
	return isValidHostname(answer) ? 'CNAME' : undefined;
}

const same = (a: { domain: string; answer: string }, b: { domain: string; answer: string }) =>
	normalizeName(a.domain) === normalizeName(b.domain) && a.answer === b.answer;

export class AdGuardRecordProvider implements RecordProvider {
	readonly description: string;
	private readonly base: URL;

	constructor(private readonly connection: AdGuardConnection) {
		this.base = new URL(connection.url);
		this.description = `AdGuard Home at ${this.base.origin}`;
	}

	async list(): Promise<DnsRecord[]> {
		const { owned } = await this.state();
		return owned.flatMap((rewrite) => {
			const type = rewriteType(rewrite.answer);
			return type ? [{ name: normalizeName(rewrite.domain), type, value: rewrite.answer }] : [];
		});
	}

	async upsert(record: DnsRecord): Promise<ChangeResult> {
		const name = normalizeName(record.name);
		this.checkName(name);
		const answer = record.type === 'CNAME' ? normalizeName(record.value) : record.value.trim();
		if (rewriteType(answer) !== record.type) {
			throw new EdgeError(
				'invalid',
				`${record.type} record for ${name}: "${record.value}" is not ${record.type === 'CNAME' ? 'a host name' : `an IPv${record.type === 'A' ? '4' : '6'} address`}`,
			);
		}
		const { owned, foreign } = await this.state();
		const clash = foreign.find(
			(rewrite) => normalizeName(rewrite.domain) === name && rewriteType(rewrite.answer) === record.type,
		);
		if (clash) {
			throw new EdgeError(
				'conflict',
				`${this.description}: ${name} already has the rewrite ${clash.domain} -> ${clash.answer} this node does not manage; remove it there or choose another hostname`,
			);
		}
		const mine = owned.filter(
			(rewrite) => normalizeName(rewrite.domain) === name && rewriteType(rewrite.answer) === record.type,
		);
		const wanted = { domain: name, answer };
		if (mine.length === 1 && same(mine[0], wanted) && mine[0].enabled !== false) return { changed: false };
		// the ledger learns of the entry before the server has it: a crash in between leaves a ledger line
		// without a rewrite (dropped on the next read), never a rewrite nobody owns
		await this.rememberAlso(wanted);
		try {
			const [first, ...rest] = mine;
			if (first) {
				await this.post(
					'PUT',
					'/control/rewrite/update',
					{
						target: {
							domain: first.domain,
							answer: first.answer,
							...(first.enabled === undefined ? {} : { enabled: first.enabled }),
						},
						update: { ...wanted, ...(first.enabled === undefined ? {} : { enabled: true }) },
					},
					`update the rewrite for ${name}`,
				);
			} else {
				await this.post('POST', '/control/rewrite/add', wanted, `add the rewrite ${name} -> ${answer}`);
			}
			for (const stale of rest.filter((rewrite) => !same(rewrite, wanted))) {
				await this.post(
					'POST',
					'/control/rewrite/delete',
					{ domain: stale.domain, answer: stale.answer },
					`remove the old rewrite ${stale.domain} -> ${stale.answer}`,
				);
			}
		} finally {
			// best effort: a ledger line whose rewrite is not on the server is ignored anyway
			await this.syncLedger().catch(() => undefined);
		}
		return { changed: true };
	}

	async remove(name: string, type: RecordType): Promise<ChangeResult> {
		const normalized = normalizeName(name);
		const { owned } = await this.state();
		const mine = owned.filter(
			(rewrite) => normalizeName(rewrite.domain) === normalized && rewriteType(rewrite.answer) === type,
		);
		try {
			for (const rewrite of mine) {
				await this.post(
					'POST',
					'/control/rewrite/delete',
					{ domain: rewrite.domain, answer: rewrite.answer },
					`remove the rewrite ${rewrite.domain} -> ${rewrite.answer}`,
				);
			}
		} finally {
			if (mine.length > 0) await this.syncLedger().catch(() => undefined);
		}
		return { changed: mine.length > 0 };
	}

	private checkName(name: string): void {
		if (!isValidHostname(name)) throw new EdgeError('invalid', `invalid record name "${name}"`);
		const domain = this.connection.domain ? normalizeName(this.connection.domain) : undefined;
		if (domain && name !== domain && !name.endsWith(`.${domain}`)) {
			throw new EdgeError('invalid', `${name} is outside the lab domain ${domain}`);
		}
	}

	/** The server's rewrites split into ours (in the ledger) and the user's. */
	private async state(): Promise<{ owned: Rewrite[]; foreign: Rewrite[] }> {
		const rewrites = await this.rewrites();
		const ledger = (await this.readLedger()).servers[this.base.origin] ?? [];
		const owned = rewrites.filter((rewrite) => ledger.some((entry) => same(entry, rewrite)));
		return { owned, foreign: rewrites.filter((rewrite) => !owned.includes(rewrite)) };
	}

	private async rewrites(): Promise<Rewrite[]> {
		const response = await this.call('GET', '/control/rewrite/list');
		this.check(response, 'list the DNS rewrites');
		if (!Array.isArray(response.body)) {
			throw new EdgeError(
				'provider',
				`${this.description} answered the rewrite list with something that is not a list`,
			);
		}
		return response.body as Rewrite[];
	}

	private async readLedger(): Promise<Ledger> {
		let text: string;
		try {
			text = await readFile(this.connection.ledgerFile, 'utf8');
		} catch (error) {
			if ((error as { code?: string }).code === 'ENOENT') return { version: 1, servers: {} };
			throw new EdgeError(
				'provider',
				`cannot read the AdGuard ledger ${this.connection.ledgerFile}: ${describeError(error)}`,
			);
		}
		try {
			const ledger = JSON.parse(text) as Ledger;
			if (ledger.version !== 1 || typeof ledger.servers !== 'object' || ledger.servers === null)
				throw new Error('unknown layout');
			return ledger;
		} catch (error) {
			throw new EdgeError(
				'provider',
				`the AdGuard ledger ${this.connection.ledgerFile} is not valid (${describeError(error)}); fix it, or remove it to manage no existing rewrites`,
			);
		}
	}

	private async writeLedger(entries: { domain: string; answer: string }[]): Promise<void> {
		const ledger = await this.readLedger();
		ledger.servers[this.base.origin] = entries;
		try {
			await writeFileAtomic(this.connection.ledgerFile, `${JSON.stringify(ledger, null, '\t')}\n`, 0o600);
		} catch (error) {
			throw new EdgeError(
				'provider',
				`cannot write the AdGuard ledger ${this.connection.ledgerFile}: ${describeError(error)}`,
			);
		}
	}

	private async rememberAlso(entry: { domain: string; answer: string }): Promise<void> {
		const current = (await this.readLedger()).servers[this.base.origin] ?? [];
		if (!current.some((known) => same(known, entry))) await this.writeLedger([...current, entry]);
	}

	/** Keeps in the ledger exactly the remembered rewrites the server still has. */
	private async syncLedger(): Promise<void> {
		const rewrites = await this.rewrites();
		const current = (await this.readLedger()).servers[this.base.origin] ?? [];
		await this.writeLedger(current.filter((entry) => rewrites.some((rewrite) => same(entry, rewrite))));
	}

	private async post(method: string, path: string, body: unknown, what: string): Promise<void> {
		this.check(await this.call(method, path, body), what);
	}

	private async call(method: string, path: string, body?: unknown): Promise<JsonResponse> {
		const credentials = Buffer.from(`${this.connection.username}:${this.connection.password}`).toString(
			'base64',
		);
		return await requestJson(
			this.description,
			new URL(path, this.base),
			method,
			body,
			{ authorization: `Basic ${credentials}` },
			this.connection.timeoutMs,
		);
	}

	private check(response: JsonResponse, what: string): void {
		if (response.status >= 200 && response.status < 300) return;
		if (response.status === 401 || response.status === 403) {
			throw new EdgeError(
				'auth',
				`${this.description} refused the user "${this.connection.username}" (HTTP ${response.status}): check the user name and password`,
				response.status,
			);
		}
		const reason = response.text.trim().slice(0, 300) || `HTTP ${response.status}`;
		throw new EdgeError(
			'provider',
			`${this.description} refused to ${what}: HTTP ${response.status}: ${reason}`,
			response.status,
		);
	}
}
