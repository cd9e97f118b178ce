import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { call, jsonParameter, restClient } from '../../transport';

const showFor = { resource: ['event'], operation: ['fire'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Event Type',
		name: 'eventType',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'n8n_backup_finished',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Event Data',
		name: 'eventData',
		type: 'json',
		default: '{}',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const eventType = (this.getNodeParameter('eventType', itemIndex) as string).trim();
	if (!eventType) throw new NodeOperationError(this.getNode(), 'Event Type is empty', { itemIndex });
	const data = jsonParameter(this, 'eventData', itemIndex);
	const rest = await restClient(this);
	const result = await call(
		this,
		async () => await rest.fireEvent(eventType, data, this.getExecutionCancelSignal()),
		itemIndex,
	);
	return { event_type: eventType, event_data: data as IDataObject, ...result };
}
