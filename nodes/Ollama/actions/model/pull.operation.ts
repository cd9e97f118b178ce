import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PullProgress } from '../../../../clients/ollama';
import { ollamaClient, toNodeError } from '../../transport';
import { timeoutOption } from '../common';

const showFor = { resource: ['model'], operation: ['pull'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Model Name',
		name: 'modelName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'llama3.2:3b',
		description: 'Model to download from the Ollama library, as name or name:tag',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Allow Insecure Registry',
				name: 'insecure',
				type: 'boolean',
				default: false,
				description: 'Whether to accept a registry without valid TLS (your own registry during development)',
			},
			{
				displayName: 'Resume Attempts',
				name: 'retries',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 3,
				description:
					'How often to reconnect when the download is interrupted; Ollama resumes from the bytes it already has',
			},
			timeoutOption,
		],
	},
];

/** POST /api/pull with progress shown in the editor and written to the n8n log every 10 %. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const model = (this.getNodeParameter('modelName', itemIndex) as string).trim();
	if (!model) throw new NodeOperationError(this.getNode(), 'Model Name is empty', { itemIndex });
	const insecure = this.getNodeParameter('options.insecure', itemIndex, false) as boolean;
	const retries = this.getNodeParameter('options.retries', itemIndex, 3) as number;
	const timeoutMs = this.getNodeParameter('options.timeout', itemIndex, 0) as number;
	const client = await ollamaClient.call(this, { timeoutMs });
	let lastLogged = -10;
	let lastStatus = '';
	const onProgress = (progress: PullProgress) => {
		const percent = progress.percent;
		const changed = progress.status !== lastStatus && progress.digest === undefined;
		if (changed || (percent !== undefined && percent >= lastLogged + 10)) {
			if (percent !== undefined) lastLogged = percent;
			lastStatus = progress.status;
			const line = `Pulling ${model}: ${progress.status}${percent !== undefined ? ` ${percent}%` : ''}${progress.attempt > 1 ? ` (attempt ${progress.attempt})` : ''}`;
			this.logger.info(line);
			this.sendMessageToUI(line);
		}
	};
	try {
		const result = await client.pull(model, { insecure, retries, onProgress });
		return {
			model,
			status: result.status,
			attempts: result.attempts,
			resumedBytes: Object.values(result.resumed).reduce((sum, bytes) => sum + bytes, 0),
		};
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, client.baseUrl);
	}
}
