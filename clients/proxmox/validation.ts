// Checks the client makes before sending, with the limits the Proxmox VE API schema declares (pve-vmid,
// pve-node, pve-tokenid, pve-configid, the cloud-init `sshkeys` "urlencoded" format). Failing here gives a
// message that says what to fix instead of Proxmox's terse 400.
import { ProxmoxInputError } from './errors';

export const VMID_MIN = 100;
export const VMID_MAX = 999999999;

/** A VMID as the API accepts it: an integer in 100..999999999 (schema type pve-vmid). */
export function assertVmid(value: unknown, parameter = 'vmid'): number {
	const text = typeof value === 'string' ? value.trim() : value;
	const vmid = typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : text;
	if (typeof vmid !== 'number' || !Number.isInteger(vmid)) {
		throw new ProxmoxInputError(
			`${parameter} "${String(value)}" is not a VM ID`,
			parameter,
			'A VM ID is a whole number from 100 to 999999999',
		);
	}
	if (vmid < VMID_MIN || vmid > VMID_MAX) {
		throw new ProxmoxInputError(
			`${parameter} ${vmid} is out of range: Proxmox VM IDs go from ${VMID_MIN} to ${VMID_MAX}`,
			parameter,
			'IDs below 100 are reserved by Proxmox VE',
		);
	}
	return vmid;
}

const NODE_NAME =
	/^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;

/** A cluster node name (schema format pve-node): not empty, a DNS-style name. */
export function assertNodeName(value: unknown, parameter = 'node'): string {
	const node = typeof value === 'string' ? value.trim() : '';
	if (!node) {
		throw new ProxmoxInputError(
			`${parameter} is empty: name the Proxmox node (e.g. pve1)`,
			parameter,
			'Pick a node from the list or use the "Node → List" operation to see them',
		);
	}
	if (!NODE_NAME.test(node)) {
		throw new ProxmoxInputError(
			`"${node}" is not a valid Proxmox node name`,
			parameter,
			'A node name has letters, digits and dashes, like pve1',
		);
	}
	return node;
}

/** Snapshot names (schema format pve-configid): a letter, then letters, digits, _ or -; at most 40 characters. */
export function assertSnapshotName(value: unknown, parameter = 'snapname'): string {
	const name = typeof value === 'string' ? value.trim() : '';
	if (!/^[a-zA-Z][a-zA-Z0-9_-]{1,39}$/.test(name)) {
		throw new ProxmoxInputError(
			`Snapshot name "${String(value)}" is not valid`,
			parameter,
			'Start with a letter, then 1-39 letters, digits, "_" or "-" (no spaces or dots), e.g. before-upgrade',
		);
	}
	return name;
}

export interface TokenId {
	user: string;
	realm: string;
	tokenName: string;
	/** USER@REALM!TOKENNAME, as it goes into the Authorization header. */
	full: string;
}

/** Parses an API token id USER@REALM!TOKENNAME (schema pve-tokenid); accepts a pasted "PVEAPIToken=" prefix. */
export function parseTokenId(value: string): TokenId {
	const text = value.trim().replace(/^PVEAPIToken=/, '');
	const match = /^([^\s:/@!]+)@([A-Za-z][A-Za-z0-9.\-_]+)!([A-Za-z][A-Za-z0-9.\-_]+)$/.exec(text);
	if (!match) {
		throw new ProxmoxInputError(
			`Token ID "${value}" is not in the form USER@REALM!TOKENNAME`,
			'tokenId',
			'Copy the "Token ID" column of Datacenter → Permissions → API Tokens, e.g. root@pam!n8n; the secret goes in its own field',
		);
	}
	return { user: match[1], realm: match[2], tokenName: match[3], full: text };
}

/** Token secrets are UUIDs; anything else cannot be right (a pasted token id, a password). */
export function assertTokenSecret(value: string): string {
	const secret = value.trim();
	if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(secret)) {
		throw new ProxmoxInputError(
			'The token secret is not a UUID like 0b5c1d2e-…',
			'tokenSecret',
			'Proxmox shows the secret once when the token is created; create a new token if it is lost',
		);
	}
	return secret;
}

