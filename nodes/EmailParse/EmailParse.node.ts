import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as parse from './actions/email/parse.operation';
import { router } from './actions/router';

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
			'Extract dates, deadlines, meeting times, invoices, shipping tracking, links and phone numbers from an email, without network',
		defaults: { name: 'Email Parse' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [...parse.description],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
