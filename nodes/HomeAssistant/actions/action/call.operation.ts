import type { IDataObject, IExecuteFunctions, INodeProperties, ResourceMapperValue } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asText, splitList } from '../../../../shared/values';
import { call, jsonParameter, restClient } from '../../transport';

const showFor = { resource: ['action'], operation: ['call'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Action',
		name: 'action',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The action (service) to call; the list shows its fields, required ones starred',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchActions', searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'id',
				type: 'string',
				placeholder: 'light.turn_on',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[a-z0-9_]+\\.[a-z0-9_]+$',
							errorMessage: 'Write it as domain.action, e.g. light.turn_on',
						},
					},
				],
			},
		],
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Target Entities',
		name: 'targetEntities',
		type: 'string',
		default: '',
		placeholder: 'light.kitchen, light.living_room',
		description: 'Entity IDs the action applies to, separated by commas (sent as entity_id)',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['action.value'],
			resourceMapper: {
				resourceMapperMethod: 'getActionFields',
				mode: 'add',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: false,
			},
		},
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Data',
		name: 'data',
		type: 'json',
		default: '{}',
		description:
			'More fields as a JSON object, e.g. {"brightness": 120}; merged over the Fields above (use it for fields the list does not show)',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Return Response',
		name: 'returnResponse',
		type: 'boolean',
		default: false,
		description:
			'Whether to ask for the data the action returns (needed for actions such as calendar.get_events or weather.get_forecasts)',
		displayOptions: { show: showFor },
	},
];

export function splitAction(value: string): [string, string] | undefined {
	const match = /^([a-z0-9_]+)\.([a-z0-9_]+)$/.exec(value.trim());
	return match ? [match[1], match[2]] : undefined;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const action = asText(this.getNodeParameter('action', itemIndex, '', { extractValue: true }));
	const parts = splitAction(action);
	if (!parts) {
		throw new NodeOperationError(this.getNode(), `"${action}" is not an action name`, {
			itemIndex,
			description: 'Pick an action from the list or write it as domain.action, e.g. light.turn_on',
		});
	}
	const targets = splitList(this.getNodeParameter('targetEntities', itemIndex, ''));
	const mapped =
		(this.getNodeParameter('fields', itemIndex, {}) as ResourceMapperValue | undefined)?.value ?? {};
	const data: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(mapped)) if (value !== null && value !== '') data[key] = value;
	Object.assign(data, jsonParameter(this, 'data', itemIndex));
	const returnResponse = this.getNodeParameter('returnResponse', itemIndex, false) as boolean;
	if (targets.length) data.entity_id = targets.length === 1 ? targets[0] : targets;
	const rest = await restClient(this);
	const result = await call(
		this,
		async () =>
			await rest.callService(parts[0], parts[1], data, {
				returnResponse,
				signal: this.getExecutionCancelSignal(),
			}),
		itemIndex,
	);
	if (Array.isArray(result)) return { action, changed_states: result as unknown as IDataObject[] };
	return { action, ...(result as unknown as IDataObject) };
}
