import type Docker from 'dockerode';
import type { Readable } from 'node:stream';

import { DockerSession } from './session';
import type { Filters } from './types';

// Engine-wide calls: version, info, disk usage, prune, the event stream. One family of DockerClient (client.ts
// says why the families are stacked classes).

export class SystemApis extends DockerSession {
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
