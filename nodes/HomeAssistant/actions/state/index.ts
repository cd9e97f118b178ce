import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as set from './set.operation';
import * as waitUntil from './waitUntil.operation';

export { get, getAll, set, waitUntil };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['state'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get the state of an entity', action: 'Get an entity state' },
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get the states of many entities, optionally of some domains',
				action: 'Get many entity states',
			},
			{
				name: 'Set',
				value: 'set',
				description: 'Create or update the state Home Assistant shows for an entity',
				action: 'Set an entity state',
			},
			{
				name: 'Wait Until',
				value: 'waitUntil',
				description: 'Wait until an entity reaches a state, with a timeout',
				action: 'Wait until an entity reaches a state',
			},
		],
		default: 'get',
	},
	...get.description,
	...getAll.description,
	...set.description,
	...waitUntil.description,
];
