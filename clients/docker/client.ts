import type Docker from 'dockerode';
import type { Readable } from 'node:stream';

import { createDockerode, describeTarget, type DockerConnectionOptions } from './connection';
import { dockerError, DockerError, ReadOnlyError } from './errors';
import { checkDockerId, dockerPathId } from './ids';
import { collect, demux, followJsonStream, lines, type JsonProgressMessage } from './streams';

export type Filters = Record<string, string[]>;

export interface ContainerSpec {
	name?: string;
	image: string;
	/** argv, never a shell string */
	cmd?: string[];
	entrypoint?: string[];
	env?: Record<string, string>;
	/** "8080:80", "127.0.0.1:53:53/udp", "9000" */
	ports?: string[];
	/** "volume:/data", "/host/path:/path:ro" */
	volumes?: string[];
	labels?: Record<string, string>;
	restartPolicy?: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
	networkMode?: string;
	workingDir?: string;
	user?: string;
	tty?: boolean;
	/** merged last, for anything the fields above do not cover (engine API ContainerCreate body) */
	raw?: Record<string, unknown>;
}

export interface LogOptions {
	tail?: number;
	/** seconds since epoch, or an ISO date */
	since?: number | string;
	until?: number | string;
	timestamps?: boolean;
	stdout?: boolean;
	stderr?: boolean;
}

export interface LogResult {
	stdout: string;
	stderr: string;
	/** both streams, each line prefixed by nothing; in order for a TTY container, else stdout then stderr */
	lines: string[];
}

export interface ExecResult {
	exitCode: number | null;
	stdout: string;
	stderr: string;
}

export interface ProgressEvent {
	message: string;
	detail?: JsonProgressMessage;
}

export type ProgressHandler = (event: ProgressEvent) => void;

function toSeconds(value: number | string | undefined): number | undefined {
	if (value === undefined || value === '') return undefined;
	if (typeof value === 'number') return value;
	if (/^\d+$/.test(value)) return Number(value);
	const parsed = Date.parse(value);
	if (Number.isNaN(parsed))
		throw new DockerError(
			`"${value}" is not a date`,
			'Use an ISO date such as 2024-05-01T12:00:00Z or seconds since 1970',
		);
	return Math.floor(parsed / 1000);
}

/** Parses the short port syntax ("[ip:]host:container[/proto]", "container[/proto]"). */
export function parsePort(spec: string): { container: string; hostIp?: string; hostPort?: string } {
	const match = /^(?:(?:(\[[^\]]+\]|[\d.]+):)?(\d*(?:-\d+)?):)?(\d+(?:-\d+)?)(?:\/(tcp|udp|sctp))?$/.exec(
		spec.trim(),
	);
	if (!match)
		throw new DockerError(
			`"${spec}" is not a port mapping`,
			'Write ports as 8080:80, 127.0.0.1:8080:80 or 53:53/udp',
		);
	const [, hostIp, hostPort, containerPort, protocol] = match;
	return {
		container: `${containerPort}/${protocol ?? 'tcp'}`,
		hostIp: hostIp?.replace(/^\[|\]$/g, ''),
		hostPort: hostPort || undefined,
	};
}

export function portConfig(specs: string[]): {
	ExposedPorts: Record<string, object>;
	PortBindings: Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
} {
	const ExposedPorts: Record<string, object> = {};
	const PortBindings: Record<string, Array<{ HostIp?: string; HostPort?: string }>> = {};
	for (const spec of specs) {
		const port = parsePort(spec);
		ExposedPorts[port.container] = {};
		if (port.hostPort !== undefined || port.hostIp !== undefined) {
			(PortBindings[port.container] ??= []).push({
				...(port.hostIp ? { HostIp: port.hostIp } : {}),
				HostPort: port.hostPort ?? '',
			});
		}
	}
	return { ExposedPorts, PortBindings };
}

/**
 * The Docker client of this pack, shared by the Docker nodes and the backend: typed calls on top of dockerode,
 * every failure a DockerError that names what failed, and a read-only guard on every call that changes the host.
 */
export class DockerClient {
	readonly docker: Docker;
	readonly target: string;
	readonly readOnly: boolean;

