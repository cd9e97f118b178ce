import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { probeTcp } from '../../transport/probe';

const showFor = { resource: ['endpoint'], operation: ['checkTcp'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Host',
		name: 'host',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'pve1.lab.example',
		description: 'Host name or IP address',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Port',
		name: 'port',
		type: 'number',
		required: true,
		typeOptions: { minValue: 1, maxValue: 65535 },
		default: 22,
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const host = (this.getNodeParameter('host', itemIndex) as string).trim();
	const port = this.getNodeParameter('port', itemIndex) as number;
	const timeoutMs = this.getNodeParameter('options.timeout', itemIndex, 10000) as number;
	const failWhenDown = this.getNodeParameter('options.failWhenDown', itemIndex, false) as boolean;
	if (!host) {
		throw new NodeOperationError(this.getNode(), 'Host is empty', {
			itemIndex,
			description: 'Enter the host name or IP address of the service, e.g. 192.168.1.10',
		});
	}
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		throw new NodeOperationError(this.getNode(), `Port ${port} is out of range`, {
			itemIndex,
			description: 'Use a whole number between 1 and 65535',
		});
	}
	const result = await probeTcp(host, port, { timeoutMs, signal: this.getExecutionCancelSignal() });
	if (!result.up && failWhenDown) {
		throw new NodeOperationError(
			this.getNode(),
			`${host}:${port} is not accepting connections: ${result.error}`,
			{
				itemIndex,
				description:
					'Check that the service runs and that no firewall blocks the port, or turn off "Fail When Unhealthy"',
			},
		);
	}
	return {
		host,
		port,
		healthy: result.up,
		latencyMs: result.latencyMs,
		error: result.error ?? null,
		errorCode: result.errorCode ?? null,
		checkedAt: new Date().toISOString(),
	};
}
