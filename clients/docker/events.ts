import type { Readable } from 'node:stream';

import type { DockerClient, Filters } from './client';
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

export interface SubscriptionOptions {
	filters?: Filters;
	onEvent: (event: DockerEvent) => void;
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
	let lastNano = 0;
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
				if (flat.timeNano && flat.timeNano <= lastNano) continue;
				lastNano = Math.max(lastNano, flat.timeNano);
				options.onEvent(flat);
			}
		});
		next.once('end', () => drop());
		next.once('close', () => drop());
		next.once('error', (error) => drop(error));
	};

	const connect = async () => {
		const since = lastNano
			? `${Math.floor(lastNano / 1e9)}.${String(lastNano % 1e9).padStart(9, '0')}`
			: undefined;
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
