import path from 'node:path';

import { loadCompose } from './compose';
import type { EdgeDeclaration, HostDeclaration, ServiceDeclaration, VmDeclaration } from './model';
import type { CatalogProblem } from './problems';
import { MASK, referencedNames, substitute, type Secrets } from './secrets';
import { suggestion } from './suggest';
import { positionOf, problemAt, type YamlFile } from './yaml-file';

/** service.yaml as the schema allows it */
interface ServiceFile {
	name?: string;
	stack?: string;
	host?: string;
	vm?: VmDeclaration;
	compose?: string;
	env?: Record<string, string | number | boolean>;
	expose?: Array<{ hostname: string; service: string; port: number }>;
	health?: ServiceDeclaration['health'];
	depends_on?: string[];
	backup?: string;
	docs?: Partial<ServiceDeclaration['docs']>;
}

export interface ServiceContext {
	root: string;
	hosts: Record<string, HostDeclaration>;
	templates: Record<string, unknown>;
	edge: EdgeDeclaration;
	secrets: Secrets;
	requireSecrets: boolean;
}

/** the service's env: references resolved (for the deploy) and masked (for output); missing secrets reported */
function resolveEnv(yaml: YamlFile, data: ServiceFile, context: ServiceContext, problems: CatalogProblem[]) {
	const env: Record<string, string> = {};
	const maskedEnv: Record<string, string> = {};
	for (const [key, raw] of Object.entries(data.env ?? {})) {
		const text = String(raw);
		for (const name of referencedNames(text))
			if (context.secrets.get(name) === undefined && context.requireSecrets)
				problems.push(
					problemAt(
						yaml,
						['env', key],
						`secret ${name} is not set`,
						`Add ${name}=... to the secrets file (--secrets, mode 600) or set it in the environment`,
					),
				);
		env[key] = substitute(text, (name) => context.secrets.get(name) ?? '');
		maskedEnv[key] = substitute(text, () => MASK);
	}
	return { env, maskedEnv };
}

/** where it runs: exactly one of host: (a declared host) and vm: (a declared template) */
function placement(yaml: YamlFile, data: ServiceFile, context: ServiceContext, problems: CatalogProblem[]) {
	if (data.host !== undefined && data.vm !== undefined) {
		problems.push(
			problemAt(yaml, ['vm'], 'has both host: and vm:', 'Keep one: the service runs in one place'),
		);
		return undefined;
	}
	if (data.vm) {
		if (!(data.vm.template in context.templates)) {
			problems.push(
				problemAt(
					yaml,
					['vm', 'template'],
					`template "${data.vm.template}" is not in homelab.yaml proxmox.templates`,
					suggestion(data.vm.template, Object.keys(context.templates), 'templates'),
				),
			);
			return undefined;
		}
		return data.vm.name;
	}
	if (data.host === undefined) {
		problems.push(
			problemAt(yaml, [], 'does not say where the service runs', 'Add host: <a key of hosts> or vm:'),
		);
		return undefined;
	}
	if (!(data.host in context.hosts)) {
		problems.push(
			problemAt(
				yaml,
				['host'],
				`host "${data.host}" is not in homelab.yaml hosts`,
				suggestion(data.host, Object.keys(context.hosts), 'hosts'),
			),
		);
		return undefined;
	}
	return data.host;
}

/** One service folder into its declaration; undefined when it has problems (appended). */
export function loadService(
	yaml: YamlFile,
	folder: string,
	context: ServiceContext,
	problems: CatalogProblem[],
): ServiceDeclaration | undefined {
	const data = (yaml.data ?? {}) as ServiceFile;
	const before = problems.length;
	const name = data.name ?? folder;
	if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name))
		problems.push(
			problemAt(
				yaml,
				[],
				`the folder name "${folder}" is not a usable service name`,
				'Rename the folder or set name:',
			),
		);
	const host = placement(yaml, data, context, problems);
	const { env, maskedEnv } = resolveEnv(yaml, data, context, problems);
	const composeFile = path.posix.join(path.posix.dirname(yaml.file), data.compose ?? 'compose.yaml');
	const compose = loadCompose(
		{
			root: context.root,
			file: composeFile,
			project: name,
			env,
			maskedEnv,
			secrets: context.secrets,
			requireSecrets: context.requireSecrets,
		},
		problems,
	);
	if (!compose || host === undefined || problems.length > before) return undefined;

	const address = data.vm ? data.vm.name : context.hosts[host].address;
	const expose: ServiceDeclaration['expose'] = [];
	(data.expose ?? []).forEach((entry, index) => {
		const at = ['expose', index];
		const composeService = compose.project.services.find((service) => service.name === entry.service);
		if (!composeService) {
			const known = compose.project.services.map((service) => service.name);
			problems.push(
				problemAt(
					yaml,
					[...at, 'service'],
					`"${entry.service}" is not a service of ${composeFile}`,
					suggestion(entry.service, known, 'compose services'),
				),
			);
			return;
		}
		const published = compose.published.find(
			(port) =>
				port.composeService === entry.service && port.containerPort === entry.port && port.protocol === 'tcp',
		);
		if (!published) {
			problems.push(
				problemAt(
					yaml,
					[...at, 'port'],
					`compose service ${entry.service} does not publish container port ${entry.port}, so the proxy cannot reach it`,
					`Add ports: ["<host port>:${entry.port}"] to ${entry.service} in ${composeFile}`,
				),
			);
			return;
		}
		const hostname = entry.hostname.includes('.')
			? entry.hostname
			: `${entry.hostname}.${context.edge.domain}`;
		expose.push({
			hostname,
			composeService: entry.service,
			port: entry.port,
			upstream: `${address}:${published.hostPort}`,
			file: yaml.file,
			at: positionOf(yaml, [...at, 'hostname']),
		});
	});
	if (problems.length > before) return undefined;
	return {
		name,
		stack: data.stack,
		file: yaml.file,
		composeFile,
		host,
		vm: data.vm,
		project: compose.project,
		rendered: compose.rendered,
		env: maskedEnv,
		published: compose.published,
		expose,
		health: data.health,
		dependsOn: data.depends_on ?? [],
		backup: data.backup ?? 'none',
		docs: { ...data.docs, links: data.docs?.links ?? [] },
		warnings: compose.project.warnings.map((warning) => `${composeFile}: ${warning}`),
	};
}
