import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as backup from './actions/backup';
import * as cluster from './actions/cluster';
import * as container from './actions/container';
import * as node from './actions/node';
import { router } from './actions/router';
import * as snapshot from './actions/snapshot';
import * as vm from './actions/vm';
import { proxmoxVeApiCredentialTest } from './methods/credentialTest';
import * as listSearch from './methods/listSearch';

export class ProxmoxVe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Proxmox VE',
		name: 'proxmoxVe',
		icon: { light: 'file:proxmox.svg', dark: 'file:proxmox.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Clone, configure, start and back up Proxmox VE virtual machines and containers, waiting for every task to finish',
		defaults: { name: 'Proxmox VE' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'proxmoxVeApi', required: true, testedBy: 'proxmoxVeApiCredentialTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Backup', value: 'backup' },
					{ name: 'Cluster', value: 'cluster' },
					{ name: 'Container (LXC)', value: 'container' },
					{ name: 'Node', value: 'node' },
					{ name: 'Snapshot', value: 'snapshot' },
					{ name: 'VM', value: 'vm' },
				],
				default: 'vm',
			},
			...backup.description,
			...cluster.description,
			...container.description,
			...node.description,
			...snapshot.description,
			...vm.description,
		],
	};

	methods = {
		listSearch,
		credentialTest: { proxmoxVeApiCredentialTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
