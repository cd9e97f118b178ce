import type { INodeProperties } from 'n8n-workflow';

import * as clearSubLabel from './clearSubLabel.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as end from './end.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as setRetain from './setRetain.operation';
import * as setSubLabel from './setSubLabel.operation';

export { clearSubLabel, create, del as delete, end, get, getMany, setRetain, setSubLabel };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Clear Sub Label',
				value: 'clearSubLabel',
				description: 'Remove the sub label of an event',
				action: 'Clear the sub label of an event',
			},
			{
				name: 'Create Manual Event',
				value: 'create',
				description: 'Create an event on a camera, e.g. a doorbell press',
				action: 'Create a manual event',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an event with its media',
				action: 'Delete an event',
			},
			{
				name: 'End Manual Event',
				value: 'end',
				description: 'End a manual event',
				action: 'End a manual event',
			},
			{ name: 'Get', value: 'get', description: 'Get an event', action: 'Get an event' },
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List events with filters',
				action: 'Get many events',
			},
			{
				name: 'Retain (Favorite)',
				value: 'setRetain',
				description: 'Keep an event beyond retention (star it) or release it',
				action: 'Retain or release an event',
			},
			{
				name: 'Set Sub Label',
				value: 'setSubLabel',
				description: 'Set the sub label, e.g. a recognised face',
				action: 'Set the sub label of an event',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...get.description,
	...del.description,
	...setSubLabel.description,
	...clearSubLabel.description,
	...setRetain.description,
	...create.description,
	...end.description,
];
