import { createHash } from 'node:crypto';

import type Docker from 'dockerode';

import type { DockerClient } from '../client';
import { dockerError, DockerError } from '../errors';
import { portConfig } from '../ports';
import type { LogOptions, ProgressHandler } from '../types';
import { ComposeError } from './errors';
import { orderByDependencies, PROJECT_NAME, type ComposeProject, type ComposeService } from './model';

/** The labels Docker Compose puts on what it creates; `docker compose ls/ps` and Portainer/Dockge read them. */
export const LABELS = {
	project: 'com.docker.compose.project',
	service: 'com.docker.compose.service',
	number: 'com.docker.compose.container-number',
	oneoff: 'com.docker.compose.oneoff',
	hash: 'com.docker.compose.config-hash',
	workingDir: 'com.docker.compose.project.working_dir',
	configFiles: 'com.docker.compose.project.config_files',
	version: 'com.docker.compose.version',
	network: 'com.docker.compose.network',
	volume: 'com.docker.compose.volume',
	dependsOn: 'com.docker.compose.depends_on',
	image: 'com.docker.compose.image',
} as const;

/** Written as com.docker.compose.version: the compose file format level this model follows. */
export const COMPOSE_VERSION = '2.20.0';

export type PullPolicy = 'missing' | 'always' | 'never';

export interface DeployOptions {
	/** missing (default): pull images not present; always: pull every image (pull and redeploy); never */
	pull?: PullPolicy;
	/** when a pull fails but the image is on the host, warn and use it (`compose pull --ignore-pull-failures`) */
	ignorePullFailures?: boolean;
	/** remove containers of services no longer in the file (default true) */
	removeOrphans?: boolean;
	/** recreate every container even when unchanged */
	forceRecreate?: boolean;
	/** recorded in com.docker.compose.project.config_files / working_dir */
	configFile?: string;
	workingDir?: string;
	onProgress?: ProgressHandler;
	signal?: AbortSignal;
}

export interface ServiceAction {
	service: string;
	container: string;
	id: string | null;
	action: 'created' | 'recreated' | 'unchanged' | 'started' | 'removed';
	reason?: string;
}

export interface DeployResult {
	stack: string;
	services: ServiceAction[];
	networksCreated: string[];
	volumesCreated: string[];
	imagesPulled: Array<{ image: string; id: string }>;
	warnings: string[];
}

export interface StackContainer {
	service: string;
	name: string;
	id: string;
	image: string;
	state: string;
	status: string;
	health: string | null;
	ports: string[];
	createdAt: string;
}

export interface StackSummary {
	name: string;
	status: string;
	services: string[];
	containers: number;
	running: number;
	configFiles: string | null;
	workingDir: string | null;
}

export interface ServiceStatus {
	service: string;
	state: 'running' | 'partial' | 'stopped' | 'missing';
	running: number;
	total: number;
	containers: StackContainer[];
}

function checkName(name: string): void {
	if (!PROJECT_NAME.test(name))
		throw new DockerError(
			`"${name}" is not a valid stack name`,
			'Use lowercase letters, digits, "-" and "_", starting with a letter or digit',
		);
}

function health(status: string): string | null {
	const match = /\((healthy|unhealthy|health: starting)\)/.exec(status);
	return match ? match[1].replace('health: ', '') : null;
}

