import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

// The DNS wire format (RFC 1035 section 4), as far as dynamic updates (RFC 2136) and zone transfers need it,
// and TSIG (RFC 8945): the MAC over the message plus the TSIG variables, the response MAC chained to the
// request MAC (section 5.3), and the timers-only MAC of later messages of a multi-message answer (5.3.1).

export const TYPE = {
	A: 1,
	NS: 2,
	CNAME: 5,
	SOA: 6,
	TXT: 16,
	AAAA: 28,
	TSIG: 250,
	AXFR: 252,
	ANY: 255,
} as const;
export const CLASS = { IN: 1, NONE: 254, ANY: 255 } as const;
export const OPCODE = { QUERY: 0, UPDATE: 5 } as const;

export const RCODE_NAMES: Record<number, string> = {
	0: 'NOERROR',
	1: 'FORMERR',
	2: 'SERVFAIL',
	3: 'NXDOMAIN',
	4: 'NOTIMP',
	5: 'REFUSED',
	6: 'YXDOMAIN',
	7: 'YXRRSET',
	8: 'NXRRSET',
	9: 'NOTAUTH',
	10: 'NOTZONE',
	16: 'BADSIG',
	17: 'BADKEY',
	18: 'BADTIME',
};

export interface ResourceRecord {
	name: string;
	type: number;
	class: number;
	ttl: number;
	rdata: Buffer;
	/** the record's data in text form for A, AAAA, CNAME, NS and TXT (strings joined by a space) */
	value?: string;
}

export interface Question {
	name: string;
	type: number;
	class: number;
}

export interface DnsMessage {
	id: number;
	flags: number;
	questions: Question[];
	/** answers; the prerequisite section of an UPDATE */
	answers: ResourceRecord[];
	/** authority; the update section of an UPDATE */
	authority: ResourceRecord[];
	additional: ResourceRecord[];
}

export interface TsigKey {
	name: string;
	/** e.g. hmac-sha256 */
	algorithm: string;
	secret: Buffer;
}

const HASHES: Record<string, string> = {
	'hmac-sha1': 'sha1',
	'hmac-sha224': 'sha224',
	'hmac-sha256': 'sha256',
	'hmac-sha384': 'sha384',
	'hmac-sha512': 'sha512',
};

export const rcodeOf = (message: DnsMessage) => message.flags & 0xf;

/** A name in uncompressed wire form; lower-cased when canonical (TSIG variables). */
export function encodeName(name: string, canonical = false): Buffer {
	const trimmed = name.replace(/\.$/, '');
	const labels = trimmed === '' ? [] : trimmed.split('.');
	const parts: Buffer[] = [];
	for (const label of labels) {
		const bytes = Buffer.from(canonical ? label.toLowerCase() : label, 'ascii');
		if (bytes.length === 0 || bytes.length > 63) throw new Error(`invalid DNS label in "${name}"`);
		parts.push(Buffer.from([bytes.length]), bytes);
	}
	parts.push(Buffer.from([0]));
	return Buffer.concat(parts);
}

function decodeName(buffer: Buffer, start: number): { name: string; end: number } {
	const labels: string[] = [];
	let offset = start;
	let end = -1;
	for (let jumps = 0; jumps < 128; jumps++) {
		const length = buffer.readUInt8(offset);
		if (length === 0) {
			return { name: labels.join('.'), end: end === -1 ? offset + 1 : end };
		}
		if ((length & 0xc0) === 0xc0) {
			if (end === -1) end = offset + 2;
			offset = buffer.readUInt16BE(offset) & 0x3fff;
			continue;
		}
		labels.push(buffer.toString('ascii', offset + 1, offset + 1 + length));
		offset += 1 + length;
	}
	throw new Error('DNS name compression loop');
}

/** The canonical text form of an IPv6 address (lower case, zeros compressed). */
export const canonicalIpv6 = (address: string) => new URL(`http://[${address}]`).hostname.slice(1, -1);

function ipv6Bytes(address: string): Buffer {
	const [head, tail] = canonicalIpv6(address).split('::');
	const groups = (part: string | undefined) => (part ? part.split(':') : []);
	const left = groups(head);
	const right = groups(tail);
	const all =
		tail === undefined
			? left
			: [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
	return Buffer.from(all.flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]));
}

/** The rdata of an A, AAAA, CNAME or TXT record from its text form. */
export function encodeRdata(type: number, value: string): Buffer {
	if (type === TYPE.A) {
		if (isIP(value) !== 4) throw new Error(`"${value}" is not an IPv4 address`);
		return Buffer.from(value.split('.').map(Number));
	}
	if (type === TYPE.AAAA) {
		if (isIP(value) !== 6) throw new Error(`"${value}" is not an IPv6 address`);
		return ipv6Bytes(value);
	}
	if (type === TYPE.CNAME) return encodeName(value);
	if (type === TYPE.TXT) {
		const text = Buffer.from(value, 'utf8');
		if (text.length > 255) throw new Error('TXT string longer than 255 bytes');
		return Buffer.concat([Buffer.from([text.length]), text]);
	}
	throw new Error(`cannot encode records of type ${type}`);
}

