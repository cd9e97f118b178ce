import { randomInt } from 'node:crypto';
import net from 'node:net';

import { describeError } from '../../shared/errors';
import {
	canonicalIpv6,
	CLASS,
	decodeMessage,
	encodeMessage,
	encodeRdata,
	OPCODE,
	RCODE_NAMES,
	rcodeOf,
	signRequest,
	TYPE,
	verifyAnswer,
	type DnsMessage,
	type ResourceRecord,
	type TsigKey,
} from './rfc2136-wire';
import {
	EdgeError,
	isValidHostname,
	normalizeName,
	type ChangeResult,
	type DnsRecord,
	type RecordProvider,
	type RecordType,
} from './types';

// The standards path to any real DNS server (bind9, Knot, PowerDNS, Technitium): RFC 2136 dynamic updates and
// AXFR zone transfers (RFC 5936), both over TCP and signed with a TSIG key (RFC 8945), every answer's signature
// checked. DNS records carry no comment, so ownership is a TXT record beside each name (as external-dns does):
// `_homelab-owner.<name>` holds "heritage=n8n-nodes-homelab,type=<A|AAAA|CNAME>" for each rrset this node wrote;
// an rrset without it is the user's and is never changed. Each update carries RFC 2136 prerequisites that make
// it apply only to the state just read (the rrset still absent, or our marker still there), so a change made by
// someone else in between makes the server refuse (YXRRSET/NXRRSET) instead of being overwritten.
// bind9 needs, per zone: `allow-update { key <name>; }; allow-transfer { key <name>; };`.

export const RFC2136_OWNER_PREFIX = '_homelab-owner.';
const marker = (type: RecordType) => `heritage=n8n-nodes-homelab,type=${type}`;
const MANAGED: Record<RecordType, number> = { A: TYPE.A, AAAA: TYPE.AAAA, CNAME: TYPE.CNAME };

export interface Rfc2136Connection {
	/** the primary server's address, e.g. 127.0.0.1 */
	server: string;
	port?: number;
	/** the zone records live in, e.g. lab.test */
	zone: string;
	/** the TSIG key: its name, algorithm (hmac-sha256 unless told) and base64 secret, as in bind's key {} block */
	keyName: string;
	keyAlgorithm?: string;
	keySecret: string;
	defaultTtl?: number;
	timeoutMs?: number;
}

interface ZoneState {
	records: ResourceRecord[];
	/** "name|type" of every rrset marked as ours */
	owned: Set<string>;
}

const key = (name: string, type: RecordType) => `${normalizeName(name)}|${type}`;

export class Rfc2136RecordProvider implements RecordProvider {
	readonly description: string;
	private readonly zone: string;
	private readonly tsig: TsigKey;

	constructor(private readonly connection: Rfc2136Connection) {
		this.zone = normalizeName(connection.zone);
		this.description = `DNS server ${connection.server}:${connection.port ?? 53} (zone ${this.zone}, RFC 2136)`;
		this.tsig = {
			name: connection.keyName,
			algorithm: connection.keyAlgorithm ?? 'hmac-sha256',
			secret: Buffer.from(connection.keySecret, 'base64'),
		};
	}

	async list(): Promise<DnsRecord[]> {
		const state = await this.read();
		return state.records.flatMap((record) => {
			const type = typeName(record.type);
			if (!type || !state.owned.has(key(record.name, type)) || record.value === undefined) return [];
			return [{ name: normalizeName(record.name), type, value: record.value, ttl: record.ttl }];
		});
	}

