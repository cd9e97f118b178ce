import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type Mail from 'nodemailer/lib/mailer';

import { smtpFailure, type SmtpTransporter } from '../../transport/smtp';
import type { MailServerSettings } from '../../../../clients/email/connection';
import { asText, splitList } from '../../../../shared/values';

export const description: INodeProperties[] = [
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		default: '',
		placeholder: 'Homelab <lab@example.com>',
		description: "Empty: the credential's default sender",
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'alice@example.com, Bob <bob@example.com>',
	},
	{ displayName: 'Subject', name: 'subject', type: 'string', default: '' },
	{
		displayName: 'Email Format',
		name: 'emailFormat',
		type: 'options',
		options: [
			{ name: 'Text', value: 'text' },
			{ name: 'HTML', value: 'html' },
			{ name: 'Both', value: 'both' },
		],
		default: 'text',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		displayOptions: { show: { emailFormat: ['text', 'both'] } },
	},
	{
		displayName: 'HTML',
		name: 'html',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		displayOptions: { show: { emailFormat: ['html', 'both'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Attachments',
				name: 'attachments',
				type: 'string',
				default: '',
				placeholder: 'data, invoice',
				description: "Names of the input item's binary properties to attach, comma-separated",
			},
			{ displayName: 'BCC', name: 'bcc', type: 'string', default: '' },
			{ displayName: 'CC', name: 'cc', type: 'string', default: '' },
			{
				displayName: 'Custom Headers',
				name: 'headers',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						displayName: 'Header',
						name: 'header',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'References of That Message',
				name: 'references',
				type: 'string',
				default: '',
				placeholder: '={{ $json.references.join(" ") }}',
				description:
					"The answered email's own References, space-separated, to keep the whole thread together",
			},
			{
				displayName: 'Reply To Message-ID',
				name: 'inReplyTo',
				type: 'string',
				default: '',
				placeholder: '={{ $json.messageId }}',
				description:
					'Message-ID of the email this answers (e.g. from the IMAP Trigger): sets In-Reply-To and References so mail clients thread the reply, and prefixes the subject with "Re:"',
			},
			{ displayName: 'Reply-To', name: 'replyTo', type: 'string', default: '' },
		],
	},
];

const MESSAGE_ID = /^<[^<>\s]+@[^<>\s]+>$/;

function normaliseMessageId(value: string): string {
	const trimmed = value.trim();
	return trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	transport: SmtpTransporter,
	settings: MailServerSettings & { defaultFrom: string },
): Promise<IDataObject> {
	const node = this.getNode();
	const from = (this.getNodeParameter('from', itemIndex) as string).trim() || settings.defaultFrom;
	const to = (this.getNodeParameter('to', itemIndex) as string).trim();
	if (!from)
		throw new NodeOperationError(node, '"From" is empty', {
			itemIndex,
			description: 'Fill in From, or set a Default Sender in the SMTP credential',
		});
	if (!to)
		throw new NodeOperationError(node, '"To" is empty', {
			itemIndex,
			description: 'Enter at least one recipient address',
		});
	const format = this.getNodeParameter('emailFormat', itemIndex) as string;
	const options = this.getNodeParameter('options', itemIndex, {});
	let subject = this.getNodeParameter('subject', itemIndex) as string;
	const mail: Mail.Options = {
		from,
		to,
		subject,
		cc: (options.cc as string) || undefined,
		bcc: (options.bcc as string) || undefined,
		replyTo: (options.replyTo as string) || undefined,
	};
	if (format !== 'html') mail.text = this.getNodeParameter('text', itemIndex) as string;
	if (format !== 'text') mail.html = this.getNodeParameter('html', itemIndex) as string;

	const inReplyTo = asText(options.inReplyTo).trim();
	if (inReplyTo) {
		const id = normaliseMessageId(inReplyTo);
		if (!MESSAGE_ID.test(id)) {
			throw new NodeOperationError(node, `"${inReplyTo}" is not a Message-ID`, {
				itemIndex,
				description:
					"A Message-ID looks like <abc123@mail.example.com>; take it from the IMAP Trigger's messageId",
			});
		}
		const references = asText(options.references).split(/\s+/).filter(Boolean).map(normaliseMessageId);
		mail.inReplyTo = id;
		mail.references = [...references.filter((reference) => reference !== id), id];
		if (!/^re:/i.test(subject.trim())) subject = `Re: ${subject}`;
		mail.subject = subject;
	}

	const headerRows = ((options.headers as IDataObject | undefined)?.header ?? []) as Array<{
		name: string;
		value: string;
	}>;
	if (headerRows.length) {
		mail.headers = {};
		for (const { name, value } of headerRows) {
			if (!/^[!-9;-~]+$/.test(name))
				throw new NodeOperationError(node, `Header name "${name}" is not valid`, {
					itemIndex,
					description: 'Header names are printable ASCII without spaces or colons, e.g. X-Homelab-Job',
				});
			mail.headers[name] = value;
		}
	}

	const binaryNames = splitList(options.attachments);
	if (binaryNames.length) {
		mail.attachments = [];
		for (const name of binaryNames) {
			const binary = this.helpers.assertBinaryData(itemIndex, name);
			mail.attachments.push({
				filename: binary.fileName ?? name,
				contentType: binary.mimeType,
				content: await this.helpers.getBinaryDataBuffer(itemIndex, name),
			});
		}
	}

	try {
		const info = await transport.sendMail(mail);
		return {
			messageId: info.messageId,
			accepted: info.accepted,
			rejected: info.rejected,
			response: info.response,
			subject: mail.subject ?? '',
		};
	} catch (error) {
		const failure = smtpFailure(error, settings);
		throw new NodeOperationError(node, `Sending to ${to} failed: ${failure.message}`, {
			itemIndex,
			description: failure.hint,
		});
	}
}
