import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LABELS } from '../../../../clients/docker';
import { dockerClient } from '../../transport';
import { filtersOf, limited, returnAllFields, show, stringList } from '../common';

const showFor = show('network', 'list');

export const description: INodeProperties[] = [
	...returnAllFields(showFor),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{ displayName: 'Driver', name: 'driver', type: 'string', default: '', placeholder: 'e.g. bridge' },
			{
				displayName: 'Label',
				name: 'label',
				type: 'string',
				default: '',
				description: 'Labels as key or key=value, separated by commas',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Networks whose name contains this text',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as {
		label?: string;
		name?: string;
		driver?: string;
	};
	const list = await (
		await dockerClient(this, itemIndex)
	).listNetworks(
		filtersOf({
			label: stringList(filters.label),
			name: stringList(filters.name),
			driver: stringList(filters.driver),
		}),
	);
	return limited(this, itemIndex, list).map((network) => ({
		id: network.Id,
		name: network.Name,
		driver: network.Driver,
		scope: network.Scope,
		internal: network.Internal,
		attachable: network.Attachable,
		subnets: (network.IPAM?.Config ?? []).map((config) => config.Subnet).filter(Boolean),
		stack: network.Labels?.[LABELS.project] ?? null,
		labels: network.Labels ?? {},
		createdAt: network.Created,
	}));
}
