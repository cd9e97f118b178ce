import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { splitList } from '../../../../shared/values';
import { unixSeconds } from '../common';

const showFor = { resource: ['review'], operation: ['getMany'] };

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
		name: 'reviewFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{ displayName: 'After', name: 'after', type: 'dateTime', default: '' },
			{ displayName: 'Before', name: 'before', type: 'dateTime', default: '' },
			{
				displayName: 'Cameras',
				name: 'cameras',
				type: 'string',
				default: '',
				placeholder: 'front_door, driveway',
			},
			{
				displayName: 'Include Reviewed',
				name: 'reviewed',
				type: 'boolean',
				default: false,
				description: 'Whether to include items already marked as reviewed',
			},
			{ displayName: 'Labels', name: 'labels', type: 'string', default: '', placeholder: 'person, car' },
			{
				displayName: 'Severity',
				name: 'severity',
				type: 'options',
				options: [
					{ name: 'Any', value: 'any' },
					{ name: 'Alert', value: 'alert' },
					{ name: 'Detection', value: 'detection' },
				],
				default: 'any',
			},
			{ displayName: 'Zones', name: 'zones', type: 'string', default: '', placeholder: 'porch' },
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const limit = this.getNodeParameter('limit', itemIndex, 50);
	const filters = this.getNodeParameter('reviewFilters', itemIndex, {}) as IDataObject;
	const severity =
		filters.severity === 'alert' || filters.severity === 'detection' ? filters.severity : undefined;
	const items = await frigateCall(
		this,
		itemIndex,
		async (client, signal) =>
			await client.listReviews(
				{
					cameras: splitList(filters.cameras),
					labels: splitList(filters.labels),
					zones: splitList(filters.zones),
					severity,
					reviewed: filters.reviewed ? true : undefined,
					after: unixSeconds.call(this, filters.after, 'After', itemIndex),
					before: unixSeconds.call(this, filters.before, 'Before', itemIndex),
					limit,
				},
				signal,
			),
	);
	return items as unknown as IDataObject[];
}
