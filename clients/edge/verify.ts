import { Resolver } from 'node:dns/promises';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

import { describeError, errorCode } from '../../shared/errors';
import { normalizeName } from './types';

// Verifies a service the way a browser in the lab reaches it: the name through the lab's DNS server (not this
// machine's resolver), a TCP connection to the proxy at that address, the certificate chain against the lab's CA
// bundle, its names and days to expiry, then an HTTP request to the health path. Every check is reported on its
// own, and a failing one says which and why; checks that depend on a failed one are reported as skipped.

export interface VerifyOptions {
	hostname: string;
	/** the lab's DNS server, e.g. 127.0.0.1:5353 or 192.168.1.2 (port 53) */
	dnsServer: string;
	/** the CA bundle (PEM) the lab's clients trust */
	caBundle: string;
	/** a name for the CA in messages, e.g. "the lab's ACME CA" */
	caName?: string;
	/** the HTTPS port of the proxy, 443 unless given */
	port?: number;
	/** the address the name must resolve to (the proxy's), when known */
	expectedAddress?: string;
	healthPath?: string;
	/** a certificate expiring sooner than this fails the check (default 7) */
	minDaysValid?: number;
	timeoutMs?: number;
}

export type CheckName = 'dns' | 'proxy' | 'tls' | 'http';

export interface VerifyCheck {
	check: CheckName;
	ok: boolean;
	/** true when an earlier failure made this check impossible */
	skipped?: boolean;
	message: string;
}

export interface VerifyReport {
	hostname: string;
	ok: boolean;
	checks: VerifyCheck[];
	address?: string;
	certificate?: { subject: string; issuer: string; names: string[]; validTo: string; daysLeft: number };
	http?: { status: number; latencyMs: number };
}

// OpenSSL's verify codes for a chain that does not lead to the bundle, in words
const CHAIN_PROBLEMS: Record<string, string> = {
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not in the CA bundle',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not in the CA bundle',
	SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed root that is not in the CA bundle',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'a self-signed certificate',
	CERT_SIGNATURE_FAILURE: 'its signature does not verify',
};

const LABELS: Record<CheckName, string> = { dns: 'DNS', proxy: 'Proxy', tls: 'TLS', http: 'HTTP' };

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
	const hostname = normalizeName(options.hostname);
	const port = options.port ?? 443;
	const timeoutMs = options.timeoutMs ?? 5000;
	const report: VerifyReport = { hostname, ok: false, checks: [] };
	const pass = (check: CheckName, message: string) => report.checks.push({ check, ok: true, message });
	const fail = (check: CheckName, message: string) =>
		report.checks.push({ check, ok: false, message: `${LABELS[check]}: ${message}` });
	const skipRest = (after: CheckName) => {
		const order: CheckName[] = ['dns', 'proxy', 'tls', 'http'];
		for (const check of order.slice(order.indexOf(after) + 1)) {
			report.checks.push({
				check,
				ok: false,
				skipped: true,
				message: `${LABELS[check]}: skipped, ${LABELS[after]} failed`,
			});
		}
		return report;
	};

	const resolved = await resolveName(hostname, options.dnsServer, timeoutMs);
	if ('error' in resolved) {
		fail('dns', resolved.error);
		return skipRest('dns');
	}
	if (options.expectedAddress && !resolved.addresses.includes(options.expectedAddress)) {
		fail(
			'dns',
			`${hostname} resolves to ${resolved.addresses.join(', ')} at ${options.dnsServer}, expected ${options.expectedAddress}`,
		);
		return skipRest('dns');
	}
	const address = options.expectedAddress ?? resolved.addresses[0];
	report.address = address;
	pass('dns', `${hostname} resolves to ${resolved.addresses.join(', ')} at ${options.dnsServer}`);

	const handshake = await tlsHandshake(address, port, hostname, options.caBundle, timeoutMs);
	if ('connectError' in handshake) {
		fail(
			'proxy',
			`nothing accepts connections at ${address}:${port} for ${hostname}: ${handshake.connectError}`,
		);
		return skipRest('proxy');
	}
	pass('proxy', `${address}:${port} accepts connections`);
	const tlsProblem = checkCertificate(handshake, hostname, options, report);
	if (tlsProblem) {
		fail('tls', tlsProblem);
		return skipRest('tls');
	}
	const certificate = report.certificate;
	pass(
		'tls',
		`certificate for ${certificate?.names.join(', ')} from ${certificate?.issuer}, ${certificate?.daysLeft} days left`,
	);

	const healthPath = options.healthPath ?? '/';
	const started = performance.now();
	const response = await httpGet(address, port, hostname, healthPath, options.caBundle, timeoutMs);
	const latencyMs = Math.round(performance.now() - started);
	const url = `https://${hostname}${port === 443 ? '' : `:${port}`}${healthPath}`;
	if ('error' in response) {
		fail('http', `GET ${url} failed: ${response.error}`);
	} else {
		report.http = { status: response.status, latencyMs };
		if (response.status >= 400) {
			const hint = response.status === 502 ? ' (the proxy could not reach the upstream)' : '';
			fail('http', `GET ${url} answered ${response.status} ${response.statusText}${hint} in ${latencyMs} ms`);
		} else {
			pass('http', `GET ${url} answered ${response.status} in ${latencyMs} ms`);
		}
	}
	report.ok = report.checks.every((check) => check.ok);
	return report;
}

