import type Docker from 'dockerode';

import { NetworkApis } from './networks';
import type { Filters } from './types';

// Volumes: list, inspect, create, remove, prune. One family of DockerClient (client.ts says why the families
// are stacked classes).

export class VolumeApis extends NetworkApis {
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
}
