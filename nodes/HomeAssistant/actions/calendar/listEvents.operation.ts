import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { call, entityParameter, restClient, timeParameter } from '../../transport';
import { entityLocator } from '../common';

const showFor = { resource: ['calendar'], operation: ['listEvents'] };

export const description: INodeProperties[] = [
	entityLocator(showFor, {
		displayName: 'Calendar',
		searchListMethod: 'searchCalendars',
		placeholder: 'calendar.family',
	}),
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		default: '',
		description: 'Start of the period; empty means now',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		default: '',
		description: 'End of the period; empty means 7 days from the start',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const entityId = entityParameter(this, 'entityId', itemIndex);
	const start = timeParameter(this, 'start', itemIndex, new Date());
	const end = timeParameter(this, 'end', itemIndex, new Date(Date.parse(start) + 7 * 86400_000));
	const rest = await restClient(this);
	const events = await call(
		this,
		async () => await rest.calendarEvents(entityId, start, end, this.getExecutionCancelSignal()),
		itemIndex,
	);
	return events.map((event) => ({ calendar: entityId, ...(event as unknown as IDataObject) }));
}
