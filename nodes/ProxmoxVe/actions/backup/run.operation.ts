import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseUpid, type VzdumpOptions } from '../../../../clients/proxmox';
import { maybeWait, withClient } from '../../transport';
import { asTrimmedText } from '../../../../shared/values';
import { getLocatorString, getNodeName } from '../common';

const show = { resource: ['backup'], operation: ['run'] };

export const description: INodeProperties[] = [
	{
		displayName: 'All Guests of the Node',
		name: 'allGuests',
		type: 'boolean',
		default: false,
		description: 'Whether to back up every VM and container of the node',
		displayOptions: { show },
	},
	{
		displayName: 'VM IDs',
		name: 'vmids',
		type: 'string',
		required: true,
		default: '',
		placeholder: '100,101',
		description: 'One VM or container ID or several separated by commas',
		displayOptions: { show: { ...show, allGuests: [false] } },
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Snapshot', value: 'snapshot', description: 'Live backup, no downtime' },
			{ name: 'Suspend', value: 'suspend', description: 'Pause the VM during the backup' },
			{ name: 'Stop', value: 'stop', description: 'Shut the VM down for the most consistent backup' },
		],
		default: 'snapshot',
		displayOptions: { show },
	},
	{
		displayName: 'Compression',
		name: 'compress',
		type: 'options',
		options: [
			{ name: 'GZIP', value: 'gzip' },
			{ name: 'LZO', value: 'lzo' },
			{ name: 'None', value: '0' },
			{ name: 'ZSTD', value: 'zstd' },
		],
		default: 'zstd',
		displayOptions: { show },
	},
	{
		displayName: 'Notes',
		name: 'notes',
		type: 'string',
		default: '{{guestname}}',
		description: 'Notes of the backup; Proxmox replaces {{guestname}}, {{vmid}}, {{node}} and {{cluster}}',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const storage = getLocatorString(this, itemIndex, 'storage');
	const all = this.getNodeParameter('allGuests', itemIndex, false) as boolean;
	const vmid = all ? '' : asTrimmedText(this.getNodeParameter('vmids', itemIndex, ''));
	const mode = this.getNodeParameter('mode', itemIndex, 'snapshot') as VzdumpOptions['mode'];
	const compress = this.getNodeParameter('compress', itemIndex, 'zstd') as VzdumpOptions['compress'];
	const notes = this.getNodeParameter('notes', itemIndex, '') as string;
	return await withClient(this, itemIndex, async (client) => {
		const upid = await client.vzdump(node, {
			vmid: all ? undefined : vmid,
			all: all || undefined,
			storage: storage || undefined,
			mode,
			compress,
			'notes-template': notes || undefined,
		});
		const waited = await maybeWait(this, itemIndex, client, upid);
		const result: IDataObject = { node, storage, vmid: all ? 'all' : vmid, ...waited };
		if (waited.waited && storage) {
			// The archives this run wrote: the newest backup of each guest, made since the task started.
			const since = parseUpid(upid).starttime;
			const content = (await client.storageContent(node, storage, { content: 'backup' })).filter(
				(volume) => (volume.ctime ?? 0) >= since,
			);
			const ids = all
				? [...new Set(content.map((volume) => Number(volume.vmid)))].sort((a, b) => a - b)
				: vmid
						.split(/[\s,;]+/)
						.filter(Boolean)
						.map(Number);
			result.backups = ids
				.map(
					(id) =>
						content.filter((volume) => volume.vmid === id).sort((a, b) => (b.ctime ?? 0) - (a.ctime ?? 0))[0],
				)
				.filter(Boolean) as IDataObject[];
		}
		return result;
	});
}
