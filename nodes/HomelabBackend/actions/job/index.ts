import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as submit from './submit.operation';

export { cancel, get, list, submit };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				action: 'Cancel a job',
				description: 'Cancel a queued or running job',
			},
			{ name: 'Get', value: 'get', action: 'Get a job', description: 'Get a job with its steps' },
			{ name: 'List', value: 'list', action: 'List jobs', description: 'List jobs, newest first' },
			{
				name: 'Submit',
				value: 'submit',
				action: 'Submit a job',
				description: 'Queue a job and continue at once',
			},
			{
				name: 'Submit and Wait',
				value: 'submitAndWait',
				action: 'Submit a job and wait for it',
				description:
					'Queue a job and put this execution into waiting; the backend resumes it with the result when the job ends',
			},
		],
		default: 'submitAndWait',
	},
	...submit.description,
	...get.description,
	...list.description,
	...cancel.description,
];
