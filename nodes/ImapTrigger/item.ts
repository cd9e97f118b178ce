import type { IBinaryData, IDataObject, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';

import type { FetchedMessage } from '../../clients/email/imap-watcher';
import { parseFetchedMessage } from '../../clients/email/message';

export interface ItemOptions {
	maxAttachmentMb: number;
	includeRaw: boolean;
	attachmentPrefix: string;
}

/** Turns one fetched message into an n8n item: parsed fields as JSON, attachments (and the raw source) as binary. */
export async function messageToItem(
	ctx: ITriggerFunctions,
	message: FetchedMessage,
	options: ItemOptions,
): Promise<INodeExecutionData> {
	const parsed = await parseFetchedMessage(message.source, options.maxAttachmentMb * 1024 * 1024);
	const binary: Record<string, IBinaryData> = {};
	const attachments: IDataObject[] = [];
	for (const [index, attachment] of parsed.attachments.entries()) {
		const entry: IDataObject = {
			filename: attachment.filename,
			contentType: attachment.contentType,
			size: attachment.size,
		};
		if (attachment.content) {
			const key = `${options.attachmentPrefix}${index}`;
			binary[key] = await ctx.helpers.prepareBinaryData(
				attachment.content,
				attachment.filename,
				attachment.contentType,
			);
			entry.binaryProperty = key;
		} else {
			entry.skipped = attachment.skipped ?? 'not included';
		}
		attachments.push(entry);
	}
	if (options.includeRaw) {
		binary.raw = await ctx.helpers.prepareBinaryData(
			message.source,
			`message-${message.uid}.eml`,
			'message/rfc822',
		);
	}
	const fields: Partial<typeof parsed> = { ...parsed };
	delete fields.attachments;
	return {
		json: {
			uid: message.uid,
			uidValidity: message.uidValidity,
			mailbox: message.mailbox,
			flags: message.flags,
			internalDate: message.internalDate,
			...(fields as unknown as IDataObject),
			attachments,
		},
		...(Object.keys(binary).length ? { binary } : {}),
	};
}
