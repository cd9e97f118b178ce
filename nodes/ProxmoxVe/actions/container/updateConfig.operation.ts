import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Params } from '../../../../clients/proxmox';
import { withClient } from '../../transport';
import { getNodeName, getVmid } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'ctUpdateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { resource: ['container'], operation: ['updateConfig'] } },
		options: [
			{ displayName: 'Cores', name: 'cores', type: 'number', typeOptions: { minValue: 1 }, default: 1 },
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{ displayName: 'Hostname', name: 'hostname', type: 'string', default: '' },
			{
				displayName: 'Memory (MiB)',
				name: 'memory',
				type: 'number',
				typeOptions: { minValue: 16 },
				default: 512,
			},
			{
				displayName: 'Network',
				name: 'net0',
				type: 'string',
				default: '',
				placeholder: 'name=eth0,bridge=vmbr0,ip=dhcp',
			},
			{ displayName: 'Start at Boot', name: 'onboot', type: 'boolean', default: false },
			{ displayName: 'Swap (MiB)', name: 'swap', type: 'number', typeOptions: { minValue: 0 }, default: 512 },
			{ displayName: 'Tags', name: 'tags', type: 'string', default: '', placeholder: 'dns;prod' },
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = getNodeName(this, itemIndex);
	const vmid = getVmid(this, itemIndex);
	const fields = this.getNodeParameter('ctUpdateFields', itemIndex, {}) as Params;
	const changes: Params = Object.fromEntries(
		Object.entries(fields).filter(([, value]) => value !== '' && value !== undefined),
	);
	if (Object.keys(changes).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update', {
			itemIndex,
			description: 'Add at least one field under "Update Fields"',
		});
	}
	return await withClient(this, itemIndex, async (client) => {
		await client.updateContainerConfig(node, vmid, changes);
		return { node, vmid, changed: Object.keys(changes) };
	});
}
