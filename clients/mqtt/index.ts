import { createHash } from 'node:crypto';

import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

import { describeError, errorCode } from '../../shared/errors';

/** How to reach an MQTT broker: what the "MQTT Broker" credential holds, free of n8n types. */
export interface MqttConnectionConfig {
	host: string;
	port: number;
	/** mqtts:// instead of mqtt:// */
	tls?: boolean;
	/** accept a self-signed or otherwise unverifiable broker certificate */
	allowSelfSigned?: boolean;
	/** PEM: CA certificate(s) to trust for the broker's certificate (e.g. a homelab's own CA) */
	ca?: string;
	/** PEM: client certificate and its private key, for brokers that require one (mosquitto require_certificate) */
	cert?: string;
	key?: string;
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

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * Re-wraps PEM text that lost its line breaks on the way into a credential (a one-line password field joins
 * them, or turns them into spaces), and checks it holds what `what` needs. Empty stays undefined.
 */
export function normalizePem(
	text: string | undefined,
	what: 'CA Certificate' | 'Client Certificate' | 'Client Key',
): string | undefined {
	if (!text?.trim()) return undefined;
	const blocks = [...text.matchAll(PEM_BLOCK)].map(([, label, body]) => {
		const base64 = body.replace(/\s+/g, '');
		return `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${label}-----`;
	});
	const wanted = what === 'Client Key' ? /PRIVATE KEY$/ : /^CERTIFICATE$/;
	const example = what === 'Client Key' ? '-----BEGIN PRIVATE KEY-----' : '-----BEGIN CERTIFICATE-----';
	const labels = [...text.matchAll(PEM_BLOCK)].map(([, label]) => label);
	if (blocks.length === 0 || !labels.every((label) => wanted.test(label))) {
		throw new Error(
			`${what} is not a PEM ${what === 'Client Key' ? 'private key' : 'certificate'}: paste the file's text from ${example} to its END line`,
		);
	}
	return `${blocks.join('\n')}\n`;
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
		...tlsMaterial(config),
		// QoS 1 messages published while offline wait in the client and go out on reconnect.
		queueQoSZero: false,
		resubscribe: true,
	};
}

function tlsMaterial(config: MqttConnectionConfig): Pick<IClientOptions, 'ca' | 'cert' | 'key'> {
	if (!config.tls) return {};
	const ca = normalizePem(config.ca, 'CA Certificate');
	const cert = normalizePem(config.cert, 'Client Certificate');
	const key = normalizePem(config.key, 'Client Key');
	if (Boolean(cert) !== Boolean(key)) {
		throw new Error(
			'A client certificate needs both Client Certificate and Client Key (one of them is empty)',
		);
	}
	return { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) };
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
			reject(
				new Error(`Could not connect to the MQTT broker ${url}: ${describeMqttError(error, config.tls)}`),
			);
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

/** Certificate checks that fail because the broker's certificate (chain) is not trusted by this client. */
const UNTRUSTED_CERTIFICATE = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_UNTRUSTED',
]);

/**
 * What went wrong in words. TLS failures say "TLS" and what to change in the credential, since a certificate
 * problem otherwise reads like a network one. `tls`: whether a connection attempt used TLS (a reset while
 * connecting then usually means the port does not speak TLS); leave it off for errors of a running session.
 */
export function describeMqttError(error: unknown, tls = false): string {
	const code = (error as { code?: unknown } | undefined)?.code;
	if (typeof code === 'number' && CONNACK_REASONS[code]) return CONNACK_REASONS[code];
	const text = errorCode(error);
	if (text && UNTRUSTED_CERTIFICATE.has(text)) {
		return `TLS: the broker's certificate is not trusted (${describeError(error)}); paste the CA that signed it into the credential's CA Certificate, or turn on Allow Self-Signed Certificate`;
	}
	if (text === 'CERT_HAS_EXPIRED' || text === 'CERT_NOT_YET_VALID') {
		return `TLS: the broker's certificate is outside its validity period (${describeError(error)}); renew it on the broker, or turn on Allow Self-Signed Certificate`;
	}
	if (text === 'ERR_TLS_CERT_ALTNAME_INVALID') {
		return `TLS: the broker's certificate is not for this host (${describeError(error)}); connect by a name or address the certificate lists`;
	}
	if (text?.includes('CERTIFICATE_REQUIRED')) {
		return 'TLS: the broker requires a client certificate; fill in Client Certificate and Client Key in the credential';
	}
	const reason = (error as { reason?: unknown } | undefined)?.reason;
	if (text && (/^ERR_(SSL|TLS)_/.test(text) || typeof reason === 'string')) {
		return `TLS handshake failed: ${typeof reason === 'string' ? reason : describeError(error)}`;
	}
	const described = describeError(error);
	if (tls && (text === 'ECONNRESET' || text === 'EPIPE')) {
		return `${described}; with TLS on this usually means the port does not speak MQTT over TLS (check the port, or turn TLS off)`;
	}
	return described;
}
