// Dropdowns (resource locator "From List" modes): nodes, VMs, templates, storages, snapshots, backups, read live from
// the cluster with the node's credential.
import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { asTrimmedText } from '../../../shared/values';
import { getClient, toNodeError } from '../transport';

function matches(filter: string | undefined, ...values: Array<string | number | undefined>): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return values.some((value) => value !== undefined && String(value).toLowerCase().includes(needle));
}

/** A parameter the user already set in the node (empty when it is not set or not shown). */
function currentParameter(ctx: ILoadOptionsFunctions, name: string): string {
	try {
		return asTrimmedText(ctx.getCurrentNodeParameter(name, { extractValue: true }));
	} catch {
		return '';
	}
}

const currentNode = (ctx: ILoadOptionsFunctions) => currentParameter(ctx, 'node');

async function vmItems(
	ctx: ILoadOptionsFunctions,
	filter: string | undefined,
	templates: boolean | 'any',
	kinds: string[] = ['qemu'],
) {
	const client = await getClient.call(ctx);
	const node = currentNode(ctx);
	try {
		const resources = await client.clusterResources('vm');
		const results: INodeListSearchItems[] = resources
			.filter(
				(entry) =>
					kinds.includes(entry.type) && (templates === 'any' || (entry.template === 1) === templates),
			)
			.filter((entry) => !node || entry.node === node)
			.filter((entry) => matches(filter, entry.vmid, entry.name))
			.sort((a, b) => (a.vmid ?? 0) - (b.vmid ?? 0))
			.map((entry) => ({
				name: `${entry.vmid} · ${entry.name ?? 'unnamed'}${kinds.length > 1 ? ` [${entry.type === 'lxc' ? 'CT' : 'VM'}]` : ''}${templates === true ? '' : ` (${entry.status ?? 'unknown'})`}${node ? '' : ` on ${entry.node}`}`,
				value: String(entry.vmid),
			}));
		return { results };
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, undefined, client.identity);
	}
}

export async function searchNodes(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const client = await getClient.call(this);
	try {
		const nodes = await client.nodes();
		return {
			results: nodes
				.filter((entry) => matches(filter, entry.node))
				.sort((a, b) => a.node.localeCompare(b.node))
				.map((entry) => ({ name: `${entry.node} (${entry.status})`, value: entry.node })),
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, undefined, client.identity);
	}
}

export async function searchVms(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await vmItems(this, filter, false);
}

export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await vmItems(this, filter, true);
}

export async function searchContainers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await vmItems(this, filter, 'any', ['lxc']);
}

/** VMs and containers (snapshots work on both). */
export async function searchGuests(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await vmItems(this, filter, false, ['qemu', 'lxc']);
}

export async function searchStorages(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const client = await getClient.call(this);
	const node = currentNode(this);
	try {
		const storages = node
			? await client.storages(node)
			: (await client.clusterResources('storage')).map((entry) => ({
					storage: asTrimmedText(entry.storage),
					type: asTrimmedText(entry.plugintype),
					content: asTrimmedText(entry.content),
				}));
		const seen = new Set<string>();
		return {
			results: storages
				.filter((entry) => !seen.has(entry.storage) && seen.add(entry.storage))
				.filter((entry) => matches(filter, entry.storage))
				.map((entry) => ({ name: `${entry.storage} (${entry.content})`, value: entry.storage })),
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, undefined, client.identity);
	}
}

export async function searchSnapshots(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const client = await getClient.call(this);
	const node = currentNode(this);
	const vmid = currentParameter(this, 'vmid');
	if (!node || !vmid) return { results: [] };
	try {
		const kind = currentParameter(this, 'guestType') === 'lxc' ? 'lxc' : 'qemu';
		const snapshots = await client.snapshots(node, vmid, kind);
		return {
			results: snapshots
				.filter((entry) => entry.name !== 'current' && matches(filter, entry.name, entry.description))
				.map((entry) => ({
					name: entry.description ? `${entry.name} — ${entry.description}` : entry.name,
					value: entry.name,
				})),
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, undefined, client.identity);
	}
}

/** Backups on the chosen node's backup storages, newest first (only the guest type chosen, when one is). */
export async function searchBackups(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const client = await getClient.call(this);
	const node = currentNode(this);
	if (!node) return { results: [] };
	const kind = currentParameter(this, 'restoreGuestType');
	try {
		const storages = await client.storages(node, { content: 'backup' });
		const volumes = (
			await Promise.all(
				storages.map(
					async (entry) => await client.storageContent(node, entry.storage, { content: 'backup' }),
				),
			)
		).flat();
		return {
			results: volumes
				.filter((volume) => (kind !== 'qemu' && kind !== 'lxc' ? true : volume.subtype === kind))
				.filter((volume) => matches(filter, volume.volid, volume.notes, volume.vmid))
				.sort((a, b) => (b.ctime ?? 0) - (a.ctime ?? 0))
				.map((volume) => ({
					name: `${volume.vmid ?? '?'} ${volume.subtype === 'lxc' ? 'CT' : 'VM'}${volume.notes ? ` ${volume.notes}` : ''} · ${volume.ctime ? new Date(volume.ctime * 1000).toISOString().slice(0, 16).replace('T', ' ') : ''} · ${volume.volid}`,
					value: volume.volid,
				})),
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, undefined, client.identity);
	}
}
