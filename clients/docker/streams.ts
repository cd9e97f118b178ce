import type { Readable } from 'node:stream';

export interface DemuxedOutput {
	stdout: string;
	stderr: string;
}

/**
 * Splits the engine's multiplexed stream format (8-byte frame headers: stream type, 3 zero bytes, big-endian
 * payload length) into stdout and stderr. A container with a TTY sends raw bytes instead: everything is stdout.
 */
export function demux(buffer: Buffer, tty = false): DemuxedOutput {
	if (tty) return { stdout: buffer.toString('utf8'), stderr: '' };
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	let offset = 0;
	while (offset + 8 <= buffer.length) {
		const type = buffer[offset];
		const size = buffer.readUInt32BE(offset + 4);
		if (type > 2 || buffer[offset + 1] !== 0 || buffer[offset + 2] !== 0 || buffer[offset + 3] !== 0) {
			// not a multiplexed stream after all
			return { stdout: buffer.toString('utf8'), stderr: '' };
		}
		const payload = buffer.subarray(offset + 8, offset + 8 + size);
		(type === 2 ? err : out).push(payload);
		offset += 8 + size;
	}
	return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** Reads a stream to its end into one Buffer; destroys it when `signal` aborts. */
export async function collect(stream: Readable, signal?: AbortSignal): Promise<Buffer> {
	return await new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = [];
		const onAbort = () => {
			stream.destroy();
			const error = new Error('cancelled');
			error.name = 'AbortError';
			reject(error);
		};
		if (signal?.aborted) return onAbort();
		signal?.addEventListener('abort', onAbort, { once: true });
		stream.on('data', (chunk: Buffer | string) =>
			chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)),
		);
		stream.once('end', () => {
			signal?.removeEventListener('abort', onAbort);
			resolve(Buffer.concat(chunks));
		});
		stream.once('close', () => {
			signal?.removeEventListener('abort', onAbort);
			resolve(Buffer.concat(chunks));
		});
		stream.once('error', (error) => {
			signal?.removeEventListener('abort', onAbort);
			reject(error);
		});
	});
}

/** Lines of log text, without the trailing empty line. */
export function lines(text: string): string[] {
	const list = text.split('\n');
	if (list.length && list[list.length - 1] === '') list.pop();
	return list;
}

export interface JsonProgressMessage {
	status?: string;
	id?: string;
	progress?: string;
	progressDetail?: { current?: number; total?: number };
	stream?: string;
	error?: string;
	errorDetail?: { message?: string };
	aux?: { ID?: string };
}

/**
 * Follows a JSON-lines progress stream (image pull/build/push): calls `onMessage` for each message and resolves
 * with all of them; rejects with the engine's error text when a message carries `error`.
 */
export async function followJsonStream(
	stream: Readable,
	onMessage: (message: JsonProgressMessage) => void,
	signal?: AbortSignal,
): Promise<JsonProgressMessage[]> {
	return await new Promise((resolve, reject) => {
		const messages: JsonProgressMessage[] = [];
		let buffered = '';
		let failed: Error | undefined;
		const finish = (error?: Error) => {
			signal?.removeEventListener('abort', onAbort);
			const problem = error ?? failed;
			if (problem) reject(problem);
			else resolve(messages);
		};
		const onAbort = () => {
			stream.destroy();
			const error = new Error('cancelled');
			error.name = 'AbortError';
			finish(error);
		};
		if (signal?.aborted) return onAbort();
		signal?.addEventListener('abort', onAbort, { once: true });
		const handle = (line: string) => {
			if (!line.trim()) return;
			let message: JsonProgressMessage;
			try {
				message = JSON.parse(line) as JsonProgressMessage;
			} catch {
				return;
			}
			messages.push(message);
			if (message.error && !failed) failed = new Error(message.errorDetail?.message ?? message.error);
			onMessage(message);
		};
		stream.on('data', (chunk: Buffer | string) => {
			buffered += chunk.toString();
			const parts = buffered.split(/\r?\n/);
			buffered = parts.pop() ?? '';
			parts.forEach(handle);
		});
		stream.once('end', () => {
			handle(buffered);
			finish();
		});
		stream.once('error', (error) => finish(error));
	});
}
