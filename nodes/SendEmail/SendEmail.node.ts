import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as send from './actions/email/send.operation';
import { router } from './actions/router';
import { homelabSmtpConnectionTest } from './methods';

export class SendEmail implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Send Email (Homelab)',
		name: 'sendEmail',
		icon: { light: 'file:sendEmail.svg', dark: 'file:sendEmail.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{"to " + $parameter["to"]}}',
		description: 'Send email over SMTP, with attachments and threaded replies',
		defaults: { name: 'Send Email' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'homelabSmtpApi', required: true, testedBy: 'homelabSmtpConnectionTest' }],
		properties: send.description,
	};

	methods = { credentialTest: { homelabSmtpConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
