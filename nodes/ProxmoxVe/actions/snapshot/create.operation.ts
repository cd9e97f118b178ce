import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maybeWait, withClient } from '../../transport';
import { getNodeName, getVmid, guestKind } from '../common';

const show = { resource: ['snapshot'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Snapshot Name',
		name: 'snapshotName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'before-upgrade',
		description: 'A letter, then letters, digits, "_" or "-"',
		displayOptions: { show },
	},
	{
		displayName: 'Description',
		name: 'snapshotDescription',
		type: 'string',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Include RAM',
		name: 'vmstate',
		type: 'boolean',
		default: false,
		description: 'Whether to save the memory of a running VM too, so a rollback resumes it running',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const snapname = (this.getNodeParameter('snapshotName', itemIndex) as string).trim();
	const description = this.getNodeParameter('snapshotDescription', itemIndex, '') as string;
	const vmstate = this.getNodeParameter('vmstate', itemIndex, false) as boolean;
	return await withClient(this, itemIndex, async (client) => {
		const upid = await client.createSnapshot(node, vmid, snapname, {
			description: description || undefined,
			vmstate: vmstate || undefined,
			kind: guestKind(this, itemIndex),
		});
		return { node, vmid, snapshot: snapname, ...(await maybeWait(this, itemIndex, client, upid)) };
	});
}
