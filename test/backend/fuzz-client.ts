// Raw HTTP/1.1 over a socket for the fuzz test: fetch refuses CONNECT/TRACE, NUL bytes in headers, duplicate or
// contradicting framing headers and bytes that are not UTF-8, which are exactly what a hostile client sends.
import net from 'node:net';

/** one hostile request, as bytes on the wire will carry it */
export interface FuzzCase {
	/** what is tried, for the failure list */
	name: string;
	method: string;
	/** sent as is: no encoding, no normalisation */
	target: string;
	/** sent in this order; duplicates allowed; values may hold any byte (latin1) */
	headers: Array<[string, string]>;
	body?: Buffer;
	/** false: no Content-Length of our own (the case sets its own framing, or sends none) */
	contentLength?: boolean;
	/** what this input must answer, when more than "2xx or 4xx" is known */
	expect?: number | '4xx';
}

/** the status the server answered with, or why there was none */
export type Outcome = number | 'no answer' | 'timeout';

/** the request's bytes: request line, Host, the case's headers, Connection: close, body */
export function encode(fuzzCase: FuzzCase, host: string): Buffer {
	const body = fuzzCase.body ?? Buffer.alloc(0);
	const lines = [`${fuzzCase.method} ${fuzzCase.target} HTTP/1.1`];
	if (!fuzzCase.headers.some(([name]) => name.toLowerCase() === 'host')) lines.push(`Host: ${host}`);
	for (const [name, value] of fuzzCase.headers) lines.push(`${name}: ${value}`);
	if (fuzzCase.contentLength !== false && (body.length > 0 || fuzzCase.method === 'POST'))
		lines.push(`Content-Length: ${body.length}`);
	lines.push('Connection: close', '', '');
	// the request line may carry UTF-8 (a hostile path); header values are bytes as written
	const head = Buffer.concat([
		Buffer.from(lines[0], 'utf8'),
		Buffer.from(`\r\n${lines.slice(1).join('\r\n')}`, 'latin1'),
	]);
	return Buffer.concat([head, body]);
}

/**
 * Sends the case and resolves with the answer's status as soon as its status line is in (a stream answer stays
 * open), 'no answer' if the server closed or reset without one, 'timeout' after `timeoutMs`.
 */
export function exchange(url: string, fuzzCase: FuzzCase, timeoutMs: number): Promise<Outcome> {
	const { hostname, port, host } = new URL(url);
	return new Promise((resolve) => {
		let received = '';
		let done = false;
		const finish = (outcome: Outcome) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			socket.destroy();
			resolve(outcome);
		};
		const statusOf = () => {
			const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
			return match ? Number(match[1]) : undefined;
		};
		const socket = net.connect(Number(port), hostname, () => {
			// a server that answers early (413, 400) may close before the whole body is written: the answer counts
			socket.write(encode(fuzzCase, host), () => undefined);
		});
		const timer = setTimeout(() => finish(statusOf() ?? 'timeout'), timeoutMs);
		socket.on('data', (chunk: Buffer) => {
			// an interim "100 Continue" (Expect: 100-continue) is not the answer
			received = (received + chunk.toString('latin1')).replace(/^HTTP\/1\.[01] 1\d\d [^\r]*\r\n\r\n/, '');
			if (received.includes('\r\n') && !/^HTTP\/1\.[01] 1\d\d/.test(received))
				finish(statusOf() ?? 'no answer');
		});
		socket.on('error', () => undefined);
		socket.on('close', () => finish(statusOf() ?? 'no answer'));
	});
}

/** runs `work` over `items` with at most `width` at a time, keeping the items' order in the results */
export async function pool<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array<R>(items.length);
	let next = 0;
	const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]);
		}
	});
	await Promise.all(lanes);
	return results;
}
