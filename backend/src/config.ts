import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface BackendConfig {
	host: string;
	port: number;
	/** bearer token every route but /healthz requires */
	token: string;
	/** SQLite database file (the embedded default store) */
	databaseFile: string;
}

/** Reads config from an optional JSON file (HOMELAB_BACKEND_CONFIG) overlaid by environment variables. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BackendConfig {
	const file = env.HOMELAB_BACKEND_CONFIG
		? (JSON.parse(readFileSync(env.HOMELAB_BACKEND_CONFIG, 'utf8')) as Partial<BackendConfig>)
		: {};
	const token = env.HOMELAB_BACKEND_TOKEN ?? file.token ?? '';
	if (token.length < 16) {
		throw new Error(
			'HOMELAB_BACKEND_TOKEN must be set to a secret of at least 16 characters (e.g. `openssl rand -hex 24`)',
		);
	}
	const port = Number(env.HOMELAB_BACKEND_PORT ?? file.port ?? 8787);
	if (!Number.isInteger(port) || port < 1 || port > 65535)
		throw new Error(`HOMELAB_BACKEND_PORT ${port} is not a port number`);
	return {
		host: env.HOMELAB_BACKEND_HOST ?? file.host ?? '127.0.0.1',
		port,
		token,
		databaseFile: path.resolve(env.HOMELAB_BACKEND_DB ?? file.databaseFile ?? 'homelab-backend.sqlite'),
	};
}
