import { EventEmitter } from 'node:events';
import WebSocket from 'ws';

import { describeError } from '../../shared/errors';
import { HomeAssistantError } from './errors';
import type { HomeAssistantConnectionOptions } from './rest';
import type { HassWsError } from './types';
import { baseUrl, websocketUrl } from './url';

// Home Assistant's WebSocket API: https://developers.home-assistant.io/docs/api/websocket
// "Server states": auth_required -> auth -> auth_ok | auth_invalid (then the server closes), then the command
// phase where every message carries an `id` the server echoes ("Message format"). Home Assistant rejects an
// id that is not greater than the previous one with `id_reuse`, so ids here only ever grow — across
// reconnects too. Subscriptions ("Subscribe to events", "Subscribe to trigger") are remembered and sent again
// on every new connection, so a restart of Home Assistant is invisible to their handlers except for the gap.

export interface HomeAssistantSocketOptions extends HomeAssistantConnectionOptions {
	/** Reconnect after the connection drops (default true). The first connect() never retries. */
	reconnect?: boolean;
	/** First reconnect delay; doubles per failed attempt up to maxDelayMs, with ±20 % jitter. */
	initialDelayMs?: number;
	maxDelayMs?: number;
	/** Send a `ping` this often; no `pong` within pongTimeoutMs drops the connection (default 30 s / 10 s). */
	pingIntervalMs?: number;
	pongTimeoutMs?: number;
	/** How long a command waits for its `result` (default 30 s). */
	commandTimeoutMs?: number;
	/** How long connecting and authenticating may take (default 15 s). */
	connectTimeoutMs?: number;
}

export type SubscribeMessage =
	| { type: 'subscribe_events'; event_type?: string }
	| { type: 'subscribe_trigger'; trigger: unknown };

export interface Subscription {
	/** The id of the subscribing message on the current connection (changes after a reconnect). */
	readonly currentId: number | undefined;
	unsubscribe(): Promise<void>;
}

interface SubscriptionRecord {
	message: SubscribeMessage;
	handler: (event: unknown) => void;
	currentId?: number;
	active: boolean;
}

interface Pending {
	resolve: (value: unknown) => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
	type: string;
}

type Incoming =
	| { type: 'auth_required' | 'auth_ok'; ha_version?: string }
	| { type: 'auth_invalid'; message?: string }
	| { type: 'result'; id: number; success: boolean; result?: unknown; error?: HassWsError }
	| { type: 'pong'; id: number }
	| { type: 'event'; id: number; event: unknown };

function rawText(raw: WebSocket.RawData): string {
	if (Buffer.isBuffer(raw)) return raw.toString('utf8');
	if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
	return Buffer.from(raw).toString('utf8');
}

export interface ConnectedInfo {
	/** false for the first connection, true after every reconnect. */
	reconnected: boolean;
	haVersion?: string;
	/** Subscriptions sent again on this connection. */
	resubscribed: number;
}

/**
 * Events: `connected` (ConnectedInfo, after auth_ok and re-subscribing), `disconnected` (reason string),
 * `reconnecting` ({ attempt, delayMs, error? }), `problem` (Error: a refused re-subscription, a missed
 * pong, a message that is not JSON). `problem` is not `error`, so an unobserved one never throws.
 */
export class HomeAssistantSocket extends EventEmitter {
	readonly url: string;
	haVersion?: string;
	/** How many times auth_ok was reached on this client. */
	connections = 0;
	private socket?: WebSocket;
	private authenticated = false;
	private lastId = 0;
	private readonly pending = new Map<number, Pending>();
	private readonly subscriptions = new Set<SubscriptionRecord>();
	private readonly byId = new Map<number, SubscriptionRecord>();
	private closing = false;
	private attempt = 0;
	private reconnectTimer?: NodeJS.Timeout;
	private pingTimer?: NodeJS.Timeout;

	constructor(readonly options: HomeAssistantSocketOptions) {
		super();
		this.url = websocketUrl(baseUrl(options.url));
	}

	get connected(): boolean {
		return this.authenticated && this.socket?.readyState === WebSocket.OPEN;
	}

	/** Connects and authenticates once; rejects with kind `auth` on auth_invalid, `connection` otherwise. */
	async connect(): Promise<void> {
		this.closing = false;
		await this.open();
	}

	/** Sends a command and resolves with its `result` (rejects with kind `command` and Home Assistant's code). */
	async command<T = unknown>(
		message: Record<string, unknown> & { type: string },
		options: { timeoutMs?: number; signal?: AbortSignal } = {},
	): Promise<T> {
		const { id, done } = this.send(message, options);
		void id;
		return (await done) as T;
	}

