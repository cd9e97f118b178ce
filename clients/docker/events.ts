import type { Readable } from 'node:stream';

import type { DockerClient } from './client';
import type { Filters } from './types';
import { LABELS } from './compose/stack';

/** An engine event as the engine sends it (GET /events). */
export interface EngineEvent {
	Type: string;
	Action: string;
	Actor?: { ID?: string; Attributes?: Record<string, string> };
	scope?: string;
	time?: number;
	timeNano?: number;
	status?: string;
	id?: string;
	from?: string;
}

/** The flat shape handed to workflows. */
export interface DockerEvent {
	type: string;
	action: string;
	id: string;
	name: string | null;
	image: string | null;
	stack: string | null;
	service: string | null;
	exitCode: number | null;
	attributes: Record<string, string>;
	scope: string | null;
	time: string;
	timeNano: number;
}

export function flattenEvent(event: EngineEvent): DockerEvent {
	const attributes = event.Actor?.Attributes ?? {};
	const timeNano = event.timeNano ?? (event.time ?? 0) * 1e9;
	return {
		type: event.Type,
		action: event.Action,
		id: event.Actor?.ID ?? event.id ?? '',
		name: attributes.name ?? null,
		image: attributes.image ?? event.from ?? null,
		stack: attributes[LABELS.project] ?? null,
		service: attributes[LABELS.service] ?? null,
		exitCode: attributes.exitCode === undefined ? null : Number(attributes.exitCode),
		attributes,
		scope: event.scope ?? null,
		time: new Date(Math.floor(timeNano / 1e6)).toISOString(),
		timeNano,
	};
}

/**
 * Where a subscription stands: the newest event's timeNano (decimal, exact: nanoseconds since 1970 exceed a
 * JavaScript number's precision) and the identities of the events handed over at exactly that nanosecond
 * (several events can share one). The caller persists it to resume after a restart.
 */
export interface EventPosition {
	timeNano: string;
	seenAtTime: string[];
}

/** An event's identity: what tells two events apart even when they share a timestamp. */
export function eventKey(event: DockerEvent, exactNano: bigint): string {
	return `${exactNano}|${event.type}|${event.action}|${event.id}`;
}

/** The engine's `since` ("seconds.nanoseconds"); the engine replays events at or after it from its buffer. */
export function sinceOf(timeNano: bigint): string {
	const seconds = timeNano / 1_000_000_000n;
	return `${seconds}.${String(timeNano - seconds * 1_000_000_000n).padStart(9, '0')}`;
}

/**
 * The engine's clock now, as a position with nothing seen: a first activation stores it so that events after
 * it reach the workflow even if n8n restarts before the first one. The engine's clock, not n8n's, because
 * `since` is compared with the engine's timestamps (the engine may run on another host).
 */
export async function enginePositionNow(client: DockerClient): Promise<EventPosition> {
	const info = await client.info();
	const text = typeof info.SystemTime === 'string' ? info.SystemTime : new Date().toISOString();
	return { timeNano: String(rfc3339ToNanos(text)), seenAtTime: [] };
}

/** "2026-12-05T13:40:00.123456789+01:00" -> nanoseconds since 1970, exact (Date keeps milliseconds only). */
export function rfc3339ToNanos(text: string): bigint {
	const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i.exec(text.trim());
	if (!match) throw new Error(`not an RFC 3339 time: ${text}`);
	const seconds = Date.parse(`${match[1]}${match[3]}`);
	if (Number.isNaN(seconds)) throw new Error(`not an RFC 3339 time: ${text}`);
	const fraction = (match[2] ?? '').slice(0, 9).padEnd(9, '0');
	return BigInt(seconds) * 1_000_000n + BigInt(fraction);
}

/** The event's timeNano as sent (JSON.parse would round it to about 256 ns). */
function exactTimeNano(line: string, event: DockerEvent): bigint {
	const written = /"timeNano"\s*:\s*(\d+)/.exec(line)?.[1];
	return written ? BigInt(written) : BigInt(Math.round(event.timeNano));
}

