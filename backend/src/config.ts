import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_CALLBACK_ALLOW } from './engine/callback-target';
import type { ServicesConfig } from './services';

export type { ServicesConfig } from './services';

export interface BackendConfig {
	host: string;
	port: number;
	/** bearer token every route but /healthz requires */
	token: string;
	/** SQLite database file (the embedded default store) */
	databaseFile: string;
	/** PostgreSQL connection string; when set, the shared store is used instead of SQLite */
	databaseUrl?: string;
	/** a request whose headers and body take longer than this is cut with 408 */
	requestTimeoutMs?: number;
	/** largest request body accepted (413 above) */
	bodyLimitBytes: number;
	/** jobs one instance runs at once */
	concurrency: number;
	/** job lease: another instance takes over a job whose engine stopped renewing it for this long */
	leaseMs: number;
	pollMs: number;
	logLevel: string;
	services: ServicesConfig;
	/**
	 * stable name of this instance (PostgreSQL): on start it takes back at once the jobs its previous process
	 * held instead of waiting for their leases to lapse. Must differ between instances running at the same time.
	 */
	instanceId?: string;
	/** CIDRs callbacks may go to (HOMELAB_BACKEND_CALLBACK_ALLOW, comma-separated); link-local never */
	callbackAllow?: string[];
	/** a module whose `jobs` export adds job types (tests, site-specific jobs) */
	extraJobsModule?: string;
}

function integer(name: string, value: unknown, min: number, max: number): number {
	const n = Number(value);
	if (!Number.isInteger(n) || n < min || n > max)
		throw new Error(`${name} ${String(value)} must be an integer in ${min}..${max}`);
	return n;
}

function instanceId(value: string | undefined): string | undefined {
	if (!value) return undefined;
	if (!/^[A-Za-z0-9._-]{1,64}$/.test(value))
		throw new Error(
			`HOMELAB_BACKEND_INSTANCE_ID "${value}" must be 1-64 letters, digits, dots, dashes or underscores`,
		);
	return value;
}

/**
 * The file's `services` overlaid by environment variables, so secrets can stay out of the file:
 * HOMELAB_BACKEND_PROXMOX_URL, _PROXMOX_TOKEN_ID, _PROXMOX_TOKEN_SECRET, _PROXMOX_INSECURE=1 (self-signed).
 */
function servicesConfig(file: ServicesConfig, env: NodeJS.ProcessEnv, databaseFile: string): ServicesConfig {
	const services: ServicesConfig = { ...file };
	if (file.docker)
		services.docker = {
			...file.docker,
			hosts: file.docker.hosts ?? {},
			// the compose files live beside the database (the Docker image's /data volume)
			projectsDir: path.resolve(file.docker.projectsDir ?? path.join(path.dirname(databaseFile), 'stacks')),
		};
	// an empty variable counts as unset (docker-compose passes `${VAR:-}` through as "")
	const url = env.HOMELAB_BACKEND_PROXMOX_URL || file.proxmox?.baseUrl;
	if (url || env.HOMELAB_BACKEND_PROXMOX_TOKEN_ID || env.HOMELAB_BACKEND_PROXMOX_TOKEN_SECRET) {
		const proxmox = {
			...file.proxmox,
			baseUrl: url ?? '',
			tokenId: env.HOMELAB_BACKEND_PROXMOX_TOKEN_ID || file.proxmox?.tokenId || '',
			tokenSecret: env.HOMELAB_BACKEND_PROXMOX_TOKEN_SECRET || file.proxmox?.tokenSecret || '',
			...(env.HOMELAB_BACKEND_PROXMOX_INSECURE
				? { rejectUnauthorized: env.HOMELAB_BACKEND_PROXMOX_INSECURE !== '1' }
				: {}),
		};
		for (const key of ['baseUrl', 'tokenId', 'tokenSecret'] as const)
			if (!proxmox[key])
				throw new Error(
					`services.proxmox.${key} is missing: set it in the config file or HOMELAB_BACKEND_PROXMOX_${key === 'baseUrl' ? 'URL' : key === 'tokenId' ? 'TOKEN_ID' : 'TOKEN_SECRET'}`,
				);
		services.proxmox = proxmox;
	}
	return services;
}

/** placeholders shipped in .env.example and docs, and words people put in their place */
const PLACEHOLDER =
	/replace-with|change-?me|CHANGE-?ME|placeholder|example|your-|secret|password|token|xxxxx/;

/** estimated entropy in bits from the token's own character frequencies (a repeated or short token scores low) */
function entropyBits(token: string): number {
	const counts = new Map<string, number>();
	for (const char of token) counts.set(char, (counts.get(char) ?? 0) + 1);
	let perChar = 0;
	for (const count of counts.values()) perChar -= (count / token.length) * Math.log2(count / token.length);
	return perChar * token.length;
}