	async upsert(record: DnsRecord): Promise<ChangeResult> {
		const name = normalizeName(record.name);
		this.checkName(name);
		if (!(record.type in MANAGED)) throw new EdgeError('invalid', `unsupported record type "${record.type}"`);
		const value = normalizeValue(record);
		const ttl = record.ttl ?? this.connection.defaultTtl ?? 300;
		const state = await this.read();
		const atName = state.records.filter((existing) => normalizeName(existing.name) === name);
		const rrset = atName.filter((existing) => existing.type === MANAGED[record.type]);
		const owned = state.owned.has(key(name, record.type));
		if (rrset.length > 0 && !owned) {
			throw new EdgeError(
				'conflict',
				`${this.description}: ${name} already has a ${record.type} record this node does not manage (${rrset.map((r) => r.value).join(', ')}); remove it there or choose another hostname`,
			);
		}
		const cnameClash =
			record.type === 'CNAME'
				? atName.find((existing) => existing.type !== TYPE.CNAME)
				: atName.find((existing) => existing.type === TYPE.CNAME);
		if (cnameClash) {
			throw new EdgeError(
				'conflict',
				`${this.description}: ${name} has a ${typeName(cnameClash.type) ?? `type ${cnameClash.type}`} record, and a CNAME cannot share a name with other records`,
			);
		}
		if (owned && rrset.length === 1 && rrset[0].value === value && rrset[0].ttl === ttl)
			return { changed: false };
		const owner = RFC2136_OWNER_PREFIX + name;
		const wanted = {
			name,
			type: MANAGED[record.type],
			class: CLASS.IN,
			ttl,
			rdata: encodeRdata(MANAGED[record.type], value),
		};
		const empty = Buffer.alloc(0);
		if (owned) {
			await this.update(
				[{ name: owner, type: TYPE.TXT, class: CLASS.ANY, ttl: 0, rdata: empty }], // our marker is still there
				[{ name, type: MANAGED[record.type], class: CLASS.ANY, ttl: 0, rdata: empty }, wanted],
				`replace ${record.type} ${name}`,
			);
		} else {
			await this.update(
				[{ name, type: MANAGED[record.type], class: CLASS.NONE, ttl: 0, rdata: empty }], // still absent
				[
					wanted,
					{
						name: owner,
						type: TYPE.TXT,
						class: CLASS.IN,
						ttl,
						rdata: encodeRdata(TYPE.TXT, marker(record.type)),
					},
				],
				`add ${record.type} ${name}`,
			);
		}
		return { changed: true };
	}

	async remove(name: string, type: RecordType): Promise<ChangeResult> {
		const normalized = normalizeName(name);
		const state = await this.read();
		if (!state.owned.has(key(normalized, type))) return { changed: false };
		const owner = RFC2136_OWNER_PREFIX + normalized;
		const empty = Buffer.alloc(0);
		await this.update(
			[{ name: owner, type: TYPE.TXT, class: CLASS.ANY, ttl: 0, rdata: empty }],
			[
				{ name: normalized, type: MANAGED[type], class: CLASS.ANY, ttl: 0, rdata: empty },
				{
					name: owner,
					type: TYPE.TXT,
					class: CLASS.NONE,
					ttl: 0,
					rdata: encodeRdata(TYPE.TXT, marker(type)),
				},
			],
			`delete ${type} ${normalized}`,
		);
		return { changed: true };
	}

	private checkName(name: string): void {
		if (!isValidHostname(name)) throw new EdgeError('invalid', `invalid record name "${name}"`);
		if (name !== this.zone && !name.endsWith(`.${this.zone}`)) {
			throw new EdgeError('invalid', `${name} is outside the zone ${this.zone} of ${this.description}`);
		}
	}

	/** The whole zone by AXFR, with the set of rrsets our markers claim. */
	private async read(): Promise<ZoneState> {
		const request = encodeMessage({
			id: randomInt(0x10000),
			flags: OPCODE.QUERY << 11,
			questions: [{ name: this.zone, type: TYPE.AXFR, class: CLASS.IN }],
			answers: [],
			authority: [],
			additional: [],
		});
		const records = await this.exchange(request, 'transfer the zone', true);
		const owned = new Set<string>();
		for (const record of records) {
			const name = normalizeName(record.name);
			if (record.type !== TYPE.TXT || !name.startsWith(RFC2136_OWNER_PREFIX)) continue;
			for (const type of Object.keys(MANAGED) as RecordType[]) {
				if (record.value === marker(type)) owned.add(key(name.slice(RFC2136_OWNER_PREFIX.length), type));
			}
		}
		return {
			records: records.filter((record) => record.type !== TYPE.SOA || records.indexOf(record) === 0),
			owned,
		};
	}

	private async update(
		prerequisites: ResourceRecord[],
		updates: ResourceRecord[],
		what: string,
	): Promise<void> {
		const request = encodeMessage({
			id: randomInt(0x10000),
			flags: OPCODE.UPDATE << 11,
			questions: [{ name: this.zone, type: TYPE.SOA, class: CLASS.IN }],
			answers: prerequisites,
			authority: updates,
			additional: [],
		});
		await this.exchange(request, what, false);
	}

