import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { withClient } from '../../transport';
import { getNodeName } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Include Templates',
		name: 'includeTemplates',
		type: 'boolean',
		default: false,
		description: 'Whether to list templates too',
		displayOptions: { show: { resource: ['vm'], operation: ['list'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const node = getNodeName(this, itemIndex);
	const includeTemplates = this.getNodeParameter('includeTemplates', itemIndex, false) as boolean;
	return await withClient(this, itemIndex, async (client) => {
		const vms = await client.vms(node);
		return vms
			.filter((vm) => includeTemplates || vm.template !== 1)
			.sort((a, b) => a.vmid - b.vmid)
			.map((vm) => ({ node, ...vm }));
	});
}
