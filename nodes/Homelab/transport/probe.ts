import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';

import { describeError, errorCode } from '../../../shared/errors';

// This transport opens sockets itself instead of using n8n's httpRequest helper: a health check has to see
// the TLS certificate (expiry, issuer, whether it verifies) on the very connection that answered, which the
// helper does not expose.

export interface TcpProbeResult {
	up: boolean;
	latencyMs: number;
	error?: string;
	errorCode?: string;
}

export interface TlsCertificateInfo {
	authorized: boolean;
	authorizationError?: string;
	subject?: string;
	issuer?: string;
	validFrom: string;
	validTo: string;
	daysLeft: number;
	fingerprint256: string;
	subjectAltNames: string[];
}

export interface HttpProbeResult {
	up: boolean;
	statusCode?: number;
	latencyMs: number;
	error?: string;
	errorCode?: string;
	tls?: TlsCertificateInfo;
}

export interface ProbeOptions {
	timeoutMs: number;
	signal?: AbortSignal;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function probeTcp(host: string, port: number, options: ProbeOptions): Promise<TcpProbeResult> {
	const started = performance.now();
	return await new Promise<TcpProbeResult>((resolve) => {
		const socket = net.connect({ host, port });
		const finish = (error?: unknown) => {
			socket.destroy();
			options.signal?.removeEventListener('abort', onAbort);
			const latencyMs = Math.round(performance.now() - started);
			resolve(
				error === undefined
					? { up: true, latencyMs }
					: { up: false, latencyMs, error: describeError(error), errorCode: errorCode(error) },
			);
		};
		const onAbort = () => finish(new Error('cancelled'));
		options.signal?.addEventListener('abort', onAbort, { once: true });
		socket.setTimeout(options.timeoutMs, () => finish(new Error(`no answer within ${options.timeoutMs} ms`)));
		socket.once('connect', () => finish());
		socket.once('error', finish);
	});
}

/** Certificate name fields are arrays when a name has several values; the first one names it well enough. */
function firstValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function certificateInfo(socket: TLSSocket): TlsCertificateInfo | undefined {
	const cert = socket.getPeerCertificate();
	if (!cert || Object.keys(cert).length === 0) return undefined;
	const validTo = new Date(cert.valid_to);
	return {
		authorized: socket.authorized,
		authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
		subject: firstValue(cert.subject?.CN),
		issuer: firstValue(cert.issuer?.CN) ?? firstValue(cert.issuer?.O),
		validFrom: new Date(cert.valid_from).toISOString(),
		validTo: validTo.toISOString(),
		daysLeft: Math.floor((validTo.getTime() - Date.now()) / DAY_MS),
		fingerprint256: cert.fingerprint256,
		subjectAltNames: (cert.subjectaltname ?? '')
			.split(',')
			.map((name) => name.trim())
			.filter(Boolean),
	};
}

// Connections are kept alive between the checks of one run: a new TCP connection and full TLS handshake per item
// was most of a check's cost (bench/homelab-check-vs-http-request.ts), and the agent also resumes TLS sessions.
// An idle connection is closed after IDLE_MS, so a check scheduled minutes later connects afresh and so still
// proves the server accepts new connections.
const IDLE_MS = 2000;
/** a body larger than this is not drained for reuse: the connection is closed instead */
const MAX_DRAIN_BYTES = 256 * 1024;
const agents = {
	http: new http.Agent({ keepAlive: true, timeout: IDLE_MS, maxFreeSockets: 32 }),
	https: new https.Agent({
		keepAlive: true,
		timeout: IDLE_MS,
		maxFreeSockets: 32,
		rejectUnauthorized: false,
	}),
};

/**
 * One HTTP(S) request; the body is drained and ignored. The certificate is always accepted at the TLS layer
 * and reported instead (`tls.authorized`), so a self-signed or expired certificate shows up as a finding the
 * caller can judge, not as an opaque connection error. A kept-alive connection the server closed meanwhile is
 * retried once on a new one.
 */
export async function probeHttp(
	url: URL,
	method: 'GET' | 'HEAD',
	options: ProbeOptions,
): Promise<HttpProbeResult> {
	const first = await probeOnce(url, method, options);
	if (first.reusedClosed && !options.signal?.aborted) return (await probeOnce(url, method, options)).result;
	return first.result;
}

async function probeOnce(
	url: URL,
	method: 'GET' | 'HEAD',
	options: ProbeOptions,
): Promise<{ result: HttpProbeResult; reusedClosed?: boolean }> {
	const started = performance.now();
	const secure = url.protocol === 'https:';
	return await new Promise((resolve) => {
		let tls: TlsCertificateInfo | undefined;
		let settled = false;
		const finish = (
			result: Omit<HttpProbeResult, 'latencyMs' | 'tls'>,
			keep = false,
			reusedClosed = false,
		) => {
			if (settled) return;
			settled = true;
			options.signal?.removeEventListener('abort', onAbort);
			// a connection in an unknown state (error, timeout, cancel) is never handed to the next check
			if (!keep) request.destroy();
			resolve({
				result: { ...result, latencyMs: Math.round(performance.now() - started), tls },
				reusedClosed,
			});
		};
		const request = (secure ? https : http).request(url, {
			method,
			agent: secure ? agents.https : agents.http,
			headers: { 'user-agent': 'n8n-nodes-homelab-check/1', accept: '*/*' },
		});
		const onAbort = () => finish({ up: false, error: 'cancelled' });
		options.signal?.addEventListener('abort', onAbort, { once: true });
		request.setTimeout(options.timeoutMs, () =>
			finish({ up: false, error: `no answer within ${options.timeoutMs} ms` }),
		);
		request.once('socket', (socket) => {
			if (!secure) return;
			// a kept-alive socket is connected already: its certificate is the one that answers this request
			if (request.reusedSocket) tls = certificateInfo(socket as TLSSocket);
			else socket.once('secureConnect', () => (tls = certificateInfo(socket as TLSSocket)));
		});
		request.once('response', (response) => {
			let drained = 0;
			response.on('data', (chunk: Buffer) => {
				drained += chunk.length;
				if (drained > MAX_DRAIN_BYTES) response.destroy();
			});
			response.once('error', () => undefined);
			response.resume();
			finish({ up: true, statusCode: response.statusCode }, true);
		});
		request.once('error', (error) => {
			const code = errorCode(error);
			const closedMeanwhile = request.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE');
			finish({ up: false, error: describeError(error), errorCode: code }, false, closedMeanwhile);
		});
		request.end();
	});
}
