import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertNodeName, assertVmid } from '../../../../clients/proxmox';
import { maybeWait, withClient } from '../../transport';
import { asTrimmedText } from '../../../../shared/values';
import { getNodeName, getVmid, nodeField, vmField } from '../common';

const show = { resource: ['vm'], operation: ['clone', 'ensureFromTemplate'] };

export const description: INodeProperties[] = [
	vmField(show, { templates: true, name: 'sourceVmid' }),
	{
		displayName: 'New VM ID',
		name: 'newid',
		type: 'number',
		default: 0,
		description: 'ID of the clone; 0 takes the next free ID of the cluster',
		displayOptions: { show },
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'web-01',
		description: 'Name of the clone (a DNS name)',
		displayOptions: { show },
	},
	{
		displayName: 'Clone Mode',
		name: 'full',
		type: 'options',
		options: [
			{ name: 'Full Clone', value: 'full', description: 'An independent copy of all disks' },
			{
				name: 'Linked Clone',
				value: 'linked',
				description: "Shares the template's disks (fast, templates only, same storage)",
			},
		],
		default: 'full',
		displayOptions: { show },
	},
	{
		displayName: 'Clone Options',
		name: 'cloneOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{
				displayName: 'Pool',
				name: 'pool',
				type: 'string',
				default: '',
				description: 'Add the clone to this resource pool',
			},
			{
				displayName: 'Target Storage',
				name: 'storage',
				type: 'string',
				default: '',
				placeholder: 'local-lvm',
				description: "Storage for the clone's disks (full clones only)",
			},
		],
	},
	{
		...nodeField(show, 'Target Node', 'targetNode'),
		required: false,
		description: 'Node the clone should live on; empty keeps it on the source node',
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const source = getVmid(this, itemIndex, 'sourceVmid');
	const requested = this.getNodeParameter('newid', itemIndex, 0) as number;
	const name = (this.getNodeParameter('name', itemIndex, '') as string).trim();
	const full = (this.getNodeParameter('full', itemIndex, 'full') as string) === 'full';
	const options = this.getNodeParameter('cloneOptions', itemIndex, {}) as {
		description?: string;
		pool?: string;
		storage?: string;
	};
	const targetRaw = asTrimmedText(this.getNodeParameter('targetNode', itemIndex, '', { extractValue: true }));
	const target = targetRaw ? assertNodeName(targetRaw, 'Target Node') : undefined;
	if (requested) assertVmid(requested, 'New VM ID');
	return await withClient(this, itemIndex, async (client) => {
		const newid = requested || (await client.nextId());
		const upid = await client.cloneVm(node, source, {
			newid,
			name: name || undefined,
			full,
			target: target && target !== node ? target : undefined,
			storage: options.storage?.trim() || undefined,
			description: options.description || undefined,
			pool: options.pool?.trim() || undefined,
		});
		return {
			vmid: newid,
			node: target ?? node,
			sourceVmid: source,
			name: name || null,
			...(await maybeWait(this, itemIndex, client, upid)),
		};
	});
}
