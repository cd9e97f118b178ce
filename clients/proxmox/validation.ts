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

/** ipconfigN: "ip=dhcp" or "ip=CIDR[,gw=IP]" and/or "ip6=dhcp|auto|CIDR[,gw6=IP]". */
export function assertIpConfig(value: string, parameter = 'ipconfig0'): string {
	const text = value.trim();
	const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
	const parts = text.split(',').map((part) => part.trim());
	const seen = new Set<string>();
	for (const part of parts) {
		const [key, val] = part.split('=', 2);
		const ok =
			(key === 'ip' &&
				(val === 'dhcp' || (/^[\d.]+\/\d{1,2}$/.test(val ?? '') && ipv4.test(val.split('/')[0])))) ||
			(key === 'gw' && ipv4.test(val ?? '')) ||
			(key === 'ip6' && (val === 'dhcp' || val === 'auto' || /^[0-9a-fA-F:]+\/\d{1,3}$/.test(val ?? ''))) ||
			(key === 'gw6' && /^[0-9a-fA-F:]+$/.test(val ?? ''));
		if (!ok || seen.has(key)) {
			throw new ProxmoxInputError(
				`${parameter} "${value}" is not valid (at "${part}")`,
				parameter,
				'Use ip=dhcp or ip=192.168.1.50/24,gw=192.168.1.1 (add ip6=auto for IPv6)',
			);
		}
		seen.add(key);
	}
	return text;
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