function toStackContainer(info: Docker.ContainerInfo): StackContainer {
	return {
		service: info.Labels?.[LABELS.service] ?? '',
		name: (info.Names?.[0] ?? '').replace(/^\//, ''),
		id: info.Id,
		image: info.Image,
		state: info.State,
		status: info.Status,
		health: health(info.Status),
		ports: (info.Ports ?? []).map((port) =>
			port.PublicPort
				? `${port.IP ? `${port.IP}:` : ''}${port.PublicPort}->${port.PrivatePort}/${port.Type}`
				: `${port.PrivatePort}/${port.Type}`,
		),
		createdAt: new Date(info.Created * 1000).toISOString(),
	};
}

/**
 * Compose stacks on the Docker engine API: no compose CLI runs, so it works on every host the connection
 * reaches. Containers, networks and volumes carry the compose labels, so `docker compose ls/ps`, Portainer and
 * Dockge see the stacks it deploys (and it sees theirs).
 */
export class StackManager {
	constructor(readonly client: DockerClient) {}

	private get docker(): Docker {
		return this.client.docker;
	}

	private progress(options: DeployOptions, message: string): void {
		if (options.signal?.aborted) {
			throw new DockerError(
				'Stack deploy was cancelled',
				`Stopped before: ${message}. What ran before is in place; deploy again to finish`,
				undefined,
				'ABORT_ERR',
			);
		}
		options.onProgress?.({ message });
	}

	async containers(name: string): Promise<Docker.ContainerInfo[]> {
		checkName(name);
		const list = await this.client.listContainers({
			all: true,
			filters: { label: [`${LABELS.project}=${name}`] },
		});
		return list.filter((info) => info.Labels?.[LABELS.oneoff] !== 'True');
	}

	/** Every compose project on the host (any container with the project label), like `docker compose ls -a`. */
	async list(): Promise<StackSummary[]> {
		const containers = await this.client.listContainers({ all: true, filters: { label: [LABELS.project] } });
		const stacks = new Map<string, Docker.ContainerInfo[]>();
		for (const info of containers) {
			const project = info.Labels[LABELS.project];
			if (!stacks.has(project)) stacks.set(project, []);
			stacks.get(project)!.push(info);
		}
		return [...stacks.entries()]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([name, list]) => {
				const states = new Map<string, number>();
				for (const info of list) states.set(info.State, (states.get(info.State) ?? 0) + 1);
				return {
					name,
					status: [...states.entries()].map(([state, count]) => `${state}(${count})`).join(', '),
					services: [...new Set(list.map((info) => info.Labels[LABELS.service]).filter(Boolean))].sort(),
					containers: list.length,
					running: states.get('running') ?? 0,
					configFiles: list[0].Labels[LABELS.configFiles] ?? null,
					workingDir: list[0].Labels[LABELS.workingDir] ?? null,
				};
			});
	}

	/** The engine ContainerCreate body for replica `number` of a service (labels without the config hash). */
	containerBody(
		project: ComposeProject,
		service: ComposeService,
		number: number,
		resolveContainer: (service: string) => string,
	): Docker.ContainerCreateOptions & { name: string } {
		const name =
			service.containerName && service.replicas <= 1
				? service.containerName
				: `${project.name}-${service.name}-${number}`;
		const ports = portConfig([
			...service.ports,
			...service.expose.map((port) => (port.includes('/') ? port : `${port}/tcp`)),
		]);
		const networkKeys = Object.keys(service.networks);
		const networkName = (key: string) =>
			project.networks.find((network) => network.key === key)?.name ?? `${project.name}_${key}`;
		let networkMode = service.networkMode;
		if (networkMode?.startsWith('service:'))
			networkMode = `container:${resolveContainer(networkMode.slice('service:'.length))}`;
		if (!networkMode && networkKeys.length) networkMode = networkName(networkKeys[0]);
		const volumeName = (key: string) =>
			project.volumes.find((volume) => volume.key === key)?.name ?? `${project.name}_${key}`;
		const restart = service.restart ?? 'no';
		const [restartName, retries] = restart.split(':');
		const healthcheck = service.healthcheck;
		const labels: Record<string, string> = {
			...service.labels,
			[LABELS.project]: project.name,
			[LABELS.service]: service.name,
			[LABELS.number]: String(number),
			[LABELS.oneoff]: 'False',
			[LABELS.version]: COMPOSE_VERSION,
			[LABELS.image]: service.image,
			[LABELS.dependsOn]: service.dependsOn
				.map((dependency) => `${dependency}:service_started:false`)
				.join(','),
		};
		const firstNetwork = networkKeys.length && !service.networkMode ? networkKeys[0] : undefined;
		return {
			name,
			Image: service.image,
			...(service.command ? { Cmd: service.command } : {}),
			...(service.entrypoint ? { Entrypoint: service.entrypoint } : {}),
			Env: Object.entries(service.environment).map(([key, value]) => `${key}=${value}`),
			Labels: labels,
			ExposedPorts: ports.ExposedPorts,
			Tty: service.tty,
			OpenStdin: service.stdinOpen,
			...(service.workingDir ? { WorkingDir: service.workingDir } : {}),
			...(service.user ? { User: service.user } : {}),
			...(service.hostname ? { Hostname: service.hostname } : {}),
			...(service.stopSignal ? { StopSignal: service.stopSignal } : {}),
			...(service.stopGracePeriodSeconds !== undefined
				? { StopTimeout: service.stopGracePeriodSeconds }
				: {}),
			...(healthcheck
				? {
						Healthcheck:
							'disable' in healthcheck
								? { Test: ['NONE'] }
								: {
										Test: healthcheck.test,
										...(healthcheck.intervalNs ? { Interval: healthcheck.intervalNs } : {}),
										...(healthcheck.timeoutNs ? { Timeout: healthcheck.timeoutNs } : {}),
										...(healthcheck.retries ? { Retries: healthcheck.retries } : {}),
										...(healthcheck.startPeriodNs ? { StartPeriod: healthcheck.startPeriodNs } : {}),
									},
					}
				: {}),
			HostConfig: {
				PortBindings: ports.PortBindings,
				Mounts: service.volumes.map((volume) => ({
					Source: '',
					Type: volume.type,
					Target: volume.target,
					...(volume.source
						? { Source: volume.type === 'volume' ? volumeName(volume.source) : volume.source }
						: {}),
					ReadOnly: volume.readOnly,
				})),
				RestartPolicy: {
					Name: restartName === 'no' ? '' : restartName,
					...(retries ? { MaximumRetryCount: Number(retries) } : {}),
				},
				...(networkMode ? { NetworkMode: networkMode } : {}),
				Privileged: service.privileged,
				...(service.init !== undefined ? { Init: service.init } : {}),
				...(service.capAdd.length ? { CapAdd: service.capAdd } : {}),
				...(service.capDrop.length ? { CapDrop: service.capDrop } : {}),
				...(service.extraHosts.length ? { ExtraHosts: service.extraHosts } : {}),
				...(service.dns.length ? { Dns: service.dns } : {}),
				...(service.devices.length
					? {
							Devices: service.devices.map((device) => {
								const [host, container = host, permissions = 'rwm'] = device.split(':');
								return { PathOnHost: host, PathInContainer: container, CgroupPermissions: permissions };
							}),
						}
					: {}),
				...(service.memLimitBytes ? { Memory: service.memLimitBytes } : {}),
				...(service.cpus ? { NanoCpus: Math.round(service.cpus * 1e9) } : {}),
			},
			...(firstNetwork
				? {
						NetworkingConfig: {
							EndpointsConfig: {
								[networkName(firstNetwork)]: {
									Aliases: [service.name, ...service.networks[firstNetwork].aliases],
									...(service.networks[firstNetwork].ipv4Address
										? { IPAMConfig: { IPv4Address: service.networks[firstNetwork].ipv4Address } }
										: {}),
								},
							},
						},
					}
				: {}),
		};
	}

	static configHash(body: Docker.ContainerCreateOptions, extraNetworks: unknown): string {
		return createHash('sha256').update(JSON.stringify({ body, extraNetworks })).digest('hex');
	}

	/**
	 * Creates what is missing, recreates containers whose configuration (config hash label) or image changed,
	 * starts stopped ones, and removes orphans, like `docker compose up -d --remove-orphans`.
	 */
	async deploy(project: ComposeProject, options: DeployOptions = {}): Promise<DeployResult> {
		this.client.assertWritable(`Deploy stack "${project.name}"`);
		checkName(project.name);
		const result: DeployResult = {
			stack: project.name,
			services: [],
			networksCreated: [],
			volumesCreated: [],
			imagesPulled: [],
			warnings: [...project.warnings],
		};
		const services = orderByDependencies(project.services);

		for (const network of project.networks) {
			this.progress(options, `network ${network.name}`);
			const existing = await this.client.listNetworks({ name: [network.name] });
			if (existing.some((entry) => entry.Name === network.name)) continue;
			if (network.external)
				throw new ComposeError(
					`External network "${network.name}" does not exist`,
					`Create it first (Network → Create) or remove external: from networks.${network.key}`,
				);
			await this.client.createNetwork({
				name: network.name,
				driver: network.driver,
				internal: network.internal,
				attachable: network.attachable,
				subnet: network.subnet,
				labels: {
					...network.labels,
					[LABELS.project]: project.name,
					[LABELS.network]: network.key,
					[LABELS.version]: COMPOSE_VERSION,
				},
			});
			result.networksCreated.push(network.name);
		}
		for (const volume of project.volumes) {
			this.progress(options, `volume ${volume.name}`);
			const existing = await this.client.listVolumes({ name: [volume.name] });
			if (existing.some((entry) => entry.Name === volume.name)) continue;
			if (volume.external)
				throw new ComposeError(
					`External volume "${volume.name}" does not exist`,
					`Create it first (Volume → Create) or remove external: from volumes.${volume.key}`,
				);
			await this.client.createVolume({
				name: volume.name,
				driver: volume.driver,
				driverOpts: volume.driverOpts,
				labels: {
					...volume.labels,
					[LABELS.project]: project.name,
					[LABELS.volume]: volume.key,
					[LABELS.version]: COMPOSE_VERSION,
				},
			});
			result.volumesCreated.push(volume.name);
		}

		const imageIds = new Map<string, string>();
		for (const service of services) {
			if (imageIds.has(service.image)) continue;
			const fromFile =
				service.pullPolicy === 'if_not_present'
					? 'missing'
					: service.pullPolicy === 'build'
						? undefined
						: service.pullPolicy;
			const policy: PullPolicy =
				options.pull === 'always' ? 'always' : (fromFile ?? options.pull ?? 'missing');
			const present = policy === 'always' ? false : await this.client.imageExists(service.image);
			if (!present && policy === 'never')
				throw new DockerError(
					`Image "${service.image}" of service ${service.name} is not on the host, and pulling is off`,
					'Pull the image first (Image → Pull) or allow pulling',
				);
			if (!present) {
				this.progress(options, `pull ${service.image}`);
				try {
					const pulled = await this.client.pullImage(service.image, {
						onProgress: options.onProgress,
						signal: options.signal,
					});
					result.imagesPulled.push({ image: service.image, id: pulled.id });
				} catch (error) {
					if (!options.ignorePullFailures || !(await this.client.imageExists(service.image)))
						throw dockerError(error, `Pull image "${service.image}"`, this.client.target);
					result.warnings.push(`${(error as Error).message}; using the image already on the host`);
				}
			}
			imageIds.set(service.image, (await this.client.inspectImage(service.image)).Id);
		}

		const existing = await this.containers(project.name);
		const byService = new Map<string, Docker.ContainerInfo[]>();
		for (const info of existing) {
			const key = info.Labels[LABELS.service];
			if (!byService.has(key)) byService.set(key, []);
			byService.get(key)!.push(info);
		}
		const firstContainer = new Map<string, string>();
		const resolveContainer = (serviceName: string) => {
			const id = firstContainer.get(serviceName);
			if (!id)
				throw new ComposeError(
					`network_mode refers to service "${serviceName}", which has no container`,
					'List that service before this one in depends_on',
				);
			return id;
		};

		for (const service of services) {
			const current = byService.get(service.name) ?? [];
			for (let number = 1; number <= service.replicas; number++) {
				const body = this.containerBody(project, service, number, resolveContainer);
				const extraNetworks = Object.keys(service.networks)
					.slice(1)
					.map((key) => ({
						key,
						name: project.networks.find((network) => network.key === key)?.name ?? `${project.name}_${key}`,
						aliases: [service.name, ...service.networks[key].aliases],
						ipv4Address: service.networks[key].ipv4Address,
					}));
				// where the file lives is recorded but is not configuration: moving it must not recreate containers
				const hash = StackManager.configHash(body, extraNetworks);
				body.Labels = {
					...body.Labels,
					[LABELS.hash]: hash,
					...(options.workingDir ? { [LABELS.workingDir]: options.workingDir } : {}),
					...(options.configFile ? { [LABELS.configFiles]: options.configFile } : {}),
				};
				const found = current.find((info) => (info.Labels[LABELS.number] ?? '1') === String(number));
				const imageId = imageIds.get(service.image)!;
				let reason: string | undefined;
				if (found) {
					if (options.forceRecreate) reason = 'forced';
					else if (found.Labels[LABELS.hash] !== hash) reason = 'configuration changed';
					else if (found.ImageID !== imageId) reason = 'image updated';
					if (!reason) {
						if (found.State !== 'running') {
							this.progress(options, `start ${body.name}`);
							await this.client.startContainer(found.Id);
							result.services.push({
								service: service.name,
								container: body.name,
								id: found.Id,
								action: 'started',
							});
						} else
							result.services.push({
								service: service.name,
								container: body.name,
								id: found.Id,
								action: 'unchanged',
							});
						firstContainer.set(service.name, firstContainer.get(service.name) ?? found.Id);
						continue;
					}
					this.progress(options, `recreate ${body.name} (${reason})`);
					await this.client.stopContainer(found.Id, service.stopGracePeriodSeconds);
					await this.client.removeContainer(found.Id, { force: true });
				} else this.progress(options, `create ${body.name}`);
				const { name, ...createBody } = body;
				const id = await this.client.mutate(
					`Create container "${name}" of service ${service.name}`,
					async () => {
						const container = await this.docker.createContainer({ ...createBody, name });
						for (const network of extraNetworks) {
							await this.client.networkHandle(network.name).connect({
								Container: container.id,
								EndpointConfig: {
									Aliases: network.aliases,
									...(network.ipv4Address ? { IPAMConfig: { IPv4Address: network.ipv4Address } } : {}),
								},
							});
						}
						return container.id;
					},
				);
				await this.client.startContainer(id);
				firstContainer.set(service.name, firstContainer.get(service.name) ?? id);
				result.services.push({
					service: service.name,
					container: name,
					id,
					action: found ? 'recreated' : 'created',
					...(reason ? { reason } : {}),
				});
			}
			for (const extra of current.filter(
				(info) => Number(info.Labels[LABELS.number] ?? '1') > service.replicas,
			)) {
				this.progress(options, `scale down ${service.name}`);
				await this.client.removeContainer(extra.Id, { force: true });
				result.services.push({
					service: service.name,
					container: extra.Names[0]?.replace(/^\//, '') ?? extra.Id,
					id: extra.Id,
					action: 'removed',
					reason: 'scaled down',
				});
			}
		}

		const known = new Set(services.map((service) => service.name));
		const orphans = existing.filter((info) => !known.has(info.Labels[LABELS.service]));
		for (const orphan of orphans) {
			const name = orphan.Names[0]?.replace(/^\//, '') ?? orphan.Id;
			if (options.removeOrphans === false) {
				result.warnings.push(
					`container ${name} belongs to service ${orphan.Labels[LABELS.service]}, which is no longer in the file`,
				);
				continue;
			}
			this.progress(options, `remove orphan ${name}`);
			await this.client.removeContainer(orphan.Id, { force: true });
			result.services.push({
				service: orphan.Labels[LABELS.service],
				container: name,
				id: orphan.Id,
				action: 'removed',
				reason: 'no longer in the compose file',
			});
		}
		return result;
	}

	async stop(
		name: string,
		options: { timeoutSeconds?: number; services?: string[] } = {},
	): Promise<Array<{ service: string; container: string; changed: boolean }>> {
		this.client.assertWritable(`Stop stack "${name}"`);
		const containers = await this.requireContainers(name);
		const result = [];
		for (const info of containers.reverse()) {
			const service = info.Labels[LABELS.service];
			if (options.services?.length && !options.services.includes(service)) continue;
			const stopped = await this.client.stopContainer(info.Id, options.timeoutSeconds);
			result.push({
				service,
				container: info.Names[0]?.replace(/^\//, '') ?? info.Id,
				changed: stopped.changed,
			});
		}
		return result;
	}

	async start(name: string): Promise<Array<{ service: string; container: string; changed: boolean }>> {
		this.client.assertWritable(`Start stack "${name}"`);
		const containers = await this.requireContainers(name);
		const result = [];
		for (const info of containers) {
			const started = await this.client.startContainer(info.Id);
			result.push({
				service: info.Labels[LABELS.service],
				container: info.Names[0]?.replace(/^\//, '') ?? info.Id,
				changed: started.changed,
			});
		}
		return result;
	}

	/** Removes the stack's containers and networks, and its volumes when asked, like `docker compose down [-v]`. */
	async down(name: string, options: { volumes?: boolean; timeoutSeconds?: number } = {}) {
		this.client.assertWritable(`Bring down stack "${name}"`);
		checkName(name);
		const containers = await this.containers(name);
		const removed = {
			stack: name,
			containers: [] as string[],
			networks: [] as string[],
			volumes: [] as string[],
		};
		for (const info of containers) {
			if (info.State === 'running') await this.client.stopContainer(info.Id, options.timeoutSeconds);
			await this.client.removeContainer(info.Id, { force: true });
			removed.containers.push(info.Names[0]?.replace(/^\//, '') ?? info.Id);
		}
		for (const network of await this.client.listNetworks({ label: [`${LABELS.project}=${name}`] })) {
			await this.client.removeNetwork(network.Id);
			removed.networks.push(network.Name);
		}
		if (options.volumes) {
			for (const volume of await this.client.listVolumes({ label: [`${LABELS.project}=${name}`] })) {
				await this.client.removeVolume(volume.Name);
				removed.volumes.push(volume.Name);
			}
		}
		if (!containers.length && !removed.networks.length && !removed.volumes.length)
			throw new DockerError(`Stack "${name}" does not exist on this host`, 'List stacks to see their names');
		return removed;
	}

	private async requireContainers(name: string): Promise<Docker.ContainerInfo[]> {
		const containers = await this.containers(name);
		if (!containers.length)
			throw new DockerError(
				`Stack "${name}" has no containers on this host`,
				'List stacks to see their names, or deploy it first',
			);
		return containers.sort((a, b) => a.Created - b.Created);
	}

	/** Per-service state; with the project, services that have no container yet are reported as missing. */
	async status(name: string, project?: ComposeProject): Promise<ServiceStatus[]> {
		const containers = (await this.containers(name)).map(toStackContainer);
		const services = new Set([
			...(project?.services.map((service) => service.name) ?? []),
			...containers.map((container) => container.service),
		]);
		if (!services.size)
			throw new DockerError(
				`Stack "${name}" has no containers on this host`,
				'List stacks to see their names, or deploy it first',
			);
		return [...services].sort().map((service) => {
			const list = containers
				.filter((container) => container.service === service)
				.sort((a, b) => a.name.localeCompare(b.name));
			const running = list.filter((container) => container.state === 'running').length;
			return {
				service,
				state: !list.length
					? 'missing'
					: running === list.length
						? 'running'
						: running
							? 'partial'
							: 'stopped',
				running,
				total: list.length,
				containers: list,
			};
		});
	}

	async logs(name: string, options: LogOptions & { services?: string[]; signal?: AbortSignal } = {}) {
		const containers = await this.requireContainers(name);
		const result = [];
		for (const info of containers) {
			const service = info.Labels[LABELS.service];
			if (options.services?.length && !options.services.includes(service)) continue;
			const logs = await this.client.containerLogs(info.Id, options, options.signal);
			result.push({ service, container: info.Names[0]?.replace(/^\//, '') ?? info.Id, ...logs });
		}
		return result;
	}
}
