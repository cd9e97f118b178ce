import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { call, entityParameter, restClient, timeParameter } from '../../transport';
import { entityLocator } from '../common';

const showFor = { resource: ['calendar'], operation: ['createEvent'] };

export const description: INodeProperties[] = [
	entityLocator(showFor, {
		displayName: 'Calendar',
		searchListMethod: 'searchCalendars',
		placeholder: 'calendar.family',
	}),
	{
		displayName: 'Summary',
		name: 'summary',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Bin day',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		required: true,
		default: '',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		required: true,
		default: '',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{ displayName: 'Location', name: 'location', type: 'string', default: '' },
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const entityId = entityParameter(this, 'entityId', itemIndex);
	const summary = (this.getNodeParameter('summary', itemIndex) as string).trim();
	if (!summary) throw new NodeOperationError(this.getNode(), 'Summary is empty', { itemIndex });
	const missing = new Date(NaN);
	const start = timeParameter(this, 'start', itemIndex, missing);
	const end = timeParameter(this, 'end', itemIndex, missing);
	const extra = this.getNodeParameter('additionalFields', itemIndex, {});
	const data: IDataObject = {
		entity_id: entityId,
		summary,
		start_date_time: start,
		end_date_time: end,
		...(extra.description ? { description: extra.description } : {}),
		...(extra.location ? { location: extra.location } : {}),
	};
	const rest = await restClient(this);
	// Home Assistant has no REST endpoint for this: it is the calendar.create_event action.
	await call(
		this,
		async () =>
			await rest.callService('calendar', 'create_event', data, { signal: this.getExecutionCancelSignal() }),
		itemIndex,
	);
	return { calendar: entityId, created: true, ...data };
}
