import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asTrimmedText } from '../../../../shared/values';
import { call, jsonParameter, restClient } from '../../transport';

const showFor = { resource: ['notify'], operation: ['send'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Notify Service',
		name: 'service',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The notify action, e.g. mobile_app_pixel_8 for notify.mobile_app_pixel_8',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchNotifyServices', searchable: true },
			},
			{ displayName: 'By Name', name: 'id', type: 'string', placeholder: 'mobile_app_pixel_8' },
		],
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Data',
		name: 'data',
		type: 'json',
		default: '{}',
		description: 'Platform-specific extras, e.g. {"priority": "high"} for the mobile app',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const raw = asTrimmedText(this.getNodeParameter('service', itemIndex, '', { extractValue: true }));
	const service = raw.replace(/^notify\./, '');
	if (!/^[a-z0-9_]+$/.test(service)) {
		throw new NodeOperationError(this.getNode(), `"${raw}" is not a notify service name`, {
			itemIndex,
			description: 'Pick it from the list, or write the part after "notify.", e.g. mobile_app_pixel_8',
		});
	}
	const message = this.getNodeParameter('message', itemIndex) as string;
	const title = this.getNodeParameter('title', itemIndex, '') as string;
	const extra = jsonParameter(this, 'data', itemIndex);
	const payload: IDataObject = {
		message,
		...(title ? { title } : {}),
		...(Object.keys(extra).length ? { data: extra as IDataObject } : {}),
	};
	const rest = await restClient(this);
	await call(
		this,
		async () =>
			await rest.callService('notify', service, payload, { signal: this.getExecutionCancelSignal() }),
		itemIndex,
	);
	return { service: `notify.${service}`, sent: true, ...payload };
}
