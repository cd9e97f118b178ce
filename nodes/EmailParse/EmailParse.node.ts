import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as parse from './actions/email/parse.operation';
import { router } from './actions/router';
import { listSearch } from './methods';

export class EmailParse implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Email Parse',
		name: 'emailParse',
		icon: { light: 'file:emailParse.svg', dark: 'file:emailParse.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{"from " + {"rawField": "raw message", "rawBinary": "binary .eml", "fields": "text fields"}[$parameter["source"]]}}',
		description:
			'Extract dates, deadlines, meeting times, invoices, shipping tracking, links and phone numbers from an email; optionally refined by a local Ollama model',
		defaults: { name: 'Email Parse' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Only needed for the optional refinement: without it the node never touches the network.
		credentials: [{ name: 'ollamaApi', required: true, displayOptions: { show: { refineWithLlm: [true] } } }],
		properties: [...parse.description],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