function decodeValue(buffer: Buffer, type: number, start: number, length: number): string | undefined {
	const rdata = buffer.subarray(start, start + length);
	if (type === TYPE.A && length === 4) return [...rdata].join('.');
	if (type === TYPE.AAAA && length === 16) {
		const groups: string[] = [];
		for (let index = 0; index < 16; index += 2) groups.push(rdata.readUInt16BE(index).toString(16));
		return canonicalIpv6(groups.join(':'));
	}
	if (type === TYPE.CNAME || type === TYPE.NS) return decodeName(buffer, start).name;
	if (type === TYPE.TXT) {
		const strings: string[] = [];
		for (let offset = 0; offset < length; offset += 1 + rdata[offset]) {
			strings.push(rdata.toString('utf8', offset + 1, offset + 1 + rdata[offset]));
		}
		return strings.join(' ');
	}
	return undefined;
}

function encodeRecord(record: ResourceRecord): Buffer {
	const fixed = Buffer.alloc(10);
	fixed.writeUInt16BE(record.type, 0);
	fixed.writeUInt16BE(record.class, 2);
	fixed.writeUInt32BE(record.ttl, 4);
	fixed.writeUInt16BE(record.rdata.length, 8);
	return Buffer.concat([encodeName(record.name), fixed, record.rdata]);
}

export function encodeMessage(message: DnsMessage): Buffer {
	const header = Buffer.alloc(12);
	header.writeUInt16BE(message.id, 0);
	header.writeUInt16BE(message.flags, 2);
	header.writeUInt16BE(message.questions.length, 4);
	header.writeUInt16BE(message.answers.length, 6);
	header.writeUInt16BE(message.authority.length, 8);
	header.writeUInt16BE(message.additional.length, 10);
	const questions = message.questions.map((question) => {
		const fixed = Buffer.alloc(4);
		fixed.writeUInt16BE(question.type, 0);
		fixed.writeUInt16BE(question.class, 2);
		return Buffer.concat([encodeName(question.name), fixed]);
	});
	return Buffer.concat([
		header,
		...questions,
		...[...message.answers, ...message.authority, ...message.additional].map(encodeRecord),
	]);
}

/** Decodes a message; `tsigOffset` is where its TSIG record starts, when it ends with one. */
export function decodeMessage(buffer: Buffer): DnsMessage & { tsigOffset?: number } {
	const counts = [4, 6, 8, 10].map((at) => buffer.readUInt16BE(at));
	let offset = 12;
	const questions: Question[] = [];
	for (let index = 0; index < counts[0]; index++) {
		const { name, end } = decodeName(buffer, offset);
		questions.push({ name, type: buffer.readUInt16BE(end), class: buffer.readUInt16BE(end + 2) });
		offset = end + 4;
	}
	const sections: ResourceRecord[][] = [[], [], []];
	let tsigOffset: number | undefined;
	for (let section = 0; section < 3; section++) {
		for (let index = 0; index < counts[section + 1]; index++) {
			const start = offset;
			const { name, end } = decodeName(buffer, offset);
			const type = buffer.readUInt16BE(end);
			const length = buffer.readUInt16BE(end + 8);
			const rdataStart = end + 10;
			if (rdataStart + length > buffer.length) throw new Error('truncated DNS message');
			sections[section].push({
				name,
				type,
				class: buffer.readUInt16BE(end + 2),
				ttl: buffer.readUInt32BE(end + 4),
				rdata: buffer.subarray(rdataStart, rdataStart + length),
				value: decodeValue(buffer, type, rdataStart, length),
			});
			if (type === TYPE.TSIG) tsigOffset = start;
			offset = rdataStart + length;
		}
	}
	return {
		id: buffer.readUInt16BE(0),
		flags: buffer.readUInt16BE(2),
		questions,
		answers: sections[0],
		authority: sections[1],
		additional: sections[2],
		tsigOffset,
	};
}

interface TsigFields {
	algorithm: string;
	timeSigned: number;
	fudge: number;
	mac: Buffer;
	originalId: number;
	error: number;
	other: Buffer;
}

function timers(timeSigned: number, fudge: number): Buffer {
	const bytes = Buffer.alloc(8);
	bytes.writeUIntBE(timeSigned, 0, 6);
	bytes.writeUInt16BE(fudge, 6);
	return bytes;
}

