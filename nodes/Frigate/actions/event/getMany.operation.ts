import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { splitList } from '../../../../shared/values';
import { unixSeconds } from '../common';

const showFor = { resource: ['event'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'After',
				name: 'after',
				type: 'dateTime',
				default: '',
				description: 'Only events that started after this time',
			},
			{
				displayName: 'Before',
				name: 'before',
				type: 'dateTime',
				default: '',
				description: 'Only events that started before this time',
			},
			{
				displayName: 'Cameras',
				name: 'cameras',
				type: 'string',
				default: '',
				placeholder: 'front_door, driveway',
				description: 'Comma-separated camera names',
			},
			{
				displayName: 'Has Clip',
				name: 'hasClip',
				type: 'options',
				options: [
					{ name: 'Any', value: 'any' },
					{ name: 'Yes', value: 'yes' },
					{ name: 'No', value: 'no' },
				],
				default: 'any',
			},
			{
				displayName: 'Has Snapshot',
				name: 'hasSnapshot',
				type: 'options',
				options: [
					{ name: 'Any', value: 'any' },
					{ name: 'Yes', value: 'yes' },
					{ name: 'No', value: 'no' },
				],
				default: 'any',
			},
			{
				displayName: 'Labels',
				name: 'labels',
				type: 'string',
				default: '',
				placeholder: 'person, car',
				description: 'Comma-separated object labels',
			},
			{
				displayName: 'Retained (Favorites) Only',
				name: 'favorites',
				type: 'boolean',
				default: false,
				description: 'Whether to return only retained (starred) events',
			},
			{
				displayName: 'Sub Labels',
				name: 'subLabels',
				type: 'string',
				default: '',
				placeholder: 'Alice, Bob',
				description: 'Comma-separated sub labels, e.g. recognised faces',
			},
			{
				displayName: 'Zones',
				name: 'zones',
				type: 'string',
				default: '',
				placeholder: 'porch, yard',
				description: 'Comma-separated zones the object entered',
			},
		],
	},
];

const tri = (value: unknown) => (value === 'yes' ? true : value === 'no' ? false : undefined);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const limit = this.getNodeParameter('limit', itemIndex, 50);
	const filters = this.getNodeParameter('filters', itemIndex, {});
	const query = {
		camera: splitList(filters.cameras),
		label: splitList(filters.labels),
		zone: splitList(filters.zones),
		subLabel: splitList(filters.subLabels),
		after: unixSeconds.call(this, filters.after, 'After', itemIndex),
		before: unixSeconds.call(this, filters.before, 'Before', itemIndex),
		hasClip: tri(filters.hasClip),
		hasSnapshot: tri(filters.hasSnapshot),
		favorites: filters.favorites ? true : undefined,
		limit,
	};
	const events = await frigateCall(
		this,
		itemIndex,
		async (client, signal) => await client.listEvents(query, signal),
	);
	return events as unknown as IDataObject[];
}
