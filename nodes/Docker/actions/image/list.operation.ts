import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dockerClient } from '../../transport';
import { filtersOf, limited, returnAllFields, show, stringList } from '../common';

const showFor = show('image', 'list');

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
				description: 'Whether to list only untagged images',
			},
			{
				displayName: 'Label',
				name: 'label',
				type: 'string',
				default: '',
				description: 'Labels as key or key=value, separated by commas',
			},
			{
				displayName: 'Reference',
				name: 'reference',
				type: 'string',
				default: '',
				placeholder: 'e.g. linuxserver/*',
				description: 'Images whose reference matches this pattern',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as {
		dangling?: boolean;
		label?: string;
		reference?: string;
	};
	const list = await (
		await dockerClient(this, itemIndex)
	).listImages({
		filters: filtersOf({
			dangling: filters.dangling ? ['true'] : undefined,
			label: stringList(filters.label),
			reference: stringList(filters.reference),
		}),
	});
	return limited(this, itemIndex, list).map((image) => ({
		id: image.Id,
		tags: image.RepoTags ?? [],
		digests: image.RepoDigests ?? [],
		sizeBytes: image.Size,
		createdAt: new Date(image.Created * 1000).toISOString(),
		containers: image.Containers,
		labels: image.Labels ?? {},
	}));
}
