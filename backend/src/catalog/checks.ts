import type { ServiceDeclaration } from './model';
import type { CatalogProblem } from './problems';
import { suggestion } from './suggest';
import { problemAt, type YamlFile } from './yaml-file';

const where = (file: string, at: { line?: number; column?: number }) =>
	at.line ? `${file}:${at.line}:${at.column ?? 1}` : file;

/** No hostname exposed twice: the proxy could route it to only one of them. */
export function checkHostnames(services: ServiceDeclaration[], problems: CatalogProblem[]): void {
	const seen = new Map<string, ServiceDeclaration['expose'][number]>();
	for (const service of services)
		for (const route of service.expose) {
			const first = seen.get(route.hostname);
			if (!first) {
				seen.set(route.hostname, route);
				continue;
			}
			problems.push({
				file: route.file,
				...route.at,
				message: `hostname ${route.hostname} is also exposed by ${where(first.file, first.at)}`,
				hint: 'Give one of them another hostname',
			});
		}
}

/** Two services cannot publish the same port on one host: the second deploy would fail to bind it. */
export function checkPorts(services: ServiceDeclaration[], problems: CatalogProblem[]): void {
	const seen = new Map<string, { service: string; port: ServiceDeclaration['published'][number] }>();
	for (const service of services)
		for (const port of service.published) {
			const key = `${service.host}/${port.hostPort}/${port.protocol}`;
			const first = seen.get(key);
			// the same service may publish one port on two addresses; different services may not share it
			if (first && first.service !== service.name) {
				problems.push({
					file: port.file,
					...port.at,
					message: `host port ${port.hostPort}/${port.protocol} on host ${service.host} is also published by service ${first.service} (${where(first.port.file, first.port.at)})`,
					hint: 'Publish another host port here (the container port can stay) or move one service to another host',
				});
			} else if (!first) seen.set(key, { service: service.name, port });
		}
}

/**
 * depends_on names services of the catalog and has no cycle; returns the services in apply order (each after all
 * it depends on), or undefined after reporting problems.
 */
export function orderServices(
	services: ServiceDeclaration[],
	files: Map<string, YamlFile>,
	problems: CatalogProblem[],
): ServiceDeclaration[] | undefined {
	const byName = new Map(services.map((service) => [service.name, service]));
	const before = problems.length;
	for (const service of services)
		service.dependsOn.forEach((dependency, index) => {
			if (byName.has(dependency)) return;
			const yaml = files.get(service.name)!;
			problems.push(
				problemAt(
					yaml,
					['depends_on', index],
					`depends_on names "${dependency}", which is not a service of the catalog`,
					suggestion(dependency, [...byName.keys()], 'services'),
				),
			);
		});
	if (problems.length > before) return undefined;

	const ordered: ServiceDeclaration[] = [];
	const state = new Map<string, 'visiting' | 'done'>();
	const visit = (service: ServiceDeclaration, trail: string[]): boolean => {
		if (state.get(service.name) === 'done') return true;
		if (state.get(service.name) === 'visiting') {
			const cycle = [...trail.slice(trail.indexOf(service.name)), service.name];
			const yaml = files.get(service.name)!;
			problems.push(
				problemAt(
					yaml,
					['depends_on'],
					`depends_on cycle: ${cycle.join(' -> ')}`,
					'Remove one of these depends_on entries: a cycle has no order to apply in',
				),
			);
			return false;
		}
		state.set(service.name, 'visiting');
		for (const dependency of [...service.dependsOn].sort())
			if (!visit(byName.get(dependency)!, [...trail, service.name])) return false;
		state.set(service.name, 'done');
		ordered.push(service);
		return true;
	};
	for (const service of [...services].sort((a, b) => a.name.localeCompare(b.name)))
		if (!visit(service, [])) return undefined;
	return ordered;
}