const SSH_KEY =
	/^(?:(?:[a-zA-Z0-9_.-]+(?:=(?:"[^"]*"|[^\s,]*))?,?)+\s+)?(ssh-rsa|ssh-ed25519|ssh-dss|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)\s+([A-Za-z0-9+/]+={0,3})(?:\s+.*)?$/;

/** The public keys of an authorized_keys text, one per line, each checked; blank lines and # comments dropped. */
export function parseSshKeys(text: string): string[] {
	const keys = text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line && !line.startsWith('#'));
	if (keys.length === 0) {
		throw new ProxmoxInputError(
			'No SSH public key given',
			'sshkeys',
			'Paste one OpenSSH public key per line, e.g. ssh-ed25519 AAAAC3Nza… user@host',
		);
	}
	keys.forEach((key, index) => {
		const match = SSH_KEY.exec(key);
		if (!match || match[2].length < 16) {
			const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
			throw new ProxmoxInputError(
				`SSH key ${index + 1} ("${shown}") is not an OpenSSH public key`,
				'sshkeys',
				'Each line must be "<type> <base64> [comment]", e.g. ssh-ed25519 AAAAC3Nza… user@host (the .pub file, not the private key)',
			);
		}
	});
	return keys;
}

/**
 * The `sshkeys` value Proxmox wants: the authorized_keys text percent-encoded (spaces as %20, never "+",
 * newlines as %0A), which the API checks against its "urlencoded" format /^[-%a-zA-Z0-9_.!~*'()]*$/ and
 * decodes with uri_unescape. The request body is form-encoded on top of that, so it goes over the wire
 * encoded twice; sending it once-encoded is the classic "invalid urlencoded string" error.
 */
export function encodeSshKeys(text: string): string {
	return encodeURIComponent(parseSshKeys(text).join('\n') + '\n');
}

const IPV4_OCTET = '(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])';
const IPV4 = new RegExp(`^(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}$`);

/** An IPv4 address (PVE's IPV4RE: four octets 0-255, no leading zeros). */
export function isIpv4(value: string): boolean {
	return IPV4.test(value);
}

/** An IPv6 address: hex groups with at most one "::" (loose, but refuses typos like ":::" or "g"). */
export function isIpv6(value: string): boolean {
	if (!/^[0-9a-fA-F:.]+$/.test(value) || !value.includes(':') || /:::/.test(value)) return false;
	const double = value.split('::').length - 1;
	if (double > 1) return false;
	const groups = value.split(':').filter(Boolean);
	const last = groups[groups.length - 1] ?? '';
	const embeddedV4 = last.includes('.') && isIpv4(last);
	const hexGroups = embeddedV4 ? groups.slice(0, -1) : groups;
	if (!hexGroups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return false;
	const count = hexGroups.length + (embeddedV4 ? 2 : 0);
	return double ? count < 8 : count === 8;
}

/** pve_verify_cidrv4: an IPv4 address with a prefix from 8 to 32 (Proxmox refuses /0-/7). */
export function isCidrV4(value: string): boolean {
	const [address, prefix, extra] = value.split('/');
	return (
		extra === undefined &&
		isIpv4(address) &&
		/^\d{1,2}$/.test(prefix ?? '') &&
		Number(prefix) >= 8 &&
		Number(prefix) <= 32
	);
}

export function isCidrV6(value: string): boolean {
	const [address, prefix, extra] = value.split('/');
	return (
		extra === undefined &&
		isIpv6(address) &&
		/^\d{1,3}$/.test(prefix ?? '') &&
		Number(prefix) >= 8 &&
		Number(prefix) <= 128
	);
}

/**
 * Storage ids (pve-common's pve-storage-id format, parse_storage_id): a letter, then letters, digits, "-", "_"
 * or ".", ending in a letter or digit. Refuses path pieces like ".." before they reach an API path.
 */
export function assertStorageId(value: unknown, parameter = 'storage'): string {
	const storage = typeof value === 'string' ? value.trim() : '';
	if (!/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(storage)) {
		throw new ProxmoxInputError(
			`${parameter} "${String(value)}" is not a Proxmox storage id`,
			parameter,
			'A storage id starts with a letter, then letters, digits, "-", "_" or ".", e.g. local-lvm (Node → List Storages)',
		);
	}
	return storage;
}

/** One OpenSSH public key on one line (a list of keys is one key per entry, never lines smuggled into one). */
export function assertSshKey(value: string, parameter = 'sshkeys'): string {
	if (/[\r\n]/.test(value)) {
		throw new ProxmoxInputError(
			`${parameter}: an entry holds more than one line`,
			parameter,
			'Give each public key as its own entry, one line each',
		);
	}
	try {
		return parseSshKeys(value)[0];
	} catch (error) {
		if (!(error instanceof ProxmoxInputError)) throw error;
		throw new ProxmoxInputError(`${parameter}: ${error.message}`, parameter, error.hint);
	}
}

/** An IPv4 gateway (gw of ipconfigN): an address only, so nothing else can ride along into ipconfig0. */
export function assertIpv4Gateway(value: string, parameter = 'gateway'): string {
	const gateway = value.trim();
	if (!isIpv4(gateway)) {
		throw new ProxmoxInputError(
			`${parameter} "${value}" is not an IPv4 address`,
			parameter,
			"Give the router's address alone, e.g. 192.168.1.1",
		);
	}
	return gateway;
}

/** A static IPv4 address with prefix as ipconfigN's ip= wants it (pve_verify_cidrv4), or "dhcp". */
export function assertIpv4Cidr(value: string, parameter = 'ip'): string {
	const ip = value.trim();
	if (ip !== 'dhcp' && !isCidrV4(ip)) {
		throw new ProxmoxInputError(
			`${parameter} "${value}" is not "dhcp" or an IPv4 address with a /8-/32 prefix`,
			parameter,
			'e.g. dhcp or 192.168.1.50/24 (four numbers 0-255, no leading zeros)',
		);
	}
	return ip;
}

/**
 * Bounds of every poll interval (task status, guest agent): often enough to notice a task end, not so often
 * that waits become a load on pveproxy; and of waits for a guest's IP. Shared by the node and the backend.
 */
export const POLL_INTERVAL_MS = { min: 10, max: 60_000 } as const;
export const GUEST_IP_TIMEOUT_MS = { min: 1000, max: 24 * 3_600_000 } as const;

export function assertPollInterval(value: number, parameter = 'pollIntervalMs'): number {
	if (!Number.isInteger(value) || value < POLL_INTERVAL_MS.min || value > POLL_INTERVAL_MS.max) {
		throw new ProxmoxInputError(
			`${parameter} ${value} is out of range: poll every ${POLL_INTERVAL_MS.min} to ${POLL_INTERVAL_MS.max} ms`,
			parameter,
			'1000 ms suits most tasks',
		);
	}
	return value;
}

/** ipconfigN interfaces Proxmox knows: net0 to net31 ($MAX_NETS = 32 in qemu-server). */
export const MAX_NETS = 32;

/**
 * ipconfigN as qemu-server's pve-qm-ipconfig format and parse_ipconfig accept it: "ip=dhcp|manual|CIDR[,gw=IP]"
 * and/or "ip6=dhcp|auto|manual|CIDR[,gw6=IP]"; a gateway needs a static address of its family.
 */
export function assertIpConfig(value: string, parameter = 'ipconfig0'): string {
	const text = value.trim();
	const fields = new Map<string, string>();
	const bad = (part: string, why: string): never => {
		throw new ProxmoxInputError(
			`${parameter} "${value}" is not valid (${why}${part ? ` at "${part}"` : ''})`,
			parameter,
			'Use ip=dhcp or ip=192.168.1.50/24,gw=192.168.1.1 (add ip6=auto for IPv6)',
		);
	};
	if (!text) bad('', 'empty');
	for (const part of text.split(',').map((entry) => entry.trim())) {
		const eq = part.indexOf('=');
		const key = eq < 0 ? part : part.slice(0, eq);
		const val = eq < 0 ? '' : part.slice(eq + 1);
		if (!['ip', 'gw', 'ip6', 'gw6'].includes(key)) bad(part, 'unknown key: use ip, gw, ip6 or gw6');
		if (fields.has(key)) bad(part, `${key} given twice`);
		const ok =
			(key === 'ip' && (val === 'dhcp' || val === 'manual' || isCidrV4(val))) ||
			(key === 'gw' && isIpv4(val)) ||
			(key === 'ip6' && (['dhcp', 'auto', 'manual'].includes(val) || isCidrV6(val))) ||
			(key === 'gw6' && isIpv6(val));
		if (!ok) {
			bad(
				part,
				key === 'ip'
					? 'not dhcp or an IPv4 address with a /8-/32 prefix'
					: key === 'ip6'
						? 'not dhcp, auto or an IPv6 address with a prefix'
						: `not an ${key === 'gw' ? 'IPv4' : 'IPv6'} address`,
			);
		}
		fields.set(key, val);
	}
	const ip = fields.get('ip');
	const ip6 = fields.get('ip6');
	if (fields.has('gw') && (!ip || !isCidrV4(ip))) bad('', 'a gateway (gw) needs a static ip=ADDRESS/PREFIX');
	if (fields.has('gw6') && (!ip6 || !isCidrV6(ip6)))
		bad('', 'an IPv6 gateway (gw6) needs a static ip6=ADDRESS/PREFIX');
	return text;
}

/**
 * Cloud-init DNS servers (qemu-server's nameserver, format address-list): IP addresses separated by spaces,
 * commas or semicolons. Returned space-separated, the way the web UI writes them.
 */
export function assertNameservers(value: string, parameter = 'nameserver'): string {
	const entries = value.split(/[\0\s,;]+/).filter(Boolean);
	if (entries.length === 0) {
		throw new ProxmoxInputError('No DNS server given', parameter, 'e.g. 192.168.1.1 1.1.1.1');
	}
	for (const entry of entries) {
		if (!isIpv4(entry) && !isIpv6(entry)) {
			throw new ProxmoxInputError(
				`DNS server "${entry}" is not an IP address`,
				parameter,
				'Give the IP addresses of the DNS servers separated by spaces, e.g. 192.168.1.1 1.1.1.1',
			);
		}
	}
	return entries.join(' ');
}

const DNS_NAME =
	/^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;

/** Cloud-init search domains: DNS names separated by spaces, commas or semicolons (returned space-separated). */
export function assertSearchDomains(value: string, parameter = 'searchdomain'): string {
	const entries = value.split(/[\s,;]+/).filter(Boolean);
	if (entries.length === 0) {
		throw new ProxmoxInputError('No DNS search domain given', parameter, 'e.g. lab.example');
	}
	for (const entry of entries) {
		if (!DNS_NAME.test(entry) || entry.length > 253) {
			throw new ProxmoxInputError(
				`DNS domain "${entry}" is not a valid domain name`,
				parameter,
				'Use names like lab.example, separated by spaces',
			);
		}
	}
	return entries.join(' ');
}

/**
 * The cloud-init user (ciuser). Proxmox passes it to cloud-init unchecked, and a name the guest refuses only
 * shows up as a VM you cannot log in to; so check it here: a Linux user name (useradd's rules).
 */
export function assertCloudInitUser(value: string, parameter = 'ciuser'): string {
	const user = value.trim();
	if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) {
		throw new ProxmoxInputError(
			`Cloud-init user "${value}" is not a valid Linux user name`,
			parameter,
			'Start with a lowercase letter or "_", then up to 31 lowercase letters, digits, "_" or "-", e.g. ops',
		);
	}
	return user;
}

/** Which guest type a backup volume holds, from vzdump's file name (vzdump-qemu-…, vzdump-lxc-…) or PBS (vm/…, ct/…). */
export function backupGuestKind(volid: string): 'qemu' | 'lxc' | undefined {
	const name = volid.trim();
	if (/(?:^|[/:])vzdump-qemu-\d+-/.test(name) || /:backup\/vm\/\d+\//.test(name)) return 'qemu';
	if (/(?:^|[/:])vzdump-(?:lxc|openvz)-\d+-/.test(name) || /:backup\/ct\/\d+\//.test(name)) return 'lxc';
	return undefined;
}

export interface Upid {
	node: string;
	pid: number;
	pstart: number;
	/** Unix seconds. */
	starttime: number;
	type: string;
	id: string;
	user: string;
}

const UPID =
	/^UPID:([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

/** Parses UPID:node:pid:pstart:starttime:type:id:user: (the id of every Proxmox task). */
export function parseUpid(value: string): Upid {
	const match = UPID.exec(value.trim());
	if (!match) {
		throw new ProxmoxInputError(
			`"${value}" is not a Proxmox task id (UPID:node:…:user:)`,
			'upid',
			'Pass the "upid" an earlier operation returned',
		);
	}
	return {
		node: match[1],
		pid: parseInt(match[2], 16),
		pstart: parseInt(match[3], 16),
		starttime: parseInt(match[4], 16),
		type: match[5],
		id: match[6],
		user: match[7],
	};
}
