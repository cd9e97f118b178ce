import http from 'node:http';
import https from 'node:https';

import { SynologyTransportError } from './errors';

// The client never imports n8n: it sends requests through a SynologyTransport, so the node, the backend and
// tests can each provide their own. nodeTransport() is the default, on node:http(s), because DSM's usual
// self-signed certificate needs `rejectUnauthorized: false`, which fetch cannot express without extra packages.

export interface TransportRequest {
	method: 'GET' | 'POST';
	url: string;
	headers?: Record<string, string>;
	body?: Buffer;
	signal?: AbortSignal;
	timeoutMs?: number;
}

export interface TransportResponse {
	status: number;
	headers: Record<string, string | undefined>;
	body: Buffer;
}

export type SynologyTransport = (request: TransportRequest) => Promise<TransportResponse>;

export interface NodeTransportOptions {
	/** Accept DSM's self-signed (or otherwise unverifiable) certificate. */
	allowSelfSigned?: boolean;
	timeoutMs?: number;
}

export function nodeTransport(options: NodeTransportOptions = {}): SynologyTransport {
	return async (request) =>
		await new Promise<TransportResponse>((resolve, reject) => {
			const url = new URL(request.url);
			const client = url.protocol === 'https:' ? https : http;
			const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? 60000;
			if (request.signal?.aborted) {
				reject(new SynologyTransportError('cancelled before the request was sent'));
				return;
			}
			const req = client.request(
				url,
				{
					method: request.method,
					headers: {
						...(request.body ? { 'content-length': String(request.body.length) } : {}),
						...request.headers,
					},
					rejectUnauthorized: !options.allowSelfSigned,
					signal: request.signal,
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (chunk: Buffer) => chunks.push(chunk));
					res.on('error', (error) => reject(new SynologyTransportError(error.message)));
					res.on('end', () => {
						const headers: Record<string, string | undefined> = {};
						for (const [name, value] of Object.entries(res.headers)) {
							headers[name] = Array.isArray(value) ? value.join(', ') : value;
						}
						resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
					});
				},
			);
			req.setTimeout(timeoutMs, () =>
				req.destroy(new SynologyTransportError(`DSM did not answer within ${timeoutMs} ms`)),
			);
			req.on('error', (error: Error & { code?: string }) => {
				if (error instanceof SynologyTransportError) reject(error);
				else if (error.name === 'AbortError') reject(new SynologyTransportError('cancelled'));
				else reject(Object.assign(new SynologyTransportError(error.message), { code: error.code }));
			});
			req.end(request.body);
		});
}

/** A multipart/form-data body; DSM wants the file as the last part (File Station guide, Upload). */
export function multipartBody(
	fields: Record<string, string>,
	file?: { field: string; name: string; data: Buffer; contentType?: string },
): { body: Buffer; contentType: string } {
	const boundary = `----n8nHomelabSynology${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		parts.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
		);
	}
	if (file) {
		const safeName = file.name.replace(/["\r\n]/g, '_');
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${safeName}"\r\n` +
					`Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
			),
			file.data,
			Buffer.from('\r\n'),
		);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
