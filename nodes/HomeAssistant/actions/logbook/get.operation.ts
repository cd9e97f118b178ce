import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { call, restClient, timeParameter } from '../../transport';

const showFor = { resource: ['logbook'], operation: ['get'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Entity',
		name: 'entityId',
		type: 'string',
		default: '',
		placeholder: 'light.kitchen',
		description: 'Only entries of this entity; empty means all',
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
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const entityId = (this.getNodeParameter('entityId', itemIndex, '') as string).trim();
	const start = timeParameter(this, 'start', itemIndex, new Date(Date.now() - 86400_000));
	const end = timeParameter(this, 'end', itemIndex, new Date());
	const rest = await restClient(this);
	const entries = await call(
		this,
		async () =>
			await rest.logbook(start, {
				entityId: entityId || undefined,
				end,
				signal: this.getExecutionCancelSignal(),
			}),
		itemIndex,
	);
	return entries as IDataObject[];
}
