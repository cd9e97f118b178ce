import type { INodeProperties } from 'n8n-workflow';

import * as render from './render.operation';

export { render };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['template'] } },
		options: [
			{
				name: 'Render',
				value: 'render',
				description: 'Render a template in Home Assistant',
				action: 'Render a template',
			},
		],
		default: 'render',
	},
	...render.description,
];
