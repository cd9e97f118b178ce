import type { INodeProperties } from 'n8n-workflow';

import * as chat from './chat.operation';
import * as generate from './generate.operation';

export { chat, generate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['text'] } },
		options: [
			{
				name: 'Chat',
				value: 'chat',
				description:
					'Answer a message, optionally with a system prompt, history, images, tools and structured output',
				action: 'Chat with a model',
			},
			{
				name: 'Generate',
				value: 'generate',
				description: 'Complete a single prompt',
				action: 'Generate a completion',
			},
		],
		default: 'chat',
	},
	...chat.description,
	...generate.description,
];
