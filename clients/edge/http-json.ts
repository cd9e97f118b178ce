import http from 'node:http';
import https from 'node:https';

import { describeError } from '../../shared/errors';
import { EdgeError } from './types';

export interface JsonResponse {
	status: number;
	body: unknown;
	text: string;
}

/**
 * One JSON request to a provider's admin API. A connection failure becomes an EdgeError of kind `unreachable`
 * naming the provider and address; HTTP errors are returned, so each adapter words them with the server's reason.
 */
export async function requestJson(
	provider: string,
	url: URL,
	method: string,
	body?: unknown,
	headers: Record<string, string> = {},
	timeoutMs = 10000,
): Promise<JsonResponse> {
	const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
	const transport = url.protocol === 'https:' ? https : http;
	return await new Promise((resolve, reject) => {
		const request = transport.request(
			url,
			{
				method,
				timeout: timeoutMs,
				// a fresh connection per call: Caddy restarts its admin listener on every config load, which
				// resets a kept-alive socket from a pool
				agent: false,
				headers: {
					accept: 'application/json',
					...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
					...headers,
				},
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('error', reject);
				response.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed: unknown = undefined;
					try {
						parsed = text ? JSON.parse(text) : undefined;
					} catch {
						parsed = undefined;
					}
					resolve({ status: response.statusCode ?? 0, body: parsed, text });
				});
			},
		);
		request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		request.on('error', (error) =>
			reject(new EdgeError('unreachable', `${provider} is not reachable: ${describeError(error)}`)),
		);
		request.end(payload);
	});
}

/** The server's own reason from an error body ({"error": "..."} in Caddy and PowerDNS), else the raw text. */
export function serverReason(response: JsonResponse): string {
	const error = (response.body as { error?: unknown } | undefined)?.error;
	return typeof error === 'string' ? error : response.text.trim().slice(0, 300) || `HTTP ${response.status}`;
}