async function resolveName(
	hostname: string,
	dnsServer: string,
	timeoutMs: number,
): Promise<{ addresses: string[] } | { error: string }> {
	const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
	try {
		resolver.setServers([dnsServer]);
	} catch (error) {
		return { error: `invalid DNS server "${dnsServer}": ${describeError(error)}` };
	}
	const lookups = [resolver.resolve4(hostname), resolver.resolve6(hostname)];
	const [v4, v6] = await Promise.allSettled(lookups);
	const addresses = [v4, v6].flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
	if (addresses.length > 0) return { addresses };
	const code = errorCode(v4.status === 'rejected' ? v4.reason : undefined);
	if (code === 'ENOTFOUND' || code === 'ENODATA')
		return { error: `no A record for ${hostname} at ${dnsServer}` };
	if (code === 'ECONNREFUSED' || code === 'ETIMEOUT') {
		return {
			error: `the DNS server ${dnsServer} did not answer for ${hostname} (${code === 'ETIMEOUT' ? 'timed out' : 'connection refused'})`,
		};
	}
	return {
		error: `looking up ${hostname} at ${dnsServer} failed: ${code ?? describeError(v4.status === 'rejected' ? v4.reason : undefined)}`,
	};
}

type Handshake =
	| { connectError: string }
	| { tlsError: string }
	| { peer: tls.DetailedPeerCertificate; authorized: boolean; authorizationError?: string };

async function tlsHandshake(
	address: string,
	port: number,
	hostname: string,
	ca: string,
	timeoutMs: number,
): Promise<Handshake> {
	// the TCP connection first, so "nothing listens" is told apart from "the handshake failed"
	const socket = await new Promise<net.Socket | { connectError: string }>((resolve) => {
		const tcp = net.connect({ host: address, port, timeout: timeoutMs });
		tcp.once('connect', () => resolve(tcp));
		tcp.once('timeout', () => {
			tcp.destroy();
			resolve({ connectError: `no answer within ${timeoutMs} ms` });
		});
		tcp.once('error', (error) => resolve({ connectError: describeError(error) }));
	});
	if ('connectError' in socket) return socket;
	return await new Promise((resolve) => {
		const secure = tls.connect(
			{
				socket,
				servername: hostname,
				ca,
				rejectUnauthorized: false,
				// the names are checked on their own below, so `authorized` covers only the chain
				checkServerIdentity: () => undefined,
			},
			() => {
				const peer = secure.getPeerCertificate(true);
				const authorizationError = secure.authorizationError ? String(secure.authorizationError) : undefined;
				resolve({ peer, authorized: secure.authorized, authorizationError });
				secure.end();
			},
		);
		secure.setTimeout(timeoutMs, () => secure.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)));
		secure.once('error', (error) => {
			socket.destroy();
			resolve({ tlsError: describeError(error) });
		});
	});
}

function checkCertificate(
	handshake: Exclude<Handshake, { connectError: string }>,
	hostname: string,
	options: VerifyOptions,
	report: VerifyReport,
): string | undefined {
	const caName = options.caName ?? 'the lab CA';
	if ('tlsError' in handshake) {
		return `the proxy has no certificate to serve for ${hostname} (handshake failed: ${handshake.tlsError}); is the route there and did its ACME order from ${caName} succeed?`;
	}
	const { peer } = handshake;
	const names = (peer.subjectaltname ?? '')
		.split(',')
		.map((entry) => entry.trim().replace(/^(DNS|IP Address):/, ''))
		.filter(Boolean);
	const validTo = new Date(peer.valid_to);
	const daysLeft = Math.floor((validTo.getTime() - Date.now()) / 86_400_000);
	const issuer = firstOf(peer.issuer?.CN) ?? firstOf(peer.issuer?.O) ?? 'unknown issuer';
	const subject = firstOf(peer.subject?.CN) ?? '';
	report.certificate = { subject, issuer, names, validTo: validTo.toISOString(), daysLeft };
	if (handshake.authorizationError === 'CERT_HAS_EXPIRED') {
		return `the certificate for ${names.join(', ') || subject} expired on ${validTo.toISOString()} (${Math.floor((Date.now() - validTo.getTime()) / 86_400_000)} days ago)`;
	}
	if (!handshake.authorized) {
		const reason = CHAIN_PROBLEMS[handshake.authorizationError ?? ''] ?? handshake.authorizationError;
		return `served a certificate not issued by ${caName}: issuer "${issuer}", subject "${subject}" (${reason})`;
	}
	const identityError = tls.checkServerIdentity(hostname, peer);
	if (identityError) {
		return `the certificate is for ${names.join(', ') || subject}, not ${hostname}`;
	}
	const minDays = options.minDaysValid ?? 7;
	if (daysLeft < minDays)
		return `the certificate for ${hostname} expires in ${daysLeft} days (on ${validTo.toISOString()}), less than ${minDays}`;
	return undefined;
}

function firstOf(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

async function httpGet(
	address: string,
	port: number,
	hostname: string,
	path: string,
	ca: string,
	timeoutMs: number,
): Promise<{ status: number; statusText: string } | { error: string }> {
	return await new Promise((resolve) => {
		const request = https.request(
			{
				host: address,
				port,
				path,
				servername: hostname,
				headers: { host: hostname },
				ca,
				agent: false,
				timeout: timeoutMs,
				checkServerIdentity: (_host, cert) => tls.checkServerIdentity(hostname, cert),
			},
			(response) => {
				response.resume();
				response.on('end', () =>
					resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '' }),
				);
			},
		);
		request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		request.on('error', (error) => resolve({ error: describeError(error) }));
		request.end();
	});
}
