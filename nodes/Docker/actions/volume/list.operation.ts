import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LABELS } from '../../../../clients/docker';
import { dockerClient } from '../../transport';
import { filtersOf, limited, returnAllFields, show, stringList } from '../common';

const showFor = show('volume', 'list');

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
			{
				displayName: 'Dangling Only',
				name: 'dangling',
				type: 'boolean',
				default: false,
				description: 'Whether to list only volumes no container uses',
			},
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
				description: 'Volumes whose name contains this text',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as {
		dangling?: boolean;
		label?: string;
		name?: string;
	};
	const list = await (
		await dockerClient(this, itemIndex)
	).listVolumes(
		filtersOf({
			dangling: filters.dangling ? ['true'] : undefined,
			label: stringList(filters.label),
			name: stringList(filters.name),
		}),
	);
	return limited(this, itemIndex, list).map((volume) => ({
		name: volume.Name,
		driver: volume.Driver,
		mountpoint: volume.Mountpoint,
		scope: volume.Scope,
		stack: volume.Labels?.[LABELS.project] ?? null,
		labels: volume.Labels ?? {},
		createdAt: (volume as { CreatedAt?: string }).CreatedAt ?? null,
	}));
}