	/** `get_states` over the socket. */
	async getStates<T = unknown>(): Promise<T> {
		return await this.command<T>({ type: 'get_states' });
	}

	/**
	 * Subscribes (`subscribe_events` / `subscribe_trigger`) and keeps the subscription across reconnects.
	 * `handler` gets each message's `event` field.
	 */
	async subscribe(message: SubscribeMessage, handler: (event: unknown) => void): Promise<Subscription> {
		const record: SubscriptionRecord = { message, handler, active: true };
		this.subscriptions.add(record);
		try {
			await this.sendSubscription(record);
		} catch (error) {
			this.subscriptions.delete(record);

			throw error;
		}
		return {
			get currentId() {
				return record.currentId;
			},
			unsubscribe: async () => {
				record.active = false;
				this.subscriptions.delete(record);
				const id = record.currentId;
				if (id === undefined) return;
				this.byId.delete(id);
				record.currentId = undefined;
				if (this.connected) await this.command({ type: 'unsubscribe_events', subscription: id });
			},
		};
	}

	/** Closes for good: no reconnect, pending commands fail. */
	async close(): Promise<void> {
		this.closing = true;
		clearTimeout(this.reconnectTimer);
		this.stopPing();
		const socket = this.socket;
		this.socket = undefined;
		this.failPending(new HomeAssistantError('cancelled', 'The Home Assistant connection was closed'));
		if (!socket || socket.readyState === WebSocket.CLOSED) return;
		await new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				socket.terminate();
				resolve();
			}, 2000);
			socket.once('close', () => {
				clearTimeout(timer);
				resolve();
			});
			socket.close(1000);
		});
	}

	private nextId(): number {
		this.lastId += 1;
		return this.lastId;
	}

	private send(
		message: Record<string, unknown> & { type: string },
		options: { timeoutMs?: number; signal?: AbortSignal } = {},
	): { id: number; done: Promise<unknown> } {
		const socket = this.socket;
		if (!socket || !this.connected) {
			return {
				id: -1,
				done: Promise.reject(
					new HomeAssistantError('connection', `Not connected to Home Assistant (${message.type})`),
				),
			};
		}
		const id = this.nextId();
		const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs ?? 30000;
		const done = new Promise<unknown>((resolve, reject) => {
			const onAbort = () => {
				this.pending.delete(id);
				clearTimeout(timer);
				reject(new HomeAssistantError('cancelled', `${message.type} was cancelled`));
			};
			const timer = setTimeout(() => {
				this.pending.delete(id);
				options.signal?.removeEventListener('abort', onAbort);
				reject(
					new HomeAssistantError(
						'timeout',
						`Home Assistant did not answer ${message.type} within ${timeoutMs} ms`,
					),
				);
			}, timeoutMs);
			this.pending.set(id, {
				resolve: (value) => {
					options.signal?.removeEventListener('abort', onAbort);
					resolve(value);
				},
				reject: (error) => {
					options.signal?.removeEventListener('abort', onAbort);
					reject(error);
				},
				timer,
				type: message.type,
			});
			options.signal?.addEventListener('abort', onAbort, { once: true });
		});
		socket.send(JSON.stringify({ ...message, id }));
		return { id, done };
	}

	private async sendSubscription(record: SubscriptionRecord): Promise<void> {
		const { id, done } = this.send(record.message);
		if (id > 0) {
			// Events may follow the result immediately: route them from the moment the id is on the wire.
			record.currentId = id;
			this.byId.set(id, record);
		}
		try {
			await done;
		} catch (error) {
			if (id > 0) this.byId.delete(id);
			record.currentId = undefined;

			throw error;
		}
	}

	private open(): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			let settled = false;
			// Only a socket that reached auth_ok can be "disconnected"; one that failed before is just a failure.
			let authed = false;
			const socket = new WebSocket(this.url, {
				rejectUnauthorized: !this.options.allowSelfSigned,
				handshakeTimeout: this.options.connectTimeoutMs ?? 15000,
			});
			this.socket = socket;
			this.authenticated = false;
			const fail = (error: Error) => {
				if (settled) return;
				settled = true;
				clearTimeout(authTimer);
				socket.terminate();
				reject(error);
			};
			const authTimer = setTimeout(
				() =>
					fail(
						new HomeAssistantError(
							'timeout',
							`Home Assistant at ${this.url} did not complete authentication in time`,
						),
					),
				this.options.connectTimeoutMs ?? 15000,
			);
			socket.on('message', (raw: WebSocket.RawData) => {
				let parsed: unknown;
				try {
					parsed = JSON.parse(rawText(raw)) as unknown;
				} catch (error) {
					this.emit(
						'problem',
						new Error(`Home Assistant sent a message that is not JSON: ${describeError(error)}`),
					);
					return;
				}
				// Home Assistant may coalesce several messages into one JSON array.
				for (const message of (Array.isArray(parsed) ? parsed : [parsed]) as Incoming[]) {
					if (message.type === 'auth_required') {
						socket.send(JSON.stringify({ type: 'auth', access_token: this.options.token }));
					} else if (message.type === 'auth_invalid') {
						fail(
							new HomeAssistantError(
								'auth',
								`Home Assistant refused the access token: ${message.message ?? 'auth_invalid'}`,
								{ code: 'auth_invalid', body: message },
							),
						);
					} else if (message.type === 'auth_ok') {
						if (settled) return;
						settled = true;
						authed = true;
						clearTimeout(authTimer);
						this.authenticated = true;
						this.haVersion = message.ha_version;
						const reconnected = this.connections > 0;
						this.connections += 1;
						this.attempt = 0;
						this.startPing();
						void this.resubscribe(reconnected).then(resolve);
					} else this.dispatch(message);
				}
			});
			socket.on('error', (error) => {
				fail(HomeAssistantError.fromConnection(`Cannot connect to Home Assistant at ${this.url}`, error));
			});
			socket.on('close', (code, reason) => {
				const why = `closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`;
				if (!authed) {
					fail(new HomeAssistantError('connection', `Home Assistant at ${this.url} ${why} before auth_ok`));
					return;
				}
				if (this.socket !== socket) return;
				this.authenticated = false;
				this.stopPing();
				this.byId.clear();
				for (const record of this.subscriptions) record.currentId = undefined;
				this.failPending(new HomeAssistantError('connection', `The Home Assistant connection ${why}`));
				this.emit('disconnected', why);
				if (!this.closing && this.options.reconnect !== false) this.scheduleReconnect();
			});
		});
	}

	private async resubscribe(reconnected: boolean): Promise<void> {
		let resubscribed = 0;
		if (reconnected) {
			for (const record of [...this.subscriptions]) {
				if (!record.active) continue;
				try {
					await this.sendSubscription(record);
					resubscribed += 1;
				} catch (error) {
					this.emit('problem', error);
				}
			}
		}
		this.emit('connected', { reconnected, haVersion: this.haVersion, resubscribed } satisfies ConnectedInfo);
	}

	private scheduleReconnect(error?: unknown): void {
		const initial = this.options.initialDelayMs ?? 500;
		const max = this.options.maxDelayMs ?? 30000;
		const base = Math.min(max, initial * 2 ** this.attempt);
		const delayMs = Math.round(base * (0.8 + Math.random() * 0.4));
		this.attempt += 1;
		this.emit('reconnecting', { attempt: this.attempt, delayMs, error });
		clearTimeout(this.reconnectTimer);
		this.reconnectTimer = setTimeout(() => {
			if (this.closing) return;
			this.open().catch((failure: unknown) => {
				if (!this.closing) this.scheduleReconnect(failure);
			});
		}, delayMs);
	}

	private dispatch(message: Incoming): void {
		if (message.type === 'event') {
			const record = this.byId.get(message.id);
			if (record?.active) record.handler(message.event);
			return;
		}
		if (message.type !== 'result' && message.type !== 'pong') return;
		const pending = this.pending.get(message.id);
		if (!pending) return;
		this.pending.delete(message.id);
		clearTimeout(pending.timer);
		if (message.type === 'pong' || message.success) {
			pending.resolve(message.type === 'pong' ? null : (message.result ?? null));
			return;
		}
		const error = message.error ?? { code: 'unknown_error', message: 'no error details' };
		pending.reject(
			new HomeAssistantError(
				'command',
				`Home Assistant refused ${pending.type}: ${error.message} (${error.code})`,
				{
					code: error.code,
					body: error,
				},
			),
		);
	}

	private startPing(): void {
		this.stopPing();
		const interval = this.options.pingIntervalMs ?? 30000;
		const pongTimeoutMs = this.options.pongTimeoutMs ?? 10000;
		this.pingTimer = setInterval(() => {
			const socket = this.socket;
			if (!socket || !this.connected) return;
			this.send({ type: 'ping' }, { timeoutMs: pongTimeoutMs }).done.catch((error: unknown) => {
				if (this.socket !== socket || this.closing) return;
				// Dead connection (no pong): drop it; the close handler reports it and reconnects.
				this.emit('problem', new Error(`no pong from Home Assistant: ${describeError(error)}`));
				socket.terminate();
			});
		}, interval);
	}

	private stopPing(): void {
		clearInterval(this.pingTimer);
		this.pingTimer = undefined;
	}

	private failPending(error: Error): void {
		for (const [id, pending] of this.pending) {
			clearTimeout(pending.timer);
			this.pending.delete(id);
			pending.reject(error);
		}
	}
}
