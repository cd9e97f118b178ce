/**
 * Where a job's callback may go. The backend POSTs the job result to the URL given at submit, so that URL must
 * not reach what the backend's network position reaches and the submitter's does not: cloud metadata
 * (169.254.169.254 in any spelling), link-local, or a redirect to either. Checked at submit (400) and again at
 * send time after DNS resolution, and the connection goes to the address just checked (no DNS rebinding).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';

/** private ranges and loopback: where the n8n of a homelab is */
export const DEFAULT_CALLBACK_ALLOW = [
	'10.0.0.0/8',
	'172.16.0.0/12',
	'192.168.0.0/16',
	'127.0.0.0/8',
	'::1/128',
	'fc00::/7',
];

/** refused whatever the allow list says: link-local (cloud metadata lives there), unspecified, multicast */
const NEVER = new BlockList();
for (const [network, prefix, family] of [
	['169.254.0.0', 16, 'ipv4'],
	['0.0.0.0', 8, 'ipv4'],
	['224.0.0.0', 4, 'ipv4'],
	['255.255.255.255', 32, 'ipv4'],
	['fe80::', 10, 'ipv6'],
	['::', 128, 'ipv6'],
	['ff00::', 8, 'ipv6'],
	['fd00:ec2::254', 128, 'ipv6'],
] as const)
	NEVER.addSubnet(network, prefix, family);

export type Lookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;
const systemLookup: Lookup = (hostname) => dnsLookup(hostname, { all: true });

export class CallbackTargets {
	private readonly allow = new BlockList();

	/** `allow`: CIDRs (e.g. 10.0.0.0/8, 2001:db8::/32; 0.0.0.0/0 and ::/0 for anywhere but link-local) */
	constructor(
		allow: string[] = DEFAULT_CALLBACK_ALLOW,
		private readonly lookup: Lookup = systemLookup,
	) {
		for (const cidr of allow) {
			const [network, bits] = cidr.split('/');
			const family = isIP(network);
			const prefix = Number(bits ?? (family === 6 ? 128 : 32));
			if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
				throw new Error(`callback allow list: "${cidr}" is not a CIDR like 192.168.0.0/16`);
			this.allow.addSubnet(network, prefix, family === 6 ? 'ipv6' : 'ipv4');
		}
	}

	/** why the address may not receive callbacks, or undefined */
	refusal(address: string): string | undefined {
		const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
		// an IPv4-mapped IPv6 address (::ffff:169.254.169.254) is checked as the IPv4 address it is
		const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
		if (NEVER.check(address, family) || (mapped && NEVER.check(mapped, 'ipv4')))
			return `${address} is link-local, metadata or otherwise never a callback target`;
		if (!this.allow.check(address, family) && !(mapped && this.allow.check(mapped, 'ipv4')))
			return `${address} is outside the allowed callback targets (HOMELAB_BACKEND_CALLBACK_ALLOW)`;
		return undefined;
	}

	/** the URL's addresses after resolution, all allowed; throws saying why not (never echoing path or query) */
	async resolve(raw: string): Promise<{ url: URL; address: string; family: number }> {
		let url: URL;
		try {
			url = new URL(raw);
		} catch {
			throw new Error('callbackUrl is not a URL');
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:')
			throw new Error('callbackUrl must be http:// or https://');
		if (url.username || url.password) throw new Error('callbackUrl must not carry user:password@');
		// the WHATWG parser already turned 0xa9fea9fe, 2852039166 and 0251.0376.0251.0376 into dotted form
		const host = url.hostname.replace(/^\[|\]$/g, '');
		const addresses = isIP(host)
			? [{ address: host, family: isIP(host) }]
			: await this.lookup(host).catch(() => {
					throw new Error(`callbackUrl host ${host} does not resolve`);
				});
		if (addresses.length === 0) throw new Error(`callbackUrl host ${host} does not resolve`);
		for (const { address } of addresses) {
			const why = this.refusal(address);
			if (why) throw new Error(`callbackUrl host ${host}: ${why}`);
		}
		return { url, ...addresses[0] };
	}

	/** POSTs JSON to the checked address; never follows a redirect. Resolves with the HTTP status. */
	async post(raw: string, body: string, signal: AbortSignal): Promise<number> {
		const { url, address, family } = await this.resolve(raw);
		const transport = url.protocol === 'https:' ? https : http;
		return await new Promise<number>((resolve, reject) => {
			const request = transport.request(
				url,
				{
					method: 'POST',
					headers: { 'content-type': 'application/json', 'user-agent': 'homelab-backend' },
					signal,
					// connect to the address checked above, whatever DNS says now
					lookup: (_hostname, options, callback) =>
						options.all
							? callback(null, [{ address, family }])
							: (callback as (error: null, address: string, family: number) => void)(null, address, family),
				},
				(response) => {
					response.resume();
					response.on('end', () => resolve(response.statusCode ?? 0));
					response.on('error', reject);
				},
			);
			request.on('error', reject);
			request.end(body);
		});
	}
}
