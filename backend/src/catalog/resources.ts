import { createHash } from 'node:crypto';

import type { Catalog, ServiceDeclaration } from './model';

export type ResourceKind = 'vm' | 'stack' | 'route' | 'record' | 'certificate' | 'docs';

/** One thing the catalog makes exist, with the attributes a plan compares (secrets already masked). */
export interface Resource {
	kind: ResourceKind;
	/** unique within its kind: service name, hostname, docs path */
	id: string;
	service: string;
	attributes: Record<string, string>;
}

/** The order a service's resources are applied in (and listed in plans). */
export const KIND_ORDER: ResourceKind[] = ['vm', 'stack', 'route', 'record', 'certificate', 'docs'];

export const docsPath = (service: string) => `docs/services/${service}.md`;

/** The Markdown page apply writes for a service; the docs site picks these up later. */
export function docsPage(service: ServiceDeclaration): string {
	const lines = [`# ${service.name}`, ''];
	if (service.docs.description) lines.push(service.docs.description, '');
	lines.push('| | |', '| --- | --- |');
	if (service.stack) lines.push(`| Stack | ${service.stack} |`);
	lines.push(
		`| Runs on | ${service.vm ? `VM ${service.vm.name} (template ${service.vm.template})` : service.host} |`,
	);
	if (service.docs.owner) lines.push(`| Owner | ${service.docs.owner} |`);
	lines.push(`| Backup | ${service.backup} |`);
	if (service.expose.length)
		lines.push(`| Addresses | ${service.expose.map((route) => `https://${route.hostname}/`).join(', ')} |`);
	if (service.dependsOn.length) lines.push(`| Depends on | ${service.dependsOn.join(', ')} |`);
	lines.push(`| Images | ${service.project.services.map((compose) => compose.image).join(', ')} |`);
	if (service.docs.links.length)
		lines.push('', '## Links', '', ...service.docs.links.map((link) => `- [${link.title}](${link.url})`));
	if (service.docs.notes) lines.push('', '## Notes', '', service.docs.notes.trim());
	return `${lines.join('\n')}\n`;
}

function stackAttributes(service: ServiceDeclaration): Record<string, string> {
	const env = Object.entries(service.env)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([key, value]) => `${key}=${value}`)
		.join('\n');
	return {
		host: service.host,
		images: service.project.services.map((compose) => `${compose.name}=${compose.image}`).join('\n'),
		compose: service.rendered,
		env,
		// what an online plan compares with the running stack's label (secrets are not in it: masked text)
		configHash: createHash('sha256').update(service.rendered).update(env).digest('hex').slice(0, 16),
	};
}

/** Everything the catalog declares, resource by resource. */
export function desiredResources(catalog: Catalog): Resource[] {
	const resources: Resource[] = [];
	const { edge } = catalog;
	const recordType = /^[\d.]+$/.test(edge.proxy.address)
		? 'A'
		: /:/.test(edge.proxy.address)
			? 'AAAA'
			: 'CNAME';
	for (const service of catalog.services) {
		const add = (kind: ResourceKind, id: string, attributes: Record<string, string>) =>
			resources.push({ kind, id, service: service.name, attributes });
		if (service.vm)
			add('vm', service.vm.name, {
				template: service.vm.template,
				cores: String(service.vm.cores ?? ''),
				memoryMb: String(service.vm.memoryMb ?? ''),
				diskGb: String(service.vm.diskGb ?? ''),
			});
		add('stack', service.name, stackAttributes(service));
		for (const route of service.expose) {
			add('route', route.hostname, { upstream: route.upstream, proxy: edge.proxy.kind });
			if (edge.dns.provider !== 'none')
				add('record', route.hostname, { type: recordType, value: edge.proxy.address, zone: edge.dns.zone });
			add('certificate', route.hostname, {
				issuer: edge.ca.kind === 'acme' ? `acme ${edge.ca.directory ?? ''}`.trim() : 'internal',
			});
		}
		add('docs', docsPath(service.name), { content: docsPage(service) });
	}
	return resources;
}
