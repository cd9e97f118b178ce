import type { JobServices } from './jobs/ops';
import { createDockerOps, type DockerServiceConfig } from './services/docker';
import { createProxmoxOps, type ProxmoxServiceConfig } from './services/proxmox';
import { createSynologyOps, type SynologyServiceConfig } from './services/synology';

/** Service endpoints and their secrets, for the job steps' clients (read by config.ts, wired here). */
export interface ServicesConfig {
	proxmox?: ProxmoxServiceConfig;
	docker?: DockerServiceConfig;
	synology?: SynologyServiceConfig;
}

/**
 * Builds the job steps' services from the config's `services` section: thin adapters (services/*.ts) from the
 * shared clients in clients/ to ProxmoxOps / DockerOps / SynologyOps. A section left out leaves its service
 * undefined, and a job needing it fails at its first step saying which section to add.
 */
export function createServices(config: ServicesConfig): JobServices {
	return {
		...(config.proxmox ? { proxmox: createProxmoxOps(config.proxmox) } : {}),
		...(config.docker ? { docker: createDockerOps(config.docker) } : {}),
		...(config.synology ? { synology: createSynologyOps(config.synology) } : {}),
	};
}
