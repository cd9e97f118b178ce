import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { call, restClient } from '../../transport';

const showFor = { resource: ['state'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Domain Names or IDs',
		name: 'domains',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getDomains' },
		default: [],
		description:
			'Only entities of these domains (light, sensor, ...); none means all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...showFor, returnAll: [false] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const domains = this.getNodeParameter('domains', itemIndex, []) as string[];
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false);
	const limit = this.getNodeParameter('limit', itemIndex, 50);
	const rest = await restClient(this);
	const states = await call(
		this,
		async () => await rest.getStates(this.getExecutionCancelSignal()),
		itemIndex,
	);
	const wanted = new Set(domains);
	const filtered = states
		.filter((state) => wanted.size === 0 || wanted.has(state.entity_id.split('.')[0]))
		.sort((a, b) => a.entity_id.localeCompare(b.entity_id));
	return (returnAll ? filtered : filtered.slice(0, limit)) as unknown as IDataObject[];
}
