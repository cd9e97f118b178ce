import { createHash } from 'node:crypto';

import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

import { describeError } from '../../shared/errors';

/** How to reach an MQTT broker: what the "MQTT Broker" credential holds, free of n8n types. */
export interface MqttConnectionConfig {
	host: string;
	port: number;
	/** mqtts:// instead of mqtt:// */
	tls?: boolean;
	/** accept a self-signed or otherwise unverifiable broker certificate */
	allowSelfSigned?: boolean;
	username?: string;
	password?: string;
	clientId?: string;
}

export interface MqttSessionOptions {
	/** false keeps the broker-side session (subscriptions and queued QoS 1 messages) across reconnects */
	clean?: boolean;
	clientId?: string;
	connectTimeoutMs?: number;
	/** first reconnect delay; 0 turns reconnecting off */
	reconnectMs?: number;
	keepaliveSeconds?: number;
}

/** Reconnect delays double from `initialMs` up to `maxMs`, then stay there; reset on a successful connect. */
export class Backoff {
	private current: number;
	constructor(
		private readonly initialMs = 500,
		private readonly maxMs = 30000,
	) {
		this.current = initialMs;
	}

	next(): number {
		const value = this.current;
		this.current = Math.min(this.current * 2, this.maxMs);
		return value;
	}

	reset(): void {
		this.current = this.initialMs;
	}
}

/**
 * A client id that stays the same across restarts (so a persistent session is found again) and differs per
 * owner (e.g. workflow id + node id): two clients with one id would keep kicking each other off the broker.
 */
export function sessionClientId(prefix: string, purpose: string, owner: string): string {
	const digest = createHash('sha256').update(owner).digest('hex').slice(0, 12);
	return `${prefix.trim() || 'n8n-homelab'}-${purpose}-${digest}`;
}

export function brokerUrl(config: MqttConnectionConfig): string {
	const host = config.host.trim();
	if (!host) throw new Error('the MQTT broker host is empty');
	if (!Number.isInteger(config.port) || config.port < 1 || config.port > 65535) {
		throw new Error(`MQTT port ${config.port} is out of range (1-65535)`);
	}
	const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
	return `${config.tls ? 'mqtts' : 'mqtt'}://${bracketed}:${config.port}`;
}

export function clientOptions(
	config: MqttConnectionConfig,
	session: MqttSessionOptions = {},
): IClientOptions {
	const clientId =
		session.clientId?.trim() ||
		config.clientId?.trim() ||
		`n8n-homelab-${Math.random().toString(16).slice(2, 10)}`;
	return {
		clientId,
		clean: session.clean ?? true,
		username: config.username || undefined,
		password: config.password || undefined,
		connectTimeout: session.connectTimeoutMs ?? 10000,
		reconnectPeriod: session.reconnectMs ?? 1000,
		keepalive: session.keepaliveSeconds ?? 30,
		protocolVersion: 4,
		rejectUnauthorized: config.tls ? !config.allowSelfSigned : undefined,
		// QoS 1 messages published while offline wait in the client and go out on reconnect.
		queueQoSZero: false,
		resubscribe: true,
	};
}

/** Connects and resolves once the broker accepted the connection; rejects with a readable reason otherwise. */
export async function connectMqtt(
	config: MqttConnectionConfig,
	session: MqttSessionOptions = {},
): Promise<MqttClient> {
	const url = brokerUrl(config);
	const client = mqtt.connect(url, clientOptions(config, { reconnectMs: 0, ...session }));
	return await new Promise<MqttClient>((resolve, reject) => {
		const fail = (error: unknown) => {
			cleanup();
			client.end(true);
			reject(new Error(`Could not connect to the MQTT broker ${url}: ${describeMqttError(error)}`));
		};
		const onConnect = () => {
			cleanup();
			resolve(client);
		};
		const onClose = () => fail(new Error('the broker closed the connection'));
		const cleanup = () => {
			client.off('connect', onConnect);
			client.off('error', fail);
			client.off('close', onClose);
		};
		client.once('connect', onConnect);
		client.once('error', fail);
		client.once('close', onClose);
	});
}

/** Connects, publishes each message with the given QoS, waits for the broker's acknowledgement, disconnects. */
export async function publishOnce(
	config: MqttConnectionConfig,
	messages: Array<{ topic: string; payload: string | Buffer; retain?: boolean }>,
	qos: 0 | 1 = 1,
): Promise<void> {
	const client = await connectMqtt(config);
	try {
		for (const message of messages) {
			await client.publishAsync(message.topic, message.payload, { qos, retain: message.retain ?? false });
		}
	} finally {
		await client.endAsync();
	}
}

export async function closeMqtt(client: MqttClient | undefined): Promise<void> {
	if (!client) return;
	await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
}

const CONNACK_REASONS: Record<number, string> = {
	1: 'the broker does not accept this protocol version',
	2: 'the client id was rejected',
	3: 'the broker is unavailable',
	4: 'bad user name or password',
	5: 'not authorized (check user name and password)',
};

export function describeMqttError(error: unknown): string {
	const code = (error as { code?: unknown } | undefined)?.code;
	if (typeof code === 'number' && CONNACK_REASONS[code]) return CONNACK_REASONS[code];
	return describeError(error);
}
