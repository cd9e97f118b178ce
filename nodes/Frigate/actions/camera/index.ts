import type { INodeProperties } from 'n8n-workflow';

import * as setFeature from './setFeature.operation';

export { setFeature };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['camera'] } },
		options: [
			{
				name: 'Turn Feature On/Off',
				value: 'setFeature',
				description: 'Switch detection, recordings or snapshots of a camera over MQTT',
				action: 'Turn a camera feature on or off',
			},
		],
		default: 'setFeature',
	},
	...setFeature.description,
];
