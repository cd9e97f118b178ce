import https from 'node:https';

import Docker from 'dockerode';

/** How to reach a Docker engine: the shape of the Docker Host credential, usable by the backend as well. */
export interface DockerConnectionOptions {
	connection: 'socket' | 'tcp' | 'ssh';
	/** connection = socket */
	socketPath?: string;
	/** connection = tcp | ssh */
	host?: string;
	port?: number;
	/** connection = tcp: TLS with a CA and optionally a client certificate (Docker's --tlsverify setup) */
	tls?: boolean;
	ca?: string;
	cert?: string;
	key?: string;
	/** connection = tcp with TLS: verify the engine's certificate against `ca` (default true) */
	rejectUnauthorized?: boolean;
	/** connection = ssh */
	username?: string;
	privateKey?: string;
	passphrase?: string;
	password?: string;
	/** refuse every operation that changes the host */
	readOnly?: boolean;
	/** per-request timeout in ms for ordinary calls (streams are not limited) */
	timeoutMs?: number;
}

/** A human-readable address of the engine, for messages ("unix:///var/run/docker.sock", "tcp://nas:2376"). */
export function describeTarget(options: DockerConnectionOptions): string {
	switch (options.connection) {
		case 'socket':
			return `unix://${options.socketPath || '/var/run/docker.sock'}`;
		case 'tcp':
			return `${options.tls ? 'https' : 'http'}://${options.host}:${options.port ?? (options.tls ? 2376 : 2375)}`;
		case 'ssh':
			return `ssh://${options.username ? `${options.username}@` : ''}${options.host}:${options.port ?? 22}`;
	}
}

/** PEM text as typed into a credential field: tolerate literal "\n" sequences from one-line inputs. */
function pem(value: string | undefined): string | undefined {
	if (!value?.trim()) return undefined;
	return value.includes('\\n') && !value.includes('\n') ? value.replace(/\\n/g, '\n') : value;
}

export function createDockerode(options: DockerConnectionOptions): Docker {
	const timeout = options.timeoutMs;
	switch (options.connection) {
		case 'socket':
			return new Docker({ socketPath: options.socketPath || '/var/run/docker.sock', timeout });
		case 'tcp': {
			if (!options.host) throw new Error('The credential has no host for the TCP connection');
			if (!options.tls)
				return new Docker({ protocol: 'http', host: options.host, port: options.port ?? 2375, timeout });
			return new Docker({
				protocol: 'https',
				host: options.host,
				port: options.port ?? 2376,
				ca: pem(options.ca),
				cert: pem(options.cert),
				key: pem(options.key),
				timeout,
				// docker-modem has no rejectUnauthorized option: an agent carries the TLS settings instead
				agent: new https.Agent({
					ca: pem(options.ca),
					cert: pem(options.cert),
					key: pem(options.key),
					rejectUnauthorized: options.rejectUnauthorized !== false,
				}),
			} as Docker.DockerOptions);
		}
		case 'ssh': {
			if (!options.host) throw new Error('The credential has no host for the SSH connection');
			return new Docker({
				protocol: 'ssh',
				host: options.host,
				port: options.port ?? 22,
				username: options.username,
				timeout,
				sshOptions: {
					privateKey: pem(options.privateKey),
					passphrase: options.passphrase || undefined,
					password: options.password || undefined,
				},
			} as Docker.DockerOptions);
		}
	}
}
