import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';
import * as markReviewed from './markReviewed.operation';

export { getMany, markReviewed };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['review'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List review items (alerts and detections)',
				action: 'Get many review items',
			},
			{
				name: 'Mark Reviewed',
				value: 'markReviewed',
				description: 'Mark review items as reviewed',
				action: 'Mark review items as reviewed',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...markReviewed.description,
];
