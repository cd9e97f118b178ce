import type { INodeProperties } from 'n8n-workflow';

import * as embed from './embed.operation';

export { embed };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['embedding'] } },
		options: [
			{
				name: 'Embed',
				value: 'embed',
				description: 'Turn texts into vectors for search or clustering',
				action: 'Embed texts',
			},
		],
		default: 'embed',
	},
	...embed.description,
];
