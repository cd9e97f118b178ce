// DockerOps (the deploy-stack steps) on the shared Docker client in clients/docker. Stacks are deployed through
// the engine API by its StackManager (no compose CLI on the Docker host, the same code as the n8n Docker node), so
// "the project's compose file on the host" is kept on the backend's side: <projectsDir>/<host>/<project>/ holds
// docker-compose.yml, .env and the content hash the write step's check compares.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
	ComposeError,
	DockerClient,
	DockerError,
	formatDotEnv,
	parseCompose,
	parseDotEnv,
	ReadOnlyError,
	StackManager,
	type ComposeProject,
	type DockerConnectionOptions,
} from '../../../clients/docker';
import { PermanentError } from '../engine/types';
import { stackHash } from '../jobs/deploy-stack';
import type { DockerOps } from '../jobs/ops';

/** A Docker engine as the Docker Host credential describes one; `connection` follows from socketPath / host. */
export type DockerHostConfig = Partial<DockerConnectionOptions>;

export interface DockerServiceConfig {
	/** Docker engines by the name jobs use as `host` */
	hosts: Record<string, DockerHostConfig>;
	/** how a `host` that is not a configured name is reached (provision-vm's stack on the new VM's IP) */
	addressDefaults?: DockerHostConfig;
	/** where the compose files live (default: stacks/ beside the SQLite database) */
	projectsDir?: string;
}

/** an address a job may name instead of a configured host: an IP literal or a dotted DNS name (a bare word is a name) */
const ADDRESS = /^(?=.*\.)[a-zA-Z0-9]([a-zA-Z0-9.-]{0,251}[a-zA-Z0-9])?$|^\[?[0-9a-fA-F:]+\]?$/;

function connectionOf(host: string, config: DockerServiceConfig): DockerConnectionOptions {
	// own properties only: "constructor", "__proto__" or "toString" are not configured hosts (they would reach
	// the local socket through Object.prototype)
	const named = Object.hasOwn(config.hosts, host) ? config.hosts[host] : undefined;
	if (named)
		return {
			...named,
			connection: named.connection ?? (named.socketPath ? 'socket' : named.host ? 'tcp' : 'socket'),
		};
	if (!ADDRESS.test(host))
		throw new PermanentError(
			`Docker host "${host}" is neither a name in services.docker.hosts (${Object.keys(config.hosts).join(', ') || 'none configured'}) nor an address`,
		);
	// an address (a freshly provisioned VM): TCP to its engine, with the configured TLS settings if any
	return { connection: 'tcp', port: 2375, ...config.addressDefaults, host };
}

/** Failures retrying cannot fix (a bad compose file, a read-only connection) fail the job at once. */
function classify(error: unknown, what: string): never {
	if (error instanceof PermanentError) throw error;
	if (error instanceof ComposeError || error instanceof ReadOnlyError)
		throw new PermanentError(
			`${what}: ${error.message}${error instanceof DockerError ? ` (${error.hint})` : ''}`,
		);
	if (error instanceof DockerError) {
		const status = error.statusCode;
		const message = `${what}: ${error.message} (${error.hint})`;
		if (status === 400 || status === 401 || status === 403) throw new PermanentError(message);
		throw new Error(message);
	}
	throw error;
}

export function createDockerOps(config: DockerServiceConfig): DockerOps {
	const root = path.resolve(config.projectsDir ?? 'stacks');
	const clients = new Map<string, DockerClient>();
	const client = (host: string) => {
		let found = clients.get(host);
		if (!found) clients.set(host, (found = new DockerClient(connectionOf(host, config))));
		return found;
	};
	const dir = (host: string, project: string) => path.join(root, encodeURIComponent(host), project);
	const files = (host: string, project: string) => ({
		compose: path.join(dir(host, project), 'docker-compose.yml'),
		env: path.join(dir(host, project), '.env'),
		hash: path.join(dir(host, project), '.homelab-hash'),
	});
	/** write-then-rename: a kill -9 mid-write leaves the old file or the new one, never half of one */
	const put = (file: string, content: string, mode = 0o644) => {
		writeFileSync(`${file}.tmp`, content, { mode });
		renameSync(`${file}.tmp`, file);
	};
	const load = (host: string, project: string): ComposeProject => {
		const paths = files(host, project);
		if (!existsSync(paths.compose))
			throw new PermanentError(
				`no compose file for project ${project} on ${host}: the write step did not run`,
			);
		return parseCompose(readFileSync(paths.compose, 'utf8'), {
			projectName: project,
			variables: existsSync(paths.env) ? parseDotEnv(readFileSync(paths.env, 'utf8')) : {},
			workingDir: dir(host, project),
			source: paths.compose,
		});
	};
	const guard = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
		try {
			return await work();
		} catch (error) {
			return classify(error, what);
		}
	};

	return {
		hostProblem: (host) => {
			try {
				connectionOf(host, config);
				return undefined;
			} catch (error) {
				return (error as Error).message;
			}
		},

		writeProject: (host, project, compose, env) =>
			guard(`write ${project} for ${host}`, async () => {
				// refuse a host or file the deploy could not use before anything is written
				connectionOf(host, config);
				parseCompose(compose, { projectName: project, variables: env ?? {} });
				const envText = formatDotEnv(env ?? {});
				const paths = files(host, project);
				mkdirSync(dir(host, project), { recursive: true, mode: 0o700 });
				put(paths.compose, compose);
				// .env may hold secrets: readable by the backend's user only
				put(paths.env, envText, 0o600);
				const hash = stackHash({ compose, env });
				// the hash last: present only when both files are complete
				put(paths.hash, hash);
				return hash;
			}),

		projectHash: (host, project) =>
			guard(`read ${project} for ${host}`, async () => {
				const file = files(host, project).hash;
				return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
			}),

		pull: (host, project, signal) =>
			guard(`pull ${project} on ${host}`, async () => {
				// like `compose pull`: pull_policy never/build skips a service, missing pulls only an absent image
				const docker = client(host);
				const done = new Set<string>();
				for (const service of load(host, project).services) {
					if (done.has(service.image) || service.pullPolicy === 'never' || service.pullPolicy === 'build')
						continue;
					done.add(service.image);
					const onlyMissing = service.pullPolicy === 'missing' || service.pullPolicy === 'if_not_present';
					if (onlyMissing && (await docker.imageExists(service.image))) continue;
					await docker.pullImage(service.image, { signal });
				}
			}),

		build: (host, project) =>
			guard(`build ${project} on ${host}`, async () => {
				throw new PermanentError(
					`build: ${project} is deployed through the Docker engine API, which builds nothing from a compose file; push the image to a registry and reference it under image:`,
				);
			}),

		up: (host, project, signal) =>
			guard(`up ${project} on ${host}`, async () => {
				await new StackManager(client(host)).deploy(load(host, project), {
					// the pull step fetched every image; up uses what is there, like `compose up -d` after `pull`
					pull: 'never',
					signal,
					configFile: files(host, project).compose,
					workingDir: dir(host, project),
				});
			}),

		services: (host, project) =>
			guard(`state of ${project} on ${host}`, async () => {
				const status = await new StackManager(client(host))
					.status(project, load(host, project))
					.catch((error: unknown) => {
						// no container yet: nothing to report (the health wait keeps polling)
						if (error instanceof DockerError && /has no containers/.test(error.message)) return [];
						throw error;
					});
				return status.flatMap((service) =>
					service.containers.length
						? service.containers.map((container) => ({
								service: service.service,
								state: container.state,
								...(container.health ? { health: container.health } : {}),
							}))
						: [{ service: service.service, state: 'missing' }],
				);
			}),
	};
}
