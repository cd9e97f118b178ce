import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { call, entityParameter, jsonParameter, restClient } from '../../transport';
import { entityLocator } from '../common';

const showFor = { resource: ['state'], operation: ['set'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'This sets the state Home Assistant shows; it does not control the device. To switch a light, use Action → Call.',
		name: 'setStateNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showFor },
	},
	entityLocator(showFor, { placeholder: 'sensor.n8n_last_backup' }),
	{
		displayName: 'State',
		name: 'state',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'on',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Attributes',
		name: 'attributes',
		type: 'json',
		default: '{}',
		description: 'Attributes as a JSON object, e.g. {"unit_of_measurement": "GB"}',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const entityId = entityParameter(this, 'entityId', itemIndex);
	const state = this.getNodeParameter('state', itemIndex) as string;
	const attributes = jsonParameter(this, 'attributes', itemIndex);
	const rest = await restClient(this);
	const result = await call(
		this,
		async () =>
			await rest.setState(
				entityId,
				String(state),
				Object.keys(attributes).length ? attributes : undefined,
				this.getExecutionCancelSignal(),
			),
		itemIndex,
	);
	return result as unknown as IDataObject;
}