	constructor(readonly options: DockerConnectionOptions) {
		this.docker = createDockerode(options);
		this.target = describeTarget(options);
		this.readOnly = options.readOnly === true;
	}

	/** Runs `fn`, turning its failure into a DockerError about `what`. */
	async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
		try {
			return await fn();
		} catch (error) {
			throw dockerError(error, what, this.target);
		}
	}

	/** Like `call`, but refused on a read-only connection. */
	async mutate<T>(what: string, fn: () => Promise<T>): Promise<T> {
		this.assertWritable(what);
		return await this.call(what, fn);
	}

	assertWritable(what: string): void {
		if (this.readOnly) throw new ReadOnlyError(what);
	}

	// dockerode handles whose name/ID is checked and percent-encoded first (ids.ts): dockerode itself puts the
	// string into the request path as is. An invalid one throws a DockerError before any request is made.
	containerHandle(id: string): Docker.Container {
		return this.docker.getContainer(dockerPathId('container', id));
	}

	imageHandle(name: string): Docker.Image {
		return this.docker.getImage(dockerPathId('image', name));
	}

	networkHandle(id: string): Docker.Network {
		return this.docker.getNetwork(dockerPathId('network', id));
	}

	volumeHandle(name: string): Docker.Volume {
		return this.docker.getVolume(dockerPathId('volume', name));
	}

	execHandle(id: string): Docker.Exec {
		return this.docker.getExec(dockerPathId('exec', id));
	}

	// ---- system ----

	async ping(): Promise<{ ok: boolean; apiVersion: string; version: string; os: string; arch: string }> {
		await this.call('Ping the Docker engine', async () => {
			await this.docker.ping();
		});
		const version = await this.version();
		return {
			ok: true,
			apiVersion: version.ApiVersion,
			version: version.Version,
			os: version.Os,
			arch: version.Arch,
		};
	}

	async version(): Promise<Docker.DockerVersion> {
		return await this.call('Read the engine version', async () => await this.docker.version());
	}

	async info(): Promise<Record<string, unknown>> {
		return await this.call(
			'Read the engine info',
			async () => (await this.docker.info()) as Record<string, unknown>,
		);
	}

	async diskUsage(): Promise<Record<string, unknown>> {
		return await this.call(
			'Read disk usage',
			async () => (await this.docker.df()) as Record<string, unknown>,
		);
	}

	async systemPrune(options: { volumes?: boolean; all?: boolean } = {}): Promise<Record<string, unknown>> {
		return await this.mutate('Prune the system', async () => {
			const containers = await this.docker.pruneContainers();
			const networks = await this.docker.pruneNetworks();
			const images = await this.docker.pruneImages({
				filters: JSON.stringify({ dangling: [options.all ? 'false' : 'true'] }),
			} as Parameters<Docker['pruneImages']>[0]);
			const volumes = options.volumes ? await this.docker.pruneVolumes() : undefined;
			const buildCache = await (this.docker as unknown as { pruneBuilder(): Promise<unknown> })
				.pruneBuilder()
				.catch(() => undefined);
			return { containers, networks, images, volumes: volumes ?? null, buildCache: buildCache ?? null };
		});
	}

	// ---- containers ----

	async listContainers(options: { all?: boolean; filters?: Filters; limit?: number } = {}) {
		return await this.call(
			'List containers',
			async () =>
				await this.docker.listContainers({
					all: options.all ?? true,
					...(options.limit ? { limit: options.limit } : {}),
					...(options.filters && Object.keys(options.filters).length
						? { filters: JSON.stringify(options.filters) }
						: {}),
				}),
		);
	}

	async inspectContainer(id: string): Promise<Docker.ContainerInspectInfo> {
		return await this.call(`Inspect container "${id}"`, async () => await this.containerHandle(id).inspect());
	}

	/** Builds the engine's ContainerCreate body from a ContainerSpec. */
	static createBody(spec: ContainerSpec): Docker.ContainerCreateOptions {
		const ports = portConfig(spec.ports ?? []);
		const binds: string[] = [];
		for (const volume of spec.volumes ?? []) {
			const parts = volume.split(':');
			if (parts.length < 2 || parts.length > 3 || !parts[1].startsWith('/'))
				throw new DockerError(
					`"${volume}" is not a volume mapping`,
					'Write volumes as name:/path or /host/path:/path[:ro]',
				);
			binds.push(volume);
		}
		const body: Docker.ContainerCreateOptions = {
			...(spec.name ? { name: spec.name } : {}),
			Image: spec.image,
			...(spec.cmd?.length ? { Cmd: spec.cmd } : {}),
			...(spec.entrypoint?.length ? { Entrypoint: spec.entrypoint } : {}),
			Env: Object.entries(spec.env ?? {}).map(([key, value]) => `${key}=${value}`),
			Labels: spec.labels ?? {},
			ExposedPorts: ports.ExposedPorts,
			...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
			...(spec.user ? { User: spec.user } : {}),
			Tty: spec.tty ?? false,
			HostConfig: {
				PortBindings: ports.PortBindings,
				Binds: binds,
				...(spec.restartPolicy
					? { RestartPolicy: { Name: spec.restartPolicy === 'no' ? '' : spec.restartPolicy } }
					: {}),
				...(spec.networkMode ? { NetworkMode: spec.networkMode } : {}),
			},
		};
		const raw = spec.raw ?? {};
		const merged = { ...body, ...raw } as Docker.ContainerCreateOptions;
		if (raw.HostConfig) merged.HostConfig = { ...body.HostConfig, ...(raw.HostConfig as object) };
		return merged;
	}

	async createContainer(spec: ContainerSpec): Promise<{ id: string; name: string; warnings: string[] }> {
		const body = DockerClient.createBody(spec);
		return await this.mutate(
			`Create container${spec.name ? ` "${spec.name}"` : ''} from ${spec.image}`,
			async () => {
				const container = await this.docker.createContainer(body);
				const info = await container.inspect();
				return { id: container.id, name: info.Name.replace(/^\//, ''), warnings: [] };
			},
		);
	}

	/** Starts a container; `changed` is false when it was already running (the engine answers 304). */
	async startContainer(id: string): Promise<{ id: string; changed: boolean }> {
		return await this.mutate(`Start container "${id}"`, async () => {
			try {
				await this.containerHandle(id).start();
				return { id, changed: true };
			} catch (error) {
				if ((error as { statusCode?: number }).statusCode === 304) return { id, changed: false };
				throw dockerError(error, `Change container "${id}"`, this.target);
			}
		});
	}

	async stopContainer(id: string, timeoutSeconds?: number): Promise<{ id: string; changed: boolean }> {
		return await this.mutate(`Stop container "${id}"`, async () => {
			try {
				await this.containerHandle(id).stop(timeoutSeconds === undefined ? {} : { t: timeoutSeconds });
				return { id, changed: true };
			} catch (error) {
				if ((error as { statusCode?: number }).statusCode === 304) return { id, changed: false };
				throw dockerError(error, `Change container "${id}"`, this.target);
			}
		});
	}

	async restartContainer(id: string, timeoutSeconds?: number): Promise<{ id: string }> {
		return await this.mutate(`Restart container "${id}"`, async () => {
			await this.containerHandle(id).restart(timeoutSeconds === undefined ? {} : { t: timeoutSeconds });
			return { id };
		});
	}

	async removeContainer(
		id: string,
		options: { force?: boolean; volumes?: boolean } = {},
	): Promise<{ id: string; removed: boolean }> {
		return await this.mutate(`Remove container "${id}"`, async () => {
			await this.containerHandle(id).remove({ force: options.force ?? false, v: options.volumes ?? false });
			return { id, removed: true };
		});
	}

	async containerLogs(id: string, options: LogOptions = {}, signal?: AbortSignal): Promise<LogResult> {
		return await this.call(`Read logs of container "${id}"`, async () => {
			const container = this.containerHandle(id);
			const info = await container.inspect();
			const buffer = (await container.logs({
				follow: false,
				stdout: options.stdout ?? true,
				stderr: options.stderr ?? true,
				timestamps: options.timestamps ?? false,
				...(options.tail !== undefined && options.tail >= 0 ? { tail: options.tail } : {}),
				...(toSeconds(options.since) !== undefined ? { since: toSeconds(options.since) } : {}),
				...(toSeconds(options.until) !== undefined ? { until: toSeconds(options.until) } : {}),
				...(signal ? { abortSignal: signal } : {}),
			})) as unknown as Buffer;
			const { stdout, stderr } = demux(
				Buffer.isBuffer(buffer) ? buffer : Buffer.from(String(buffer)),
				info.Config.Tty,
			);
			return { stdout, stderr, lines: [...lines(stdout), ...lines(stderr)] };
		});
	}

	/** Runs `argv` in a running container (no shell involved) and returns its output and exit code. */
	async exec(
		id: string,
		argv: string[],
		options: { env?: Record<string, string>; workingDir?: string; user?: string; signal?: AbortSignal } = {},
	): Promise<ExecResult> {
		if (!argv.length || argv.some((arg) => typeof arg !== 'string'))
			throw new DockerError(
				'The command is empty or not a list of strings',
				'Give the command as an argv array, e.g. ["ls", "-la", "/data"]',
			);
		return await this.mutate(`Exec ${JSON.stringify(argv)} in container "${id}"`, async () => {
			const created = await this.containerHandle(id).exec({
				Cmd: argv,
				AttachStdout: true,
				AttachStderr: true,
				AttachStdin: false,
				Tty: false,
				...(options.env ? { Env: Object.entries(options.env).map(([key, value]) => `${key}=${value}`) } : {}),
				...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
				...(options.user ? { User: options.user } : {}),
			});
			const exec = this.execHandle(created.id);
			const stream = (await exec.start({ hijack: true, stdin: false })) as Readable;
			const output = demux(await collect(stream, options.signal));
			let inspected = await exec.inspect();
			for (let attempt = 0; inspected.Running && attempt < 50; attempt++) {
				await new Promise((resolve) => setTimeout(resolve, 20));
				inspected = await exec.inspect();
			}
			return { exitCode: inspected.ExitCode ?? null, ...output };
		});
	}

	/** One sample of a container's resource use, with CPU and memory percentages worked out. */
	async stats(id: string): Promise<Record<string, unknown>> {
		return await this.call(`Read stats of container "${id}"`, async () => {
			const stats = (await this.containerHandle(id).stats({
				stream: false,
			})) as unknown as Docker.ContainerStats;
			const cpuDelta =
				(stats.cpu_stats?.cpu_usage?.total_usage ?? 0) - (stats.precpu_stats?.cpu_usage?.total_usage ?? 0);
			const systemDelta =
				(stats.cpu_stats?.system_cpu_usage ?? 0) - (stats.precpu_stats?.system_cpu_usage ?? 0);
			const cpus = stats.cpu_stats?.online_cpus || stats.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
			const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
			const cache = (stats.memory_stats?.stats as Record<string, number> | undefined)?.inactive_file ?? 0;
			const memoryUsage = Math.max(0, (stats.memory_stats?.usage ?? 0) - cache);
			const memoryLimit = stats.memory_stats?.limit ?? 0;
			return {
				id,
				cpuPercent: Math.round(cpuPercent * 100) / 100,
				memoryUsageBytes: memoryUsage,
				memoryLimitBytes: memoryLimit,
				memoryPercent: memoryLimit ? Math.round((memoryUsage / memoryLimit) * 10000) / 100 : 0,
				pids: stats.pids_stats?.current ?? null,
				raw: stats as unknown as Record<string, unknown>,
			};
		});
	}

	async top(
		id: string,
		psArgs?: string,
	): Promise<{ titles: string[]; processes: Array<Record<string, string>> }> {
		return await this.call(`List processes of container "${id}"`, async () => {
			const result = (await this.containerHandle(id).top(psArgs ? { ps_args: psArgs } : {})) as {
				Titles: string[];
				Processes: string[][];
			};
			return {
				titles: result.Titles,
				processes: (result.Processes ?? []).map((row) =>
					Object.fromEntries(result.Titles.map((title, index) => [title, row[index]])),
				),
			};
		});
	}

	/** Waits until a container stops; returns its exit code. */
	async wait(
		id: string,
		condition: 'not-running' | 'next-exit' | 'removed' = 'not-running',
		signal?: AbortSignal,
	): Promise<{ id: string; statusCode: number; error: string | null }> {
		return await this.call(`Wait for container "${id}"`, async () => {
			const result = (await this.containerHandle(id).wait({
				condition,
				...(signal ? { abortSignal: signal } : {}),
			})) as {
				StatusCode: number;
				Error?: { Message?: string } | null;
			};
			return { id, statusCode: result.StatusCode, error: result.Error?.Message || null };
		});
	}

	// ---- images ----

	async listImages(options: { all?: boolean; filters?: Filters } = {}) {
		return await this.call(
			'List images',
			async () =>
				await this.docker.listImages({
					all: options.all ?? false,
					...(options.filters && Object.keys(options.filters).length
						? { filters: JSON.stringify(options.filters) }
						: {}),
				}),
		);
	}

	async inspectImage(name: string): Promise<Docker.ImageInspectInfo> {
		return await this.call(`Inspect image "${name}"`, async () => await this.imageHandle(name).inspect());
	}

	async imageExists(name: string): Promise<boolean> {
		try {
			await this.imageHandle(name).inspect();
			return true;
		} catch (error) {
			if ((error as { statusCode?: number }).statusCode === 404) return false;
			throw dockerError(error, `Inspect image "${name}"`, this.target);
		}
	}

	/** Pulls an image, reporting progress; resolves with the image's ID once it is present. */
	async pullImage(
		reference: string,
		options: {
			auth?: { username: string; password: string; serveraddress?: string };
			onProgress?: ProgressHandler;
			signal?: AbortSignal;
			platform?: string;
		} = {},
	): Promise<{ image: string; id: string; status: string }> {
		const ref = reference.includes(':') || reference.includes('@') ? reference : `${reference}:latest`;
		checkDockerId('image', ref);
		return await this.mutate(`Pull image "${ref}"`, async () => {
			const stream = (await this.docker.pull(ref, {
				...(options.auth ? { authconfig: options.auth } : {}),
				...(options.platform ? { platform: options.platform } : {}),
				...(options.signal ? { abortSignal: options.signal } : {}),
			})) as Readable;
			let last = '';
			const messages = await followJsonStream(
				stream,
				(message) => {
					const text = [message.id, message.status, message.progress].filter(Boolean).join(' ');
					if (text && text !== last && options.onProgress)
						options.onProgress({ message: text, detail: message });
					last = text;
				},
				options.signal,
			);
			const status =
				messages
					.map((message) => message.status)
					.filter(Boolean)
					.pop() ?? '';
			const info = await this.imageHandle(ref).inspect();
			return { image: ref, id: info.Id, status };
		});
	}

	async removeImage(name: string, options: { force?: boolean; noprune?: boolean } = {}) {
		return await this.mutate(
			`Remove image "${name}"`,
			async () =>
				(await this.imageHandle(name).remove({
					force: options.force ?? false,
					noprune: options.noprune ?? false,
				})) as unknown as Array<Record<string, string>>,
		);
	}

	async pruneImages(options: { all?: boolean; filters?: Filters } = {}) {
		return await this.mutate(
			'Prune images',
			async () =>
				await this.docker.pruneImages({
					filters: JSON.stringify({ dangling: [options.all ? 'false' : 'true'], ...(options.filters ?? {}) }),
				} as Parameters<Docker['pruneImages']>[0]),
		);
	}

	/** Builds an image from a tar build context (a Dockerfile at its root). */
	async buildImage(
		context: Readable | Buffer,
		tag: string,
		options: { onProgress?: ProgressHandler; signal?: AbortSignal; labels?: Record<string, string> } = {},
	) {
		checkDockerId('image', tag);
		return await this.mutate(`Build image "${tag}"`, async () => {
			const stream = (await this.docker.buildImage(context as unknown as NodeJS.ReadableStream, {
				t: tag,
				rm: true,
				...(options.labels ? { labels: options.labels } : {}),
				...(options.signal ? { abortSignal: options.signal } : {}),
			})) as Readable;
			await followJsonStream(
				stream,
				(message) => {
					if (message.stream?.trim())
						options.onProgress?.({ message: message.stream.trim(), detail: message });
				},
				options.signal,
			);
			const info = await this.imageHandle(tag).inspect();
			return { image: tag, id: info.Id };
		});
	}

	// ---- networks ----

	async listNetworks(filters?: Filters) {
		return await this.call(
			'List networks',
			async () =>
				await this.docker.listNetworks(
					filters && Object.keys(filters).length ? { filters: JSON.stringify(filters) } : {},
				),
		);
	}

	async inspectNetwork(id: string) {
		return await this.call(
			`Inspect network "${id}"`,
			async () => (await this.networkHandle(id).inspect()) as unknown as Record<string, unknown>,
		);
	}

	async createNetwork(options: {
		name: string;
		driver?: string;
		internal?: boolean;
		attachable?: boolean;
		labels?: Record<string, string>;
		subnet?: string;
	}) {
		return await this.mutate(`Create network "${options.name}"`, async () => {
			const network = await this.docker.createNetwork({
				Name: options.name,
				CheckDuplicate: true,
				Driver: options.driver || 'bridge',
				Internal: options.internal ?? false,
				Attachable: options.attachable ?? false,
				Labels: options.labels ?? {},
				...(options.subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: options.subnet }] } } : {}),
			});
			return { id: network.id, name: options.name };
		});
	}

	async removeNetwork(id: string) {
		return await this.mutate(`Remove network "${id}"`, async () => {
			await this.networkHandle(id).remove();
			return { id, removed: true };
		});
	}

	async pruneNetworks(filters?: Filters) {
		return await this.mutate(
			'Prune networks',
			async () =>
				await this.docker.pruneNetworks(
					filters && Object.keys(filters).length
						? ({ filters: JSON.stringify(filters) } as Parameters<Docker['pruneImages']>[0])
						: {},
				),
		);
	}

	// ---- volumes ----

	async listVolumes(filters?: Filters) {
		return await this.call('List volumes', async () => {
			const result = await this.docker.listVolumes(
				filters && Object.keys(filters).length ? { filters: JSON.stringify(filters) } : {},
			);
			return result.Volumes ?? [];
		});
	}

	async inspectVolume(name: string) {
		return await this.call(
			`Inspect volume "${name}"`,
			async () => (await this.volumeHandle(name).inspect()) as unknown as Record<string, unknown>,
		);
	}

	async createVolume(options: {
		name: string;
		driver?: string;
		labels?: Record<string, string>;
		driverOpts?: Record<string, string>;
	}) {
		return await this.mutate(`Create volume "${options.name}"`, async () => {
			await this.docker.createVolume({
				Name: options.name,
				Driver: options.driver || 'local',
				Labels: options.labels ?? {},
				DriverOpts: options.driverOpts ?? {},
			});
			return (await this.volumeHandle(options.name).inspect()) as unknown as Record<string, unknown>;
		});
	}

	async removeVolume(name: string, force = false) {
		return await this.mutate(`Remove volume "${name}"`, async () => {
			await this.volumeHandle(name).remove({ force });
			return { name, removed: true };
		});
	}

	async pruneVolumes(filters?: Filters) {
		return await this.mutate(
			'Prune volumes',
			async () =>
				await this.docker.pruneVolumes(
					filters && Object.keys(filters).length
						? ({ filters: JSON.stringify(filters) } as Parameters<Docker['pruneImages']>[0])
						: {},
				),
		);
	}

	// ---- events ----

	/** The engine's event stream (JSON lines), filtered; the caller owns and destroys the stream. */
	async events(
		options: { filters?: Filters; since?: number | string; signal?: AbortSignal } = {},
	): Promise<Readable> {
		return await this.call(
			'Subscribe to Docker events',
			async () =>
				(await this.docker.getEvents({
					...(options.filters && Object.keys(options.filters).length
						? { filters: JSON.stringify(options.filters) }
						: {}),
					// the engine takes "seconds.nanoseconds" for a resume point; the typings only know numbers
					...(options.since ? { since: options.since as number } : {}),
					...(options.signal ? { abortSignal: options.signal } : {}),
				})) as unknown as Readable,
		);
	}
}
