import { compile } from 'html-to-text';
import { MailParser } from 'mailparser';
import type { AddressObject, AttachmentStream, HeaderLines, MessageText } from 'mailparser';

/** An email reduced to what the parser reads. Plain data: JSON-serialisable, no streams or Dates. */
export interface EmailMessage {
	subject: string;
	from: { name: string; address: string } | null;
	to: Array<{ name: string; address: string }>;
	cc: Array<{ name: string; address: string }>;
	/** The Date header as written ("Thu, 20 Nov 2025 10:00:00 +0100"), or null. */
	dateHeader: string | null;
	messageId: string | null;
	inReplyTo: string | null;
	/** Plain text; converted from HTML when the mail has none. */
	text: string;
	html: string | null;
	attachments: Array<{ filename: string | null; contentType: string; size: number }>;
	/** What could not be read cleanly (bad charset, truncated MIME, ...): the rest is still parsed. */
	warnings: string[];
}

export interface RawMessageOptions {
	/** Refuse messages larger than this (bytes). Default 64 MiB. */
	maxBytes?: number;
}

/** Why a message could not be parsed at all (empty, too large, not MIME and not text). */
export class EmailParseError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'EmailParseError';
	}
}

const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]{1,76}:[ \t]?\S/;
const KNOWN_HEADERS =
	/^(?:from|to|cc|subject|date|message-id|mime-version|received|return-path|content-type|delivered-to|reply-to|x-[\w-]+|dkim-signature|sender|in-reply-to|references|arc-[\w-]+|authentication-results):/i;

/** Whether a text starts like an RFC 822 message (a header block) rather than a plain body. */
export function looksLikeRfc822(raw: string): boolean {
	const head = raw.slice(0, 4096).replace(/^\s+/, '').split(/\r?\n/).slice(0, 30);
	if (!HEADER_LINE.test(head[0] ?? '')) return false;
	return head.some((line) => KNOWN_HEADERS.test(line));
}

/** Flattens mailparser address groups into plain `{ name, address }` entries. */
export function addresses(
	value: AddressObject | AddressObject[] | undefined,
): Array<{ name: string; address: string }> {
	const list = Array.isArray(value) ? value : value ? [value] : [];
	return list.flatMap((entry) =>
		entry.value.map((address) => ({ name: address.name ?? '', address: address.address ?? '' })),
	);
}

const convertHtml = compile({
	wordwrap: false,
	selectors: [
		{ selector: 'img', format: 'skip' },
		{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
		{ selector: 'h1', options: { uppercase: false } },
		{ selector: 'h2', options: { uppercase: false } },
		{ selector: 'h3', options: { uppercase: false } },
		{ selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
	],
});

/** HTML to readable text: block elements become lines, table cells stay apart, links keep their address. */
export function htmlToText(html: string): string {
	return convertHtml(html);
}

function charsetWarnings(headerText: string): string[] {
	const warnings: string[] = [];
	for (const match of headerText.matchAll(/charset\s*=\s*"?([^";\s]+)"?/gi)) {
		const charset = match[1];
		try {
			new TextDecoder(charset);
		} catch {
			const warning = `Unknown charset "${charset}": that part was decoded as best effort (UTF-8/ASCII)`;
			if (!warnings.includes(warning)) warnings.push(warning);
		}
	}
	return warnings;
}

/**
 * Parses a raw RFC 822 / MIME message with mailparser. Attachments are measured, never buffered (a 25 MB
 * attachment costs its decode time, not its memory). Malformed parts are parsed as far as possible and named
 * in `warnings`; only an empty, oversized or unreadable message throws EmailParseError. (The IMAP trigger,
 * which needs the attachments' content, reads its messages with ../message.ts `parseFetchedMessage`.)
 */
export async function parseRawMessage(
	raw: string | Buffer,
	options: RawMessageOptions = {},
): Promise<EmailMessage> {
	const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
	const buffer = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
	if (buffer.length === 0 || buffer.toString('utf8', 0, 4096).trim() === '') {
		throw new EmailParseError(
			'The message is empty',
			'Check that the field holds the raw email (RFC 822 source)',
		);
	}
	if (buffer.length > maxBytes) {
		throw new EmailParseError(
			`The message is ${(buffer.length / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit`,
			'Raise "Max Message Size" or strip attachments before parsing',
		);
	}
	const start = buffer.toString('latin1', 0, 8192);
	if (!looksLikeRfc822(start)) {
		const text = buffer.toString('utf8');
		return {
			...emptyMessage(),
			text,
			warnings: ['No email headers found: the input was read as plain text'],
		};
	}
	const warnings = charsetWarnings(buffer.toString('latin1', 0, Math.min(buffer.length, 2 * 1024 * 1024)));
	const message = emptyMessage();
	message.warnings = warnings;
	const parser = new MailParser({
		checksumAlgo: false,
		// HTML-only mails are converted here (htmlToText keeps table cells apart, which mailparser's does not).
		skipHtmlToText: true,
		skipTextToHtml: true,
		skipImageLinks: true,
		maxHtmlLengthToParse: 5 * 1024 * 1024,
	});
	let headerLines: HeaderLines = [];
	parser.on('headerLines', (lines: HeaderLines) => {
		headerLines = lines;
	});
	await new Promise<void>((resolve, reject) => {
		parser.on('data', (data: AttachmentStream | MessageText) => {
			if (data.type === 'attachment') {
				let size = 0;
				data.content.on('data', (chunk: Buffer) => {
					size += chunk.length;
				});
				data.content.on('end', () => {
					message.attachments.push({
						filename: data.filename ?? null,
						contentType: data.contentType,
						size,
					});
					data.release?.();
				});
				return;
			}
			message.text = data.text ?? '';
			message.html = data.html ?? null;
			if (data.textConversionError) {
				message.warnings.push(
					`The HTML part could not be converted to text: ${data.textConversionError.message}`,
				);
			}
		});
		parser.on('end', () => resolve());
		parser.on('error', (error: Error) => reject(error));
		parser.end(buffer);
	}).catch((error: unknown) => {
		const reason = error instanceof Error ? error.message : String(error);
		if (!message.text && headerLines.length === 0) {
			throw new EmailParseError(
				`The message could not be parsed: ${reason}`,
				'Check that the field holds a raw RFC 822 email',
			);
		}
		message.warnings.push(`The message is malformed and was parsed only partly: ${reason}`);
	});
	message.subject = parser.subject ?? '';
	const from = addresses(parser.from);
	message.from = from[0] ?? null;
	message.to = addresses(parser.to);
	message.cc = addresses(parser.cc);
	message.messageId = parser.messageId ?? null;
	message.inReplyTo = parser.inReplyTo ?? null;
	const dateLine = headerLines.find((line) => line.key === 'date');
	message.dateHeader = dateLine
		? dateLine.line
				.replace(/^date\s*:\s*/i, '')
				.replace(/\r?\n[ \t]+/g, ' ')
				.trim()
		: null;
	if (!message.text && message.html) message.text = htmlToText(message.html);
	if (!message.text && !message.html && message.attachments.length === 0) {
		message.warnings.push('The message has no text body');
	}
	return message;
}

export function emptyMessage(): EmailMessage {
	return {
		subject: '',
		from: null,
		to: [],
		cc: [],
		dateHeader: null,
		messageId: null,
		inReplyTo: null,
		text: '',
		html: null,
		attachments: [],
		warnings: [],
	};
}