	/** Sends one signed request over TCP; returns the answer records (all messages of a transfer). */
	private async exchange(request: Buffer, what: string, transfer: boolean): Promise<ResourceRecord[]> {
		const { bytes, mac } = signRequest(request, this.tsig);
		const messages = await this.tcp(bytes, transfer, what);
		const records: ResourceRecord[] = [];
		let priorMac = mac;
		let unsigned: Buffer[] = [];
		for (const [index, buffer] of messages.entries()) {
			let message: DnsMessage & { tsigOffset?: number };
			try {
				message = decodeMessage(buffer);
			} catch (error) {
				throw new EdgeError(
					'provider',
					`${this.description}: unreadable answer to "${what}": ${describeError(error)}`,
				);
			}
			const rcode = rcodeOf(message);
			if (rcode !== 0) throw this.refusal(rcode, what, message);
			try {
				if (message.tsigOffset === undefined && index > 0 && index < messages.length - 1) {
					unsigned.push(buffer); // RFC 8945 5.3.1: intermediate messages may go unsigned
				} else {
					priorMac = verifyAnswer(buffer, message.tsigOffset, this.tsig, priorMac, index === 0, unsigned);
					unsigned = [];
				}
			} catch (error) {
				throw new EdgeError('auth', `${this.description}: ${describeError(error)} (answer to "${what}")`);
			}
			records.push(...message.answers.filter((record) => record.type !== TYPE.TSIG));
		}
		return records;
	}

	private refusal(rcode: number, what: string, message: DnsMessage): EdgeError {
		const tsigError = message.additional.find((record) => record.type === TYPE.TSIG);
		const name = RCODE_NAMES[rcode] ?? `rcode ${rcode}`;
		if (rcode === 9 || rcode === 5) {
			return new EdgeError(
				'auth',
				`${this.description} refused to ${what}: ${name}${tsigError ? ' (TSIG key not accepted: check its name, algorithm and secret)' : ''}; the key needs allow-update/allow-transfer for the zone`,
			);
		}
		if (rcode === 7 || rcode === 8) {
			return new EdgeError(
				'conflict',
				`${this.description} refused to ${what}: ${name}, the records changed meanwhile; run it again`,
			);
		}
		return new EdgeError('provider', `${this.description} refused to ${what}: ${name}`);
	}

	/** Writes a length-prefixed message and reads answers until one (update) or the closing SOA (transfer). */
	private async tcp(bytes: Buffer, transfer: boolean, what: string): Promise<Buffer[]> {
		const port = this.connection.port ?? 53;
		const timeoutMs = this.connection.timeoutMs ?? 10000;
		return await new Promise((resolve, reject) => {
			const socket = net.connect({ host: this.connection.server, port });
			const messages: Buffer[] = [];
			let pending = Buffer.alloc(0);
			let soaCount = 0;
			const finish = (error?: Error) => {
				socket.destroy();
				if (error) reject(error);
				else resolve(messages);
			};
			socket.setTimeout(timeoutMs, () =>
				finish(
					new EdgeError('unreachable', `${this.description}: no answer to "${what}" within ${timeoutMs} ms`),
				),
			);
			socket.on('error', (error) =>
				finish(new EdgeError('unreachable', `${this.description} is not reachable: ${describeError(error)}`)),
			);
			socket.on('connect', () => {
				const prefix = Buffer.alloc(2);
				prefix.writeUInt16BE(bytes.length);
				socket.write(Buffer.concat([prefix, bytes]));
			});
			socket.on('data', (chunk: Buffer) => {
				pending = Buffer.concat([pending, chunk]);
				while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
					const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
					pending = pending.subarray(2 + message.length);
					messages.push(message);
					let done = !transfer;
					if (transfer) {
						try {
							const decoded = decodeMessage(message);
							soaCount += decoded.answers.filter((record) => record.type === TYPE.SOA).length;
							done = rcodeOf(decoded) !== 0 || soaCount >= 2;
						} catch {
							done = true; // reported by the caller
						}
					}
					if (done) return finish();
				}
			});
			socket.on('end', () =>
				finish(
					messages.length > 0 && !transfer
						? undefined
						: new EdgeError('provider', `${this.description} closed the connection during "${what}"`),
				),
			);
		});
	}
}

function typeName(type: number): RecordType | undefined {
	return (Object.keys(MANAGED) as RecordType[]).find((name) => MANAGED[name] === type);
}

function normalizeValue(record: DnsRecord): string {
	const value = record.value.trim();
	const valid =
		record.type === 'A'
			? net.isIP(value) === 4
			: record.type === 'AAAA'
				? net.isIP(value) === 6
				: isValidHostname(value);
	if (!valid) {
		throw new EdgeError(
			'invalid',
			`${record.type} record for ${normalizeName(record.name)}: "${record.value}" is not ${record.type === 'CNAME' ? 'a host name' : `an IPv${record.type === 'A' ? '4' : '6'} address`}`,
		);
	}
	if (record.type === 'AAAA') return canonicalIpv6(value);
	return record.type === 'CNAME' ? normalizeName(value) : value;
}
