import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as downloadStation from './actions/downloadStation';
import * as fileStation from './actions/fileStation';
import * as hyperBackup from './actions/hyperBackup';
import { router } from './actions/router';
import * as snapshot from './actions/snapshot';
import * as system from './actions/system';
import { credentialTest, listSearch, loadOptions } from './methods';

export class Synology implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Synology DSM',
		name: 'synology',
		icon: { light: 'file:synology.svg', dark: 'file:synology.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Files, downloads, backups, snapshots and health of a Synology NAS over the DSM Web API',
		defaults: { name: 'Synology DSM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'synologyDsmApi', required: true, testedBy: 'synologyDsmApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Download Station', value: 'downloadStation' },
					{ name: 'File Station', value: 'fileStation' },
					{ name: 'Hyper Backup', value: 'hyperBackup' },
					{ name: 'Snapshot Replication', value: 'snapshot' },
					{ name: 'System', value: 'system' },
				],
				default: 'fileStation',
			},
			...fileStation.description,
			...downloadStation.description,
			...system.description,
			...hyperBackup.description,
			...snapshot.description,
		],
	};

	methods = { listSearch, loadOptions, credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