function tsigVariables(key: TsigKey, fields: Omit<TsigFields, 'mac' | 'originalId'>): Buffer {
	const classTtl = Buffer.alloc(6);
	classTtl.writeUInt16BE(CLASS.ANY, 0);
	const tail = Buffer.alloc(4);
	tail.writeUInt16BE(fields.error, 0);
	tail.writeUInt16BE(fields.other.length, 2);
	return Buffer.concat([
		encodeName(key.name, true),
		classTtl,
		encodeName(fields.algorithm, true),
		timers(fields.timeSigned, fields.fudge),
		tail,
		fields.other,
	]);
}

function hmac(key: TsigKey, parts: Buffer[]): Buffer {
	const hash = HASHES[key.algorithm.toLowerCase().replace(/\.$/, '')];
	if (!hash) throw new Error(`unsupported TSIG algorithm "${key.algorithm}"`);
	const mac = createHmac(hash, key.secret);
	for (const part of parts) mac.update(part);
	return mac.digest();
}

const withLength = (mac: Buffer) => Buffer.concat([Buffer.from([mac.length >> 8, mac.length & 0xff]), mac]);

/** Appends a TSIG record to an encoded request; returns the signed bytes and the MAC (needed to check the answer). */
export function signRequest(request: Buffer, key: TsigKey, now = Date.now()): { bytes: Buffer; mac: Buffer } {
	const fields = {
		algorithm: key.algorithm,
		timeSigned: Math.floor(now / 1000),
		fudge: 300,
		error: 0,
		other: Buffer.alloc(0),
	};
	const mac = hmac(key, [request, tsigVariables(key, fields)]);
	const rdata = Buffer.concat([
		encodeName(fields.algorithm),
		timers(fields.timeSigned, fields.fudge),
		withLength(mac),
		Buffer.from([request[0], request[1], 0, 0, 0, 0]),
	]);
	const record = encodeRecord({ name: key.name, type: TYPE.TSIG, class: CLASS.ANY, ttl: 0, rdata });
	const bytes = Buffer.concat([request, record]);
	bytes.writeUInt16BE(request.readUInt16BE(10) + 1, 10);
	return { bytes, mac };
}

function parseTsig(buffer: Buffer, tsigOffset: number): TsigFields {
	const owner = decodeName(buffer, tsigOffset);
	let offset = owner.end + 10;
	const algorithm = decodeName(buffer, offset);
	offset = algorithm.end;
	const timeSigned = buffer.readUIntBE(offset, 6);
	const fudge = buffer.readUInt16BE(offset + 6);
	const macSize = buffer.readUInt16BE(offset + 8);
	const mac = buffer.subarray(offset + 10, offset + 10 + macSize);
	offset += 10 + macSize;
	const otherLength = buffer.readUInt16BE(offset + 4);
	return {
		algorithm: algorithm.name,
		timeSigned,
		fudge,
		mac,
		originalId: buffer.readUInt16BE(offset),
		error: buffer.readUInt16BE(offset + 2),
		other: buffer.subarray(offset + 6, offset + 6 + otherLength),
	};
}

/**
 * Checks the TSIG of one answer message. `priorMac` is the request MAC for the first message, else the MAC of
 * the last signed message; `unsigned` holds the messages received since without a TSIG (allowed in a transfer).
 * Returns the message's MAC, or throws with the reason (unsigned answer, TSIG error, wrong MAC, clock skew).
 */
export function verifyAnswer(
	buffer: Buffer,
	tsigOffset: number | undefined,
	key: TsigKey,
	priorMac: Buffer,
	first: boolean,
	unsigned: Buffer[] = [],
	now = Date.now(),
): Buffer {
	if (tsigOffset === undefined) throw new Error('the answer is not signed with TSIG');
	const fields = parseTsig(buffer, tsigOffset);
	if (fields.error !== 0) {
		throw new Error(`the server reports TSIG error ${RCODE_NAMES[fields.error] ?? fields.error}`);
	}
	const message = Buffer.from(buffer.subarray(0, tsigOffset));
	message.writeUInt16BE(fields.originalId, 0);
	message.writeUInt16BE(message.readUInt16BE(10) - 1, 10);
	const variables = first ? tsigVariables(key, fields) : timers(fields.timeSigned, fields.fudge);
	const expected = hmac(key, [withLength(priorMac), ...unsigned, message, variables]);
	if (expected.length !== fields.mac.length || !timingSafeEqual(expected, fields.mac)) {
		throw new Error('the answer has a wrong TSIG signature (BADSIG): is the key the same on both sides?');
	}
	if (Math.abs(now / 1000 - fields.timeSigned) > fields.fudge) {
		throw new Error('the answer was signed outside the allowed clock skew (BADTIME): check both clocks');
	}
	return fields.mac;
}
