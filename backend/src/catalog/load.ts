import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { checkHostnames, checkPorts, orderServices } from './checks';
import type { Catalog, EdgeDeclaration, HostDeclaration, ServiceDeclaration } from './model';
import { CatalogInvalidError, type CatalogProblem } from './problems';
import { referencedNames, Secrets } from './secrets';
import { loadService } from './service';
import { validateShape } from './validate';
import { problemAt, readYamlFile, type YamlFile, type YamlPath } from './yaml-file';

export interface LoadOptions {
	/** NAME=value secrets file (outside the catalog, mode 600) */
	secretsFile?: string;
	/** consulted after the secrets file; default: none (pass process.env explicitly) */
	env?: Record<string, string | undefined>;
	/** report references no secret source has (default true); false for a base that is only compared */
	requireSecrets?: boolean;
}

interface RootFile {
	hosts: Record<string, Record<string, string | number | boolean>>;
	proxmox?: { templates?: Record<string, { node: string; vmid: number }> };
	edge: {
		domain: string;
		proxy: EdgeDeclaration['proxy'];
		dns: { provider: string; url?: string; zone?: string };
		ca: EdgeDeclaration['ca'];
	};
	services?: string;
}

export const ROOT_FILES = ['homelab.yaml', 'homelab.yml'];

/** every ${NAME} in homelab.yaml must resolve: they are the credentials apply will connect with */
function checkRootSecrets(yaml: YamlFile, secrets: Secrets, problems: CatalogProblem[]): void {
	const walk = (value: unknown, at: YamlPath) => {
		if (typeof value === 'string') {
			for (const name of referencedNames(value))
				if (secrets.get(name) === undefined)
					problems.push(
						problemAt(
							yaml,
							at,
							`secret ${name} is not set`,
							`Add ${name}=... to the secrets file (--secrets, mode 600) or set it in the environment`,
						),
					);
		} else if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...at, index]));
		else if (value && typeof value === 'object')
			for (const [key, inner] of Object.entries(value)) walk(inner, [...at, key]);
	};
	walk(yaml.data, []);
}

function hostsOf(root: RootFile): Record<string, HostDeclaration> {
	return Object.fromEntries(
		Object.entries(root.hosts).map(([name, fields]) => {
			const address = String(fields.address ?? fields.host ?? '127.0.0.1');
			const connection = fields.connection as HostDeclaration['connection'];
			return [name, { name, connection, address, fields }];
		}),
	);
}

/** The service folders: each sub-folder of the services folder holding a service.yaml. */
function serviceFolders(root: string, folder: string, problems: CatalogProblem[]): string[] {
	const absolute = path.join(root, folder);
	if (!existsSync(absolute)) return [];
	const result: string[] = [];
	for (const entry of readdirSync(absolute, { withFileTypes: true }).sort((a, b) =>
		a.name.localeCompare(b.name),
	)) {
		if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
		if (existsSync(path.join(absolute, entry.name, 'service.yaml'))) result.push(entry.name);
		else
			problems.push({
				file: `${folder}/${entry.name}`,
				message: 'has no service.yaml',
				hint: 'Add service.yaml (see docs/catalog.md), or move the folder out of the services folder',
			});
	}
	return result;
}

/**
 * Loads and checks a catalog folder. Throws CatalogInvalidError with every problem found; a catalog that loads
 * is one the deploy can use.
 */
export function loadCatalog(dir: string, options: LoadOptions = {}): Catalog {
	const root = path.resolve(dir);
	const problems: CatalogProblem[] = [];
	const rootName = ROOT_FILES.find((name) => existsSync(path.join(root, name)));
	if (!rootName)
		throw new CatalogInvalidError([
			{
				file: root,
				message: 'has no homelab.yaml',
				hint: 'Point --catalog at the folder holding homelab.yaml',
			},
		]);
	const secrets = Secrets.open({ file: options.secretsFile, env: options.env, catalogRoot: root });
	const requireSecrets = options.requireSecrets ?? true;
	// a message may quote a value that came from a secret (a compose error about an interpolated port, ...)
	const invalid = () =>
		new CatalogInvalidError(
			problems.map((problem) => ({
				...problem,
				message: secrets.mask(problem.message),
				hint: secrets.mask(problem.hint),
			})),
		);
	const rootYaml = readYamlFile(root, rootName, problems);
	if (!rootYaml || !validateShape('catalog', rootYaml, problems)) throw invalid();
	const rootData = rootYaml.data as RootFile;

	const servicesFolder = path.posix.normalize(rootData.services ?? 'services');
	const yamls: YamlFile[] = [];
	for (const folder of serviceFolders(root, servicesFolder, problems)) {
		const yaml = readYamlFile(root, path.posix.join(servicesFolder, folder, 'service.yaml'), problems);
		if (yaml && validateShape('service', yaml, problems)) yamls.push(yaml);
	}
	// the rest relies on every file having its schema's shape
	if (problems.length) throw invalid();
	if (requireSecrets) checkRootSecrets(rootYaml, secrets, problems);

	const edge: EdgeDeclaration = {
		...rootData.edge,
		dns: { ...rootData.edge.dns, zone: rootData.edge.dns.zone ?? rootData.edge.domain },
	};
	const hosts = hostsOf(rootData);
	const templates = rootData.proxmox?.templates ?? {};
	const context = { root, hosts, templates, edge, secrets, requireSecrets };
	const services: ServiceDeclaration[] = [];
	const files = new Map<string, YamlFile>();
	for (const yaml of yamls) {
		const folder = path.posix.basename(path.posix.dirname(yaml.file));
		const service = loadService(yaml, folder, context, problems);
		if (!service) continue;
		const other = services.find((known) => known.name === service.name);
		if (other)
			problems.push(
				problemAt(yaml, ['name'], `service name ${service.name} is also used by ${other.file}`, 'Rename one'),
			);
		else {
			services.push(service);
			files.set(service.name, yaml);
		}
	}
	checkHostnames(services, problems);
	checkPorts(services, problems);
	const ordered = problems.length ? undefined : orderServices(services, files, problems);
	if (!ordered || problems.length) throw invalid();
	return { root, file: rootName, edge, hosts, templates, services: ordered, secrets };
}
