import type { INodeProperties } from 'n8n-workflow';

import * as copy from './copy.operation';
import * as deleteModel from './delete.operation';
import * as list from './list.operation';
import * as pull from './pull.operation';
import * as running from './running.operation';
import * as show from './show.operation';

export { copy, deleteModel, list, pull, running, show };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['model'] } },
		options: [
			{ name: 'Copy', value: 'copy', description: 'Copy a model under a new name', action: 'Copy a model' },
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a model and its data',
				action: 'Delete a model',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List the models pulled on the server',
				action: 'List models',
			},
			{
				name: 'List Running',
				value: 'running',
				description: 'List the models loaded in memory',
				action: 'List running models',
			},
			{
				name: 'Pull',
				value: 'pull',
				description: 'Download a model, with progress; interrupted downloads resume',
				action: 'Pull a model',
			},
			{
				name: 'Show',
				value: 'show',
				description: 'Show details and capabilities of a model',
				action: 'Show a model',
			},
		],
		default: 'list',
	},
	...copy.description,
	...deleteModel.description,
	...list.description,
	...pull.description,
	...running.description,
	...show.description,
];
