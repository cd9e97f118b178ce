import type Docker from 'dockerode';
import type { Readable } from 'node:stream';

import { sleep } from '../../shared/timing';
import { dockerError, DockerError } from './errors';
import { portConfig } from './ports';
import { collect, demux, lines } from './streams';
import { SystemApis } from './system';
import type { ContainerSpec, ExecResult, Filters, LogOptions, LogResult } from './types';

// Containers: list, inspect, create, start/stop/restart/remove, logs, exec, stats, top, wait. One family of
// DockerClient (client.ts says why the families are stacked classes).

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

export class ContainerApis extends SystemApis {
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
		const body = ContainerApis.createBody(spec);
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
				await sleep(20);
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
}
