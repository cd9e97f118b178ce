import type { INodeProperties } from 'n8n-workflow';

import * as deploy from './deploy.operation';
import * as down from './down.operation';
import * as list from './list.operation';
import * as logs from './logs.operation';
import * as pullAndRedeploy from './pullAndRedeploy.operation';
import * as status from './status.operation';
import * as stop from './stop.operation';

export { deploy, down, list, logs, pullAndRedeploy, status, stop };

export const mutating = ['deploy', 'pullAndRedeploy', 'stop', 'down'];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['stack'] } },
		options: [
			{
				name: 'Deploy',
				value: 'deploy',
				description:
					'Create or update a stack from a compose file: create what is missing, recreate what changed, remove orphans',
				action: 'Deploy a stack',
			},
			{
				name: 'Down',
				value: 'down',
				description: 'Remove the stack’s containers and networks (and volumes)',
				action: 'Bring down a stack',
			},
			{
				name: 'Get Logs',
				value: 'logs',
				description: 'Logs of each container of the stack',
				action: 'Get logs of a stack',
			},
			{
				name: 'Get Many',
				value: 'list',
				description: 'List compose stacks on the host',
				action: 'List stacks',
			},
			{
				name: 'Get Status',
				value: 'status',
				description: 'State of each service of the stack',
				action: 'Get status of a stack',
			},
			{
				name: 'Pull and Redeploy',
				value: 'pullAndRedeploy',
				description: 'Pull every image again and recreate the containers whose image changed',
				action: 'Pull and redeploy a stack',
			},
			{
				name: 'Stop',
				value: 'stop',
				description: 'Stop every container of the stack',
				action: 'Stop a stack',
			},
		],
		default: 'list',
	},
	...deploy.description,
	...pullAndRedeploy.description,
	...stop.description,
	...down.description,
	...status.description,
	...logs.description,
];
