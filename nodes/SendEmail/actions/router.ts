import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MailServerSettings } from '../../../clients/email/connection';
import { mailServerSettings } from '../../../clients/email/settings';
import { runPerItem } from '../../shared/per-item';
import { asText } from '../../../shared/values';
import { createSmtpTransport } from '../transport/smtp';
import * as send from './email/send.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentials = await this.getCredentials('homelabSmtpApi');
	let settings: MailServerSettings & { defaultFrom: string };
	try {
		settings = { ...mailServerSettings(credentials), defaultFrom: asText(credentials.from).trim() };
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message);
	}
	// One connection for all items of this run; closed even when an item fails.
	const transport = createSmtpTransport(settings);
	this.onExecutionCancellation(() => transport.close());
	try {
		return await runPerItem(
			this,
			async (itemIndex) => await send.execute.call(this, itemIndex, transport, settings),
		);
	} finally {
		transport.close();
	}
}
