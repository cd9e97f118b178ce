import type Docker from 'dockerode';

import { ImageApis } from './images';
import type { Filters } from './types';

// Networks: list, inspect, create, remove, prune. One family of DockerClient (client.ts says why the families
// are stacked classes).

export class NetworkApis extends ImageApis {
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
}
