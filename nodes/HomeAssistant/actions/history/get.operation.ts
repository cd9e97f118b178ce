import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { splitList } from '../../../../shared/values';
import { call, restClient, timeParameter } from '../../transport';

const showFor = { resource: ['history'], operation: ['get'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Entities',
		name: 'entityIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'sensor.outdoor_temperature, light.kitchen',
		description: 'Entity IDs separated by commas',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		default: '',
		description: 'Start of the period; empty means 24 hours ago',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		default: '',
		description: 'End of the period; empty means now',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Minimal Response',
				name: 'minimalResponse',
				type: 'boolean',
				default: false,
				description:
					'Whether to return only state and last_changed for all but the first and last state (faster)',
			},
			{
				displayName: 'No Attributes',
				name: 'noAttributes',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out attributes (faster)',
			},
			{
				displayName: 'Significant Changes Only',
				name: 'significantChangesOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to return only significant state changes',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const entityIds = splitList(this.getNodeParameter('entityIds', itemIndex));
	if (!entityIds.length) throw new NodeOperationError(this.getNode(), 'Entities is empty', { itemIndex });
	const start = timeParameter(this, 'start', itemIndex, new Date(Date.now() - 86400_000));
	const end = timeParameter(this, 'end', itemIndex, new Date());
	const options = this.getNodeParameter('options', itemIndex, {});
	const rest = await restClient(this);
	const lists = await call(
		this,
		async () =>
			await rest.history(entityIds, start, {
				end,
				minimalResponse: options.minimalResponse === true,
				noAttributes: options.noAttributes === true,
				significantChangesOnly: options.significantChangesOnly === true,
				signal: this.getExecutionCancelSignal(),
			}),
		itemIndex,
	);
	// Home Assistant answers one list per entity that has history; the first entry names the entity.
	return lists.map((states) => ({
		entity_id: states[0]?.entity_id ?? null,
		start,
		end,
		states: states as unknown as IDataObject[],
	}));
}
