// The HTTP layer of the Proxmox VE client: one function that sends a request and returns status, reason phrase
// and body. The default uses node:http(s) so "allow self-signed" applies to this connection only (never to the
// whole process); callers can inject their own (e.g. a test double or a proxy-aware transport).
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	url: string;
	headers: Record<string, string>;
	body?: string;
	/** Accept a certificate that does not verify (Proxmox's default self-signed one). */
	allowSelfSigned: boolean;
	timeoutMs: number;
	signal?: AbortSignal;
}

export interface HttpResponse {
	status: number;
	/** The HTTP reason phrase: Proxmox writes its error message here. */
	statusText: string;
	body: string;
	headers: Record<string, string | string[] | undefined>;
}

export type RequestFunction = (request: HttpRequest) => Promise<HttpResponse>;

/** node:http(s) transport with a per-request certificate policy, timeout and abort signal. */
export const nodeRequest: RequestFunction = async (request) =>
	await new Promise<HttpResponse>((resolve, reject) => {
		const url = new URL(request.url);
		const client = url.protocol === 'https:' ? https : http;
		const req = client.request(url, {
			method: request.method,
			headers: {
				...request.headers,
				...(request.body === undefined ? {} : { 'content-length': Buffer.byteLength(request.body) }),
			},
			rejectUnauthorized: !request.allowSelfSigned,
			signal: request.signal,
		});
		req.setTimeout(request.timeoutMs, () =>
			req.destroy(
				Object.assign(new Error(`no answer within ${request.timeoutMs} ms`), { code: 'ETIMEDOUT' }),
			),
		);
		req.once('error', reject);
		req.once('response', (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.once('error', reject);
			res.once('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					statusText: res.statusMessage ?? '',
					body: Buffer.concat(chunks).toString('utf8'),
					headers: res.headers,
				}),
			);
		});
		req.end(request.body);
	});