/** why a bearer token is too weak to guard the backend, or undefined */
export function tokenWeakness(token: string): string | undefined {
	if (!token) return 'is not set';
	if (token.length < 20) return 'is shorter than 20 characters';
	if (PLACEHOLDER.test(token)) return 'is a placeholder (from .env.example or the docs), not a secret';
	// runs like 01234567 or abcdefgh, or one character 8 times: typed by hand, not generated
	const codes = [...token].map((char) => char.charCodeAt(0));
	for (let start = 0; start + 8 <= codes.length; start++) {
		const run = codes.slice(start, start + 8);
		const step = run[1] - run[0];
		if (Math.abs(step) <= 1 && run.every((code, index) => index === 0 || code - run[index - 1] === step))
			return 'contains a run like "01234567" or "aaaaaaaa"';
	}
	if (entropyBits(token) < 80) return 'has too little entropy (under 80 bits by its character spread)';
	return undefined;
}

/** Reads config from an optional JSON file (HOMELAB_BACKEND_CONFIG) overlaid by environment variables. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BackendConfig {
	const file = env.HOMELAB_BACKEND_CONFIG
		? (JSON.parse(readFileSync(env.HOMELAB_BACKEND_CONFIG, 'utf8')) as Partial<BackendConfig>)
		: {};
	const token = env.HOMELAB_BACKEND_TOKEN ?? file.token ?? '';
	const weakness = tokenWeakness(token);
	if (weakness)
		throw new Error(
			`HOMELAB_BACKEND_TOKEN ${weakness}; it is worth root on every configured Docker host: generate one with \`openssl rand -hex 32\``,
		);
	const port = Number(env.HOMELAB_BACKEND_PORT ?? file.port ?? 8787);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`HOMELAB_BACKEND_PORT ${port} is not a port number`);
	const databaseUrl = env.HOMELAB_BACKEND_DATABASE_URL ?? file.databaseUrl;
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
		throw new Error('HOMELAB_BACKEND_DATABASE_URL must be a postgres:// connection string');
	return {
		host: env.HOMELAB_BACKEND_HOST ?? file.host ?? '127.0.0.1',
		port,
		token,
		databaseFile: path.resolve(env.HOMELAB_BACKEND_DB ?? file.databaseFile ?? 'homelab-backend.sqlite'),
		databaseUrl: databaseUrl || undefined,
		bodyLimitBytes: integer(
			'HOMELAB_BACKEND_BODY_LIMIT',
			env.HOMELAB_BACKEND_BODY_LIMIT ?? file.bodyLimitBytes ?? 1_048_576,
			1024,
			64 * 1_048_576,
		),
		requestTimeoutMs: integer(
			'HOMELAB_BACKEND_REQUEST_TIMEOUT_MS',
			env.HOMELAB_BACKEND_REQUEST_TIMEOUT_MS ?? file.requestTimeoutMs ?? 30_000,
			500,
			600_000,
		),
		concurrency: integer(
			'HOMELAB_BACKEND_CONCURRENCY',
			env.HOMELAB_BACKEND_CONCURRENCY ?? file.concurrency ?? 8,
			1,
			1000,
		),
		leaseMs: integer(
			'HOMELAB_BACKEND_LEASE_MS',
			env.HOMELAB_BACKEND_LEASE_MS ?? file.leaseMs ?? 30_000,
			100,
			3_600_000,
		),
		pollMs: integer('HOMELAB_BACKEND_POLL_MS', env.HOMELAB_BACKEND_POLL_MS ?? file.pollMs ?? 500, 5, 60_000),
		logLevel: env.HOMELAB_BACKEND_LOG_LEVEL ?? file.logLevel ?? 'info',
		services: servicesConfig(
			file.services ?? {},
			env,
			path.resolve(env.HOMELAB_BACKEND_DB ?? file.databaseFile ?? 'homelab-backend.sqlite'),
		),
		extraJobsModule: env.HOMELAB_BACKEND_EXTRA_JOBS ?? file.extraJobsModule,
		callbackAllow: env.HOMELAB_BACKEND_CALLBACK_ALLOW
			? env.HOMELAB_BACKEND_CALLBACK_ALLOW.split(',').map((cidr) => cidr.trim())
			: (file.callbackAllow ?? DEFAULT_CALLBACK_ALLOW),
		instanceId: instanceId(env.HOMELAB_BACKEND_INSTANCE_ID ?? file.instanceId),
	};
}
