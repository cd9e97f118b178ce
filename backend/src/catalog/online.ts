import type Docker from 'dockerode';

import { DockerClient } from '../../../clients/docker/client';
import type { DockerConnectionOptions } from '../../../clients/docker/connection';
import { LABELS, StackManager } from '../../../clients/docker/compose/stack';
import type { Catalog, HostDeclaration, ServiceDeclaration } from './model';
import { substitute } from './secrets';

export type ContainerAction = 'create' | 'recreate' | 'start' | 'unchanged' | 'remove';

export interface ContainerPlan {
	composeService: string;
	container: string;
	action: ContainerAction;
	/** why (never a value: env changes name the variables only) */
	reason?: string;
}

export interface LiveServicePlan {
	name: string;
	host: string;
	action: 'create' | 'change' | 'unchanged' | 'unknown';
	containers: ContainerPlan[];
	/** the host could not be asked: the plan for this service is unknown */
	error?: string;
}

/** The Docker Host connection of a catalog host, secrets resolved (only ever handed to the client). */
export function connectionOf(catalog: Catalog, host: HostDeclaration): DockerConnectionOptions {
	const resolved = Object.fromEntries(
		Object.entries(host.fields).map(([key, value]) => [
			key,
			typeof value === 'string' ? substitute(value, (name) => catalog.secrets.get(name) ?? '') : value,
		]),
	);
	return { ...(resolved as unknown as DockerConnectionOptions), readOnly: true, timeoutMs: 15_000 };
}

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** why a container whose config hash differs would be recreated: image, env names, or the rest of compose */
async function recreateReason(
	client: DockerClient,
	found: Docker.ContainerInfo,
	body: Docker.ContainerCreateOptions,
) {
	const inspected = await client.inspectContainer(found.Id);
	const reasons: string[] = [];
	if (inspected.Config.Image !== body.Image) reasons.push(`image ${inspected.Config.Image} -> ${body.Image}`);
	const envOf = (list: string[] | undefined) =>
		new Map(
			(list ?? []).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
		);
	const running = envOf(inspected.Config.Env);
	const wanted = envOf(body.Env);
	const names = [
		...new Set([...wanted.keys()].filter((name) => running.get(name) !== wanted.get(name))),
	].sort();
	if (names.length) reasons.push(`env ${names.join(', ')} changed`);
	return reasons.length ? reasons.join('; ') : 'compose configuration changed (config hash)';
}

/** What deploying this service would do to its containers, decided the way StackManager.deploy decides. */
async function planStack(client: DockerClient, service: ServiceDeclaration): Promise<ContainerPlan[]> {
	const stacks = new StackManager(client);
	const existing = await stacks.containers(service.name);
	const plans: ContainerPlan[] = [];
	const imageIds = new Map<string, string | undefined>();
	for (const compose of service.project.services) {
		if (!imageIds.has(compose.image))
			imageIds.set(
				compose.image,
				(await client.imageExists(compose.image)) ? (await client.inspectImage(compose.image)).Id : undefined,
			);
		for (let number = 1; number <= compose.replicas; number++) {
			const resolve = (other: string) =>
				existing.find((info) => info.Labels[LABELS.service] === other)?.Id ?? `<${other}>`;
			const body = stacks.containerBody(service.project, compose, number, resolve);
			const extraNetworks = Object.keys(compose.networks)
				.slice(1)
				.map((key) => ({
					key,
					name:
						service.project.networks.find((network) => network.key === key)?.name ?? `${service.name}_${key}`,
					aliases: [compose.name, ...compose.networks[key].aliases],
					ipv4Address: compose.networks[key].ipv4Address,
				}));
			const hash = StackManager.configHash(body, extraNetworks);
			const found = existing.find(
				(info) =>
					info.Labels[LABELS.service] === compose.name &&
					(info.Labels[LABELS.number] ?? '1') === String(number),
			);
			const imageId = imageIds.get(compose.image);
			const plan = (action: ContainerAction, reason?: string) =>
				plans.push({
					composeService: compose.name,
					container: body.name,
					action,
					...(reason ? { reason } : {}),
				});
			if (!found) plan('create', imageId ? undefined : `image ${compose.image} will be pulled`);
			else if (found.Labels[LABELS.hash] !== hash)
				plan('recreate', await recreateReason(client, found, body));
			else if (!imageId) plan('recreate', `image ${compose.image} is not on the host: it will be pulled`);
			else if (found.ImageID !== imageId)
				plan(
					'recreate',
					`image ${compose.image} is now ${short(imageId)}, the container runs ${short(found.ImageID)}`,
				);
			else if (found.State !== 'running') plan('start', `the container is ${found.State}`);
			else plan('unchanged');
		}
	}
	const declared = new Set(service.project.services.map((compose) => compose.name));
	for (const info of existing)
		if (!declared.has(info.Labels[LABELS.service]))
			plans.push({
				composeService: info.Labels[LABELS.service],
				container: info.Names[0]?.replace(/^\//, '') ?? info.Id,
				action: 'remove',
				reason: 'its service is no longer in the compose file',
			});
	return plans;
}

/**
 * The online plan of every service's containers against the Docker hosts (read-only clients). A host that cannot
 * be reached makes its services "unknown" with the reason, never "unchanged".
 */
export async function planLive(
	catalog: Catalog,
	connect: (options: DockerConnectionOptions) => DockerClient = (options) => new DockerClient(options),
): Promise<LiveServicePlan[]> {
	const clients = new Map<string, DockerClient>();
	const hostErrors = new Map<string, string | undefined>();
	const results: LiveServicePlan[] = [];
	for (const service of catalog.services) {
		const host = catalog.hosts[service.host];
		if (!host) {
			// a VM service: its engine exists only after provision-vm
			results.push({
				name: service.name,
				host: service.host,
				action: 'create',
				containers: service.project.services.map((compose) => ({
					composeService: compose.name,
					container: `${service.name}-${compose.name}-1`,
					action: 'create',
					reason: `VM ${service.host} to provision from template ${service.vm?.template ?? '?'}`,
				})),
			});
			continue;
		}
		if (!clients.has(host.name)) {
			const client = connect(connectionOf(catalog, host));
			clients.set(host.name, client);
			// asked once per host: an unreachable host is reported for each of its services without a wait each
			hostErrors.set(
				host.name,
				await client.ping().then(
					() => undefined,
					(error: Error) => error.message,
				),
			);
		}
		try {
			const unreachable = hostErrors.get(host.name);
			if (unreachable) throw new Error(unreachable);
			const containers = await planStack(clients.get(host.name)!, service);
			const changed = containers.some((container) => container.action !== 'unchanged');
			const created = containers.length > 0 && containers.every((container) => container.action === 'create');
			results.push({
				name: service.name,
				host: host.name,
				action: created ? 'create' : changed ? 'change' : 'unchanged',
				containers,
			});
		} catch (error) {
			results.push({
				name: service.name,
				host: host.name,
				action: 'unknown',
				containers: [],
				error: (error as Error).message,
			});
		}
	}
	return results;
}
