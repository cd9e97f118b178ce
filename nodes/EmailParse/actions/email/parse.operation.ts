import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type {
	DateLocale,
	EmailAnalysis,
	EmailMessage,
	RefinedAnalysis,
} from '../../../../clients/email/parse';
import {
	analyzeEmail,
	EmailParseError,
	emptyMessage,
	htmlToText,
	isValidZoneName,
	parseRawMessage,
} from '../../../../clients/email/parse';
import { modelLocator, readModel } from '../../../Ollama/actions/common';
import { refine } from '../../transport';

const showRefine = { refineWithLlm: [true] };

export const description: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Raw Message (Field)',
				value: 'rawField',
				description: 'A field holds the full RFC 822 source of the email (headers and MIME body)',
			},
			{
				name: 'Raw Message (Binary .Eml)',
				value: 'rawBinary',
				description: 'A binary property holds the .eml file',
			},
			{
				name: 'Text Fields',
				value: 'fields',
				description: 'Text, HTML, subject and date are separate fields (e.g. from an IMAP trigger or a form)',
			},
		],
		default: 'rawField',
	},
	{
		displayName: 'Raw Message',
		name: 'rawMessage',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '={{ $json.raw }}',
		description: 'The RFC 822 source of the email',
		displayOptions: { show: { source: ['rawField'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary property that holds the .eml file',
		displayOptions: { show: { source: ['rawBinary'] } },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '={{ $json.text }}',
		description: 'Plain-text body. When empty, the HTML body is converted to text.',
		displayOptions: { show: { source: ['fields'] } },
	},
	{
		displayName: 'HTML',
		name: 'html',
		type: 'string',
		default: '={{ $json.html }}',
		description: 'HTML body, used when there is no plain text',
		displayOptions: { show: { source: ['fields'] } },
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '={{ $json.subject }}',
		displayOptions: { show: { source: ['fields'] } },
	},
	{
		displayName: 'Date',
		name: 'date',
		type: 'string',
		default: '={{ $json.dateHeader ?? $json.date }}',
		description:
			'When the email was sent (Date header like "Thu, 20 Nov 2025 10:00:00 +0100" or ISO 8601). "Tomorrow" and "next Tuesday" are relative to it; its UTC offset is the sender\'s zone.',
		displayOptions: { show: { source: ['fields'] } },
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		default: '={{ $json.from?.value?.[0]?.address ?? $json.from }}',
		description: 'Sender address (used to tell en-GB from en dates)',
		displayOptions: { show: { source: ['fields'] } },
	},
	{
		displayName: 'Refine with LLM',
		name: 'refineWithLlm',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description:
			"Whether a local Ollama model checks and completes what the rules found (intent, meeting times, deadlines, invoice, shipping). Off: rules only, deterministic, nothing leaves n8n. On: the mail's subject, sender, date and body (up to Max Body Characters) and the rules' findings are sent to the model.",
	},
	{ ...modelLocator({}), displayOptions: { show: showRefine } },
	{
		displayName: 'LLM Options',
		name: 'llmOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showRefine },
		options: [
			{
				displayName: 'Context Window (Num_ctx)',
				name: 'numCtx',
				type: 'number',
				typeOptions: { minValue: 1024 },
				default: 8192,
				description:
					"Tokens of context: the instructions, the schema, the mail and the rules' findings must fit",
			},
			{
				displayName: 'Max Body Characters',
				name: 'maxBodyChars',
				type: 'number',
				typeOptions: { minValue: 100 },
				default: 6000,
				description:
					'Longer bodies are cut before they are sent to the model (the rules always read all of it)',
			},
			{
				displayName: 'On Model Failure',
				name: 'onFailure',
				type: 'options',
				options: [
					{
						name: "Return the Rules' Output With a Warning",
						value: 'rules',
						description:
							'Ollama unreachable, too slow, a server error or no valid JSON: the item still gets the rules\' facts, "refinement.used" false and a warning',
					},
					{
						name: 'Fail the Item',
						value: 'error',
						description: 'Any failure of the model is an error (use "On Error" to route it)',
					},
				],
				default: 'rules',
				description:
					'What to do when the model gives no usable answer. A model that is not pulled or refused access is always an error.',
			},
			{
				displayName: 'Retries on Invalid Answer',
				name: 'retries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 5 },
				default: 1,
				description: 'How many more times to ask when the answer is not valid JSON for the schema',
			},
			{
				displayName: 'Temperature',
				name: 'temperature',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
				default: 0,
				description: 'Keep 0 so the same mail gets the same answer',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 120000,
				description:
					'Give up on the model after this many milliseconds (then On Model Failure applies); 0 waits as long as it takes',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Forward Dates',
				name: 'forwardDate',
				type: 'boolean',
				default: true,
				description:
					'Whether ambiguous dates lie after the email was sent ("Friday" = the coming Friday, "3 Jan" in December = next year)',
			},
			{
				displayName: 'Include Body Text',
				name: 'includeText',
				type: 'boolean',
				default: false,
				description: 'Whether to add the plain-text body (HTML converted) to the output as "text"',
			},
			{
				displayName: 'Include Quoted History',
				name: 'includeQuoted',
				type: 'boolean',
				default: false,
				description:
					'Whether to read dates from quoted replies and forwarded messages too; by default only what the sender wrote on top counts',
			},
			{
				displayName: 'Language',
				name: 'locale',
				type: 'options',
				options: [
					{ name: 'Detect (English, British English, German, French)', value: 'auto' },
					{ name: 'English (UK: 12/03 = 12 Mar)', value: 'en-GB' },
					{ name: 'English (US: 12/03 = Dec 3)', value: 'en' },
					{ name: 'French', value: 'fr' },
					{ name: 'German', value: 'de' },
				],
				default: 'auto',
				description: 'Language the dates are written in',
			},
			{
				displayName: 'Max Message Size (MB)',
				name: 'maxMessageSizeMb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 64,
				description: 'Larger raw messages are refused with an error instead of being parsed',
			},
			{
				displayName: 'Timezone',
				name: 'timezone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description:
					'IANA time zone to read times like "3pm" in. Empty: the sender\'s UTC offset from the Date header, else the workflow\'s time zone.',
			},
		],
	},
];

function text(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (value instanceof Date) return value.toISOString();
	return JSON.stringify(value);
}

function address(value: unknown): { name: string; address: string } | null {
	if (typeof value === 'string') {
		const match = /<([^>]+)>/.exec(value) ?? /([^\s<>"]+@[^\s<>"]+)/.exec(value);
		return match
			? {
					name: value
						.replace(/<[^>]*>/, '')
						.replace(/"/g, '')
						.trim(),
					address: match[1],
				}
			: null;
	}
	if (value && typeof value === 'object') {
		const record = value as { text?: unknown; address?: unknown; value?: unknown };
		if (typeof record.address === 'string') return { name: '', address: record.address };
		if (Array.isArray(record.value)) return address((record.value as unknown[])[0]);
		if (typeof record.text === 'string') return address(record.text);
	}
	return null;
}

async function readMessage(
	this: IExecuteFunctions,
	itemIndex: number,
	maxBytes: number,
): Promise<EmailMessage> {
	const source = this.getNodeParameter('source', itemIndex) as string;
	if (source === 'fields') {
		const message = emptyMessage();
		message.subject = text(this.getNodeParameter('subject', itemIndex, ''));
		const html = text(this.getNodeParameter('html', itemIndex, ''));
		message.html = html || null;
		message.text = text(this.getNodeParameter('text', itemIndex, '')) || (html ? htmlToText(html) : '');
		message.dateHeader = text(this.getNodeParameter('date', itemIndex, '')).trim() || null;
		message.from = address(this.getNodeParameter('from', itemIndex, ''));
		if (!message.text.trim() && !message.subject.trim()) {
			throw new NodeOperationError(this.getNode(), 'The email has no text, HTML or subject', {
				itemIndex,
				description: 'Map the Text, HTML or Subject field to the fields of the incoming item',
			});
		}
		return message;
	}
	let raw: string | Buffer;
	if (source === 'rawBinary') {
		const property = this.getNodeParameter('binaryPropertyName', itemIndex);
		this.helpers.assertBinaryData(itemIndex, property);
		raw = await this.helpers.getBinaryDataBuffer(itemIndex, property);
	} else {
		const value: unknown = this.getNodeParameter('rawMessage', itemIndex, '');
		if (typeof value !== 'string') {
			throw new NodeOperationError(this.getNode(), 'Raw Message is not text', {
				itemIndex,
				description:
					'Map a field that holds the RFC 822 source as a string, or use "Raw Message (Binary .Eml)" for a file',
			});
		}
		raw = value;
	}
	try {
		return await parseRawMessage(raw, { maxBytes });
	} catch (error) {
		if (error instanceof EmailParseError) {
			throw new NodeOperationError(this.getNode(), error.message, { itemIndex, description: error.hint });
		}
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		timezone?: string;
		locale?: DateLocale | 'auto';
		forwardDate?: boolean;
		includeQuoted?: boolean;
		includeText?: boolean;
		maxMessageSizeMb?: number;
	};
	const timezone = options.timezone?.trim() || undefined;
	if (timezone && !isValidZoneName(timezone)) {
		throw new NodeOperationError(this.getNode(), `"${timezone}" is not a time zone`, {
			itemIndex,
			description:
				'Use an IANA time zone name such as Europe/Berlin, America/New_York or UTC, or leave it empty',
		});
	}
	const message = await readMessage.call(this, itemIndex, (options.maxMessageSizeMb ?? 64) * 1024 * 1024);
	const analysis = analyzeEmail(message, {
		timezone,
		fallbackTimezone: this.getTimezone(),
		locale: options.locale ?? 'auto',
		forwardDate: options.forwardDate ?? true,
		includeQuoted: options.includeQuoted ?? false,
	});
	let output: EmailAnalysis | RefinedAnalysis = analysis;
	if (this.getNodeParameter('refineWithLlm', itemIndex, false) === true) {
		const llm = this.getNodeParameter('llmOptions', itemIndex, {}) as {
			numCtx?: number;
			maxBodyChars?: number;
			onFailure?: 'rules' | 'error';
			retries?: number;
			temperature?: number;
			timeout?: number;
		};
		output = await refine.call(this, itemIndex, message, analysis, {
			model: readModel.call(this, itemIndex),
			numCtx: llm.numCtx,
			maxBodyChars: llm.maxBodyChars,
			onFailure: llm.onFailure,
			retries: llm.retries,
			temperature: llm.temperature,
			timeoutMs: llm.timeout ?? 120000,
		});
	}
	return {
		...output,
		to: message.to.map((entry) => entry.address),
		messageId: message.messageId,
		attachments: message.attachments,
		...(options.includeText ? { text: message.text } : {}),
	} as unknown as IDataObject;
}
