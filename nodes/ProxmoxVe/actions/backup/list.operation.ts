import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertVmid } from '../../../../clients/proxmox';
import { toNodeError, withClient } from '../../transport';
import { asTrimmedText } from '../../../../shared/values';
import { getLocatorString, getNodeName } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'VM ID',
		name: 'backupVmid',
		type: 'string',
		default: '',
		placeholder: '100',
		description: 'Only backups of this VM; empty lists all',
		displayOptions: { show: { resource: ['backup'], operation: ['list'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const node = getNodeName(this, itemIndex);
	const storage = getLocatorString(this, itemIndex, 'storage');
	const rawVmid = asTrimmedText(this.getNodeParameter('backupVmid', itemIndex, ''));
	let vmid: number | undefined;
	try {
		vmid = rawVmid ? assertVmid(rawVmid) : undefined;
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex);
	}
	return await withClient(this, itemIndex, async (client) => {
		const content = await client.storageContent(node, storage, { content: 'backup', vmid });
		return content
			.sort((a, b) => (b.ctime ?? 0) - (a.ctime ?? 0))
			.map((volume) => ({
				node,
				storage,
				...volume,
				createdAt: volume.ctime ? new Date(volume.ctime * 1000).toISOString() : null,
			}));
	});
}
