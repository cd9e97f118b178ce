import type { INodeProperties } from 'n8n-workflow';

import * as snapshot from './snapshot.operation';

export { snapshot };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['camera'] } },
		options: [
			{
				name: 'Get Snapshot',
				value: 'snapshot',
				description: 'Get the current image of a camera as a file',
				action: 'Get a camera snapshot',
			},
		],
		default: 'snapshot',
	},
	...snapshot.description,
];
