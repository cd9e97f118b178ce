import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteOp from './delete.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as pause from './pause.operation';
import * as resume from './resume.operation';

export { create, deleteOp, get, list, pause, resume };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['downloadStation'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Download a URL, magnet link or .torrent file into a folder',
				action: 'Create a download task',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Remove a download task',
				action: 'Delete a download task',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a download task with its progress',
				action: 'Get a download task',
			},
			{
				name: 'Get Many',
				value: 'list',
				description: 'List download tasks',
				action: 'Get many download tasks',
			},
			{
				name: 'Pause',
				value: 'pause',
				description: 'Pause a download task',
				action: 'Pause a download task',
			},
			{
				name: 'Resume',
				value: 'resume',
				description: 'Resume a paused download task',
				action: 'Resume a download task',
			},
		],
		default: 'list',
	},
	...list.description,
	...create.description,
	...get.description,
	...pause.description,
	...resume.description,
	...deleteOp.description,
];
