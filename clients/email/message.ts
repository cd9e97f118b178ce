import { simpleParser, type ParsedMail } from 'mailparser';

import { addresses } from './parse/message';

export interface MailAddress {
	address: string;
	name: string;
}

export interface ParsedAttachment {
	filename: string;
	contentType: string;
	size: number;
	/** present when the attachment is within the size limit */
	content?: Buffer;
	/** why the content was left out */
	skipped?: string;
}

export interface ParsedMessage {
	messageId: string | null;
	subject: string;
	/** the Date header as an ISO instant */
	date: string | null;
	/** the Date header as written, with the sender's UTC offset (what Email Parse reads dates relative to) */
	dateHeader: string | null;
	from: MailAddress | null;
	to: MailAddress[];
	cc: MailAddress[];
	replyTo: MailAddress[];
	inReplyTo: string | null;
	references: string[];
	text: string;
	html: string | null;
	headers: Record<string, string>;
	attachments: ParsedAttachment[];
	/** set when the MIME structure could not be fully parsed; the other fields are best effort */
	parseError?: string;
}

function headerText(value: unknown): string {
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'string') return value;
	if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
	if (value && typeof value === 'object' && 'value' in value)
		return String((value as { value: unknown }).value);
	return JSON.stringify(value);
}

/**
 * Reads a message fetched from a mailbox (the IMAP trigger's item): headers, bodies and the attachments' content
 * up to `maxAttachmentBytes` each. Never throws for bad MIME or unknown charsets: mailparser is lenient and what
 * it cannot read ends up in `parseError` with the rest filled in as far as possible.
 * Not to be confused with parse/message.ts `parseRawMessage` (Email Parse): that one measures attachments
 * without keeping them, lists warnings, and refuses empty or oversized input.
 */
export async function parseFetchedMessage(
	source: Buffer,
	maxAttachmentBytes: number,
): Promise<ParsedMessage> {
	let mail: ParsedMail;
	try {
		mail = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true });
	} catch (error) {
		const head = source.subarray(0, 64 * 1024).toString('latin1');
		const subject = /^Subject:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? '';
		return {
			messageId: /^Message-ID:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? null,
			subject,
			date: null,
			dateHeader: /^Date:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? null,
			from: null,
			to: [],
			cc: [],
			replyTo: [],
			inReplyTo: null,
			references: [],
			text: '',
			html: null,
			headers: {},
			attachments: [],
			parseError: `the message could not be parsed as MIME: ${(error as Error).message}`,
		};
	}
	const references = Array.isArray(mail.references)
		? mail.references
		: mail.references
			? [mail.references]
			: [];
	return {
		messageId: mail.messageId ?? null,
		subject: mail.subject ?? '',
		date: mail.date ? mail.date.toISOString() : null,
		dateHeader: mail.headerLines.find((line) => line.key === 'date')?.line.replace(/^date:\s*/i, '') ?? null,
		from: addresses(mail.from)[0] ?? null,
		to: addresses(mail.to),
		cc: addresses(mail.cc),
		replyTo: addresses(mail.replyTo),
		inReplyTo: mail.inReplyTo ?? null,
		references,
		text: mail.text ?? '',
		html: typeof mail.html === 'string' ? mail.html : null,
		headers: Object.fromEntries([...mail.headers.entries()].map(([key, value]) => [key, headerText(value)])),
		attachments: mail.attachments.map((attachment, index) => {
			const base = {
				filename: attachment.filename ?? `attachment-${index + 1}`,
				contentType: attachment.contentType,
				size: attachment.size,
			};
			return attachment.size > maxAttachmentBytes
				? { ...base, skipped: `larger than the ${Math.round(maxAttachmentBytes / 1024 / 1024)} MB limit` }
				: { ...base, content: attachment.content };
		}),
	};
}
