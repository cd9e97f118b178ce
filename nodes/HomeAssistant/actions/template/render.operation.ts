import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { call, restClient } from '../../transport';

const showFor = { resource: ['template'], operation: ['render'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Template',
		name: 'template',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: "The kitchen light is {{ states('light.kitchen') }}",
		description: 'A Home Assistant (Jinja2) template; it is rendered by Home Assistant, not by n8n',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const template = this.getNodeParameter('template', itemIndex) as string;
	const rest = await restClient(this);
	const result = await call(
		this,
		async () => await rest.renderTemplate(template, this.getExecutionCancelSignal()),
		itemIndex,
	);
	return { result };
}
