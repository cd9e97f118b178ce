import type { ServicesConfig } from './config';
import type { JobServices } from './jobs/ops';

/**
 * Builds the job steps' service clients from config. The Proxmox, Docker and Synology clients live in clients/
 * (landing on their own branches); each gets a thin adapter to ProxmoxOps / DockerOps / SynologyOps here.
 * Until then a job needing a service fails at its first step with words saying what is missing.
 */
export function createServices(config: ServicesConfig): JobServices {
	void config;
	return {};
}