export interface SubscriptionOptions {
	filters?: Filters;
	/** resume after this position (replays what the engine still buffers); none: only events from now on */
	resumeFrom?: EventPosition;
	/**
	 * Receives each event once with the position that includes it: persist the position before handing the
	 * event on, so a restart resumes after it.
	 */
	onEvent: (event: DockerEvent, position: EventPosition) => void;
	/** called when the stream drops and a reconnect is scheduled */
	onDisconnect?: (error: Error | undefined, retryInMs: number) => void;
	onReconnect?: () => void;
	initialBackoffMs?: number;
	maxBackoffMs?: number;
}

export interface Subscription {
	close(): void;
	readonly reconnects: number;
}

/**
 * Follows the engine's event stream. Resolves once the first connection stands (rejects if it cannot be made,
 * so a misconfigured trigger fails on activation); afterwards reconnects with exponential backoff, resuming from
 * the last event seen (`since`), skipping events already delivered.
 */
export async function subscribeEvents(
	client: DockerClient,
	options: SubscriptionOptions,
): Promise<Subscription> {
	const initial = options.initialBackoffMs ?? 1000;
	const max = options.maxBackoffMs ?? 30000;
	let closed = false;
	let stream: Readable | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let position: EventPosition = options.resumeFrom
		? { timeNano: options.resumeFrom.timeNano, seenAtTime: [...options.resumeFrom.seenAtTime] }
		: { timeNano: '0', seenAtTime: [] };
	let failures = 0;
	let reconnects = 0;
	const controller = new AbortController();

	const attach = (next: Readable) => {
		stream = next;
		let buffered = '';
		let dropped = false;
		const drop = (error?: Error) => {
			if (dropped || closed) return;
			dropped = true;
			next.destroy();
			schedule(error);
		};
		next.on('data', (chunk: Buffer | string) => {
			failures = 0;
			buffered += chunk.toString();
			const lines = buffered.split('\n');
			buffered = lines.pop() ?? '';
			for (const line of lines) {
				if (!line.trim()) continue;
				let event: EngineEvent;
				try {
					event = JSON.parse(line) as EngineEvent;
				} catch {
					continue;
				}
				const flat = flattenEvent(event);
				const advanced = advance(position, flat, exactTimeNano(line, flat));
				if (!advanced) continue;
				position = advanced;
				options.onEvent(flat, position);
			}
		});
		next.once('end', () => drop());
		next.once('close', () => drop());
		next.once('error', (error) => drop(error));
	};

	const connect = async () => {
		const since = position.timeNano !== '0' ? sinceOf(BigInt(position.timeNano)) : undefined;
		const next = await client.events({
			filters: options.filters,
			...(since ? { since } : {}),
			signal: controller.signal,
		});
		if (closed) {
			next.destroy();
			return;
		}
		attach(next);
	};

	const schedule = (error?: Error) => {
		if (closed) return;
		const delay = Math.min(max, initial * 2 ** failures);
		failures++;
		options.onDisconnect?.(error, delay);
		timer = setTimeout(() => {
			timer = undefined;
			if (closed) return;
			connect().then(
				() => {
					reconnects++;
					options.onReconnect?.();
				},
				(reason: unknown) => schedule(reason instanceof Error ? reason : new Error(String(reason))),
			);
		}, delay);
	};

	await connect();
	return {
		close() {
			closed = true;
			if (timer) clearTimeout(timer);
			controller.abort();
			stream?.destroy();
		},
		get reconnects() {
			return reconnects;
		},
	};
}

/**
 * The position after `event`, or undefined when the event was handed over already: older than the position, or
 * at the same nanosecond with an identity already seen (the engine replays `since` inclusively).
 */
export function advance(
	position: EventPosition,
	event: DockerEvent,
	exactNano: bigint,
): EventPosition | undefined {
	if (exactNano === 0n) return position;
	const current = BigInt(position.timeNano);
	if (exactNano < current) return undefined;
	const key = eventKey(event, exactNano);
	if (exactNano === current) {
		if (position.seenAtTime.includes(key)) return undefined;
		return { timeNano: position.timeNano, seenAtTime: [...position.seenAtTime, key] };
	}
	return { timeNano: String(exactNano), seenAtTime: [key] };
}
