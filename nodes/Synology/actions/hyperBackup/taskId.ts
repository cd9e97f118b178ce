import type { INodeProperties } from 'n8n-workflow';

export function backupTaskField(operation: string): INodeProperties {
	return {
		displayName: 'Backup Task Name or ID',
		name: 'backupTaskId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getBackupTasks' },
		default: '',
		required: true,
		description:
			'The Hyper Backup task. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { resource: ['hyperBackup'], operation: [operation] } },
	};
}
