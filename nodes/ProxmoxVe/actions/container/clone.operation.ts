import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertVmid } from '../../../../clients/proxmox';
import { maybeWait, toNodeError, withClient } from '../../transport';
import { asTrimmedText } from '../../../../shared/values';
import { getNodeName, getVmid } from '../common';

const show = { resource: ['container'], operation: ['clone'] };

export const description: INodeProperties[] = [
	{
		displayName: 'New Container ID',
		name: 'ctNewid',
		type: 'number',
		default: 0,
		description: 'ID of the clone; 0 takes the next free ID of the cluster',
		displayOptions: { show },
	},
	{
		displayName: 'Hostname',
		name: 'ctHostname',
		type: 'string',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Full Clone',
		name: 'ctFull',
		type: 'boolean',
		default: true,
		description: 'Whether to copy the disks (off: linked clone, only from a CT template)',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const source = getVmid(this, itemIndex);
	const requested = this.getNodeParameter('ctNewid', itemIndex, 0) as number;
	const hostname = asTrimmedText(this.getNodeParameter('ctHostname', itemIndex, ''));
	const full = this.getNodeParameter('ctFull', itemIndex, true) as boolean;
	try {
		if (requested) assertVmid(requested, 'New Container ID');
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex);
	}
	return await withClient(this, itemIndex, async (client) => {
		const newid = requested || (await client.nextId());
		const upid = await client.cloneContainer(node, source, { newid, hostname: hostname || undefined, full });
		return { node, vmid: newid, sourceVmid: source, ...(await maybeWait(this, itemIndex, client, upid)) };
	});
}
