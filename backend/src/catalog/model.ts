import type { ComposeProject } from '../../../clients/docker/compose/model';
import type { Secrets } from './secrets';
import type { Position } from './yaml-file';

/** A Docker host of homelab.yaml; secret fields keep their ${NAME} references (resolved only when connecting). */
export interface HostDeclaration {
	name: string;
	connection: 'socket' | 'tcp' | 'ssh';
	/** where the proxy reaches ports the host publishes */
	address: string;
	fields: Record<string, string | number | boolean>;
}

export interface EdgeDeclaration {
	domain: string;
	proxy: { kind: string; url?: string; address: string };
	dns: { provider: string; url?: string; zone: string };
	ca: { kind: string; directory?: string; email?: string };
}

/** A port a compose service publishes on its host, and where the compose file says so. */
export interface PublishedPort {
	composeService: string;
	hostPort: number;
	containerPort: number;
	protocol: string;
	hostIp?: string;
	file: string;
	at: Position;
}

export interface RouteDeclaration {
	/** full name: hostname + edge.domain when it had no dot */
	hostname: string;
	composeService: string;
	port: number;
	/** what the proxy forwards to: host address + published port */
	upstream: string;
	file: string;
	at: Position;
}

export interface VmDeclaration {
	template: string;
	name: string;
	cores?: number;
	memoryMb?: number;
	diskGb?: number;
}

export interface ServiceDeclaration {
	name: string;
	stack?: string;
	/** service.yaml, relative to the catalog root */
	file: string;
	composeFile: string;
	/** the Docker host it runs on: a key of hosts, or the VM's name */
	host: string;
	vm?: VmDeclaration;
	/** the compose model as the deploy will see it (real values; never printed) */
	project: ComposeProject;
	/** compose after interpolation with secrets masked: what plans show and compare */
	rendered: string;
	/** env with secrets masked */
	env: Record<string, string>;
	published: PublishedPort[];
	expose: RouteDeclaration[];
	health?: { path?: string; expectStatus?: number; expectBody?: string; timeoutSeconds?: number };
	dependsOn: string[];
	backup: string;
	docs: {
		description?: string;
		owner?: string;
		links: Array<{ title: string; url: string }>;
		notes?: string;
	};
	warnings: string[];
}

export interface Catalog {
	root: string;
	file: string;
	edge: EdgeDeclaration;
	hosts: Record<string, HostDeclaration>;
	templates: Record<string, { node: string; vmid: number }>;
	/** in depends_on order: a service comes after everything it depends on */
	services: ServiceDeclaration[];
	secrets: Secrets;
}
