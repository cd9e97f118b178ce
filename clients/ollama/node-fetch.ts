import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

// A `fetch` for the `ollama` package built on node:http. Node's global fetch (undici) gives up on any answer
// whose headers or next body chunk take longer than 300 s (headersTimeout/bodyTimeout): a non-streamed
// generation on a big local model routinely does. Here nothing times out unless the caller asks for it, and
// a cancel signal (the workflow being stopped) ends the request at once, whichever phase it is in.

export interface NodeFetchOptions {
	/** Abort everything when this fires (e.g. n8n's execution cancel signal). */
	signal?: AbortSignal;
	/** Give up when the whole exchange (headers and body) takes longer than this; 0 or undefined: never. */
	timeoutMs?: number;
}

/** Thrown when `timeoutMs` elapses. `code` stays off the message (see shared/errors.ts). */
export class RequestTimeoutError extends Error {
	readonly timeoutMs: number;
	constructor(timeoutMs: number, url: string) {
		super(`no complete answer from ${url} within ${timeoutMs} ms`);
		this.name = 'RequestTimeoutError';
		this.timeoutMs = timeoutMs;
	}
}

/** Thrown when the cancel signal fires. */
export class RequestCancelledError extends Error {
	constructor(url: string) {
		super(`request to ${url} was cancelled`);
		this.name = 'RequestCancelledError';
	}
}

type FetchInput = string | URL | { url: string };

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
	const out: Record<string, string> = {};
	if (!headers) return out;
	new Headers(headers).forEach((value, key) => {
		out[key] = value;
	});
	return out;
}

function responseHeaders(raw: http.IncomingHttpHeaders): Headers {
	const headers = new Headers();
	for (const [key, value] of Object.entries(raw)) {
		if (value === undefined) continue;
		for (const one of Array.isArray(value) ? value : [value]) headers.append(key, one);
	}
	return headers;
}

/** Returns a WHATWG-compatible fetch with no built-in time limit. */
export function createNodeFetch(options: NodeFetchOptions = {}): typeof fetch {
	const nodeFetch = async (input: FetchInput, init: RequestInit = {}): Promise<Response> => {
		const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
		const client = url.protocol === 'https:' ? https : http;
		const signals = [options.signal, init.signal ?? undefined].filter(
			(signal): signal is AbortSignal => signal !== undefined,
		);
		const where = `${url.origin}${url.pathname}`;
		let body: string | Buffer | undefined;
		if (typeof init.body === 'string') body = init.body;
		else if (init.body instanceof Uint8Array) body = Buffer.from(init.body);
		else if (init.body !== undefined && init.body !== null) {
			throw new TypeError('node-fetch for ollama only sends string or byte bodies');
		}

		return await new Promise<Response>((resolve, reject) => {
			let settledHeaders = false;
			let timer: ReturnType<typeof setTimeout> | undefined;
			let incoming: http.IncomingMessage | undefined;
			const cleanup = () => {
				if (timer) clearTimeout(timer);
				timer = undefined;
				for (const signal of signals) signal.removeEventListener('abort', onAbort);
			};
			const fail = (error: Error) => {
				cleanup();
				if (!settledHeaders) {
					settledHeaders = true;
					request.destroy();
					reject(error);
				} else {
					// Headers were delivered already: break the body stream so the reader sees the error.
					incoming?.destroy(error);
					request.destroy();
				}
			};
			const onAbort = () => fail(new RequestCancelledError(where));

			const request = client.request(url, {
				method: init.method ?? 'GET',
				headers: {
					...headerRecord(init.headers),
					...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
				},
			});
			for (const signal of signals) {
				if (signal.aborted) {
					queueMicrotask(onAbort);
					break;
				}
				signal.addEventListener('abort', onAbort, { once: true });
			}
			if (options.timeoutMs && options.timeoutMs > 0) {
				const timeoutMs = options.timeoutMs;
				timer = setTimeout(() => fail(new RequestTimeoutError(timeoutMs, where)), timeoutMs);
			}
			request.once('error', (error) => {
				if (!settledHeaders) {
					settledHeaders = true;
					cleanup();
					reject(error);
				}
			});
			request.once('response', (response) => {
				incoming = response;
				settledHeaders = true;
				response.once('end', cleanup);
				response.once('close', cleanup);
				const status = response.statusCode ?? 0;
				const nullBody = status === 204 || status === 304 || init.method === 'HEAD';
				if (nullBody) response.resume();
				resolve(
					new Response(nullBody ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>), {
						status,
						statusText: response.statusMessage ?? '',
						headers: responseHeaders(response.headers),
					}),
				);
			});
			request.end(body);
		});
	};
	return nodeFetch as typeof fetch;
}
