import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';

import type { MailService, MailUser } from '../services/mail';

/** Sends mails through the test SMTP server, retrying each while delivery fails (e.g. dovecot is down). */
export async function sendMails(
	mail: MailService,
	from: MailUser,
	to: MailUser,
	subjects: string[],
	{ retryForMs = 120000 } = {},
): Promise<void> {
	const transport = nodemailer.createTransport({
		host: mail.host,
		port: mail.smtpPort,
		ignoreTLS: true,
		pool: true,
		maxConnections: 2,
		auth: { user: from.address, pass: from.password },
	});
	try {
		for (const subject of subjects) {
			const deadline = Date.now() + retryForMs;
			for (;;) {
				try {
					await transport.sendMail({
						from: from.address,
						to: to.address,
						subject,
						text: `body of ${subject}`,
					});
					break;
				} catch (error) {
					if (Date.now() > deadline) throw error;
					await new Promise((resolve) => setTimeout(resolve, 250));
				}
			}
		}
	} finally {
		transport.close();
	}
}

/** Subject -> flags of every message in a user's INBOX, read with a separate IMAP session. */
export async function mailboxFlags(mail: MailService, user: MailUser): Promise<Map<string, string[]>> {
	const client = new ImapFlow({
		host: mail.host,
		port: mail.imapPort,
		secure: false,
		tls: { rejectUnauthorized: false },
		auth: { user: user.address, pass: user.password },
		logger: false,
	});
	await client.connect();
	const flags = new Map<string, string[]>();
	try {
		const lock = await client.getMailboxLock('INBOX', { readOnly: true });
		try {
			for await (const message of client.fetch('1:*', { envelope: true, flags: true })) {
				flags.set(message.envelope?.subject ?? '', [...(message.flags ?? [])]);
			}
		} finally {
			lock.release();
		}
	} finally {
		await client.logout();
	}
	return flags;
}

/** Raw source of every message in a user's INBOX, oldest first; read with a separate IMAP session. */
export async function inboxSources(mail: MailService, user: MailUser): Promise<Buffer[]> {
	const client = new ImapFlow({
		host: mail.host,
		port: mail.imapPort,
		secure: false,
		// dovecot's certificate (offered over STARTTLS) is self-signed.
		tls: { rejectUnauthorized: false },
		auth: { user: user.address, pass: user.password },
		logger: false,
	});
	await client.connect();
	const sources: Buffer[] = [];
	try {
		const lock = await client.getMailboxLock('INBOX', { readOnly: true });
		try {
			// FETCH 1:* on an empty mailbox is an error in IMAP, not an empty answer.
			const exists = client.mailbox ? client.mailbox.exists : 0;
			if (exists > 0)
				for await (const message of client.fetch('1:*', { source: true }))
					if (message.source) sources.push(message.source);
		} finally {
			lock.release();
		}
	} finally {
		await client.logout();
	}
	return sources;
}

/** Every message in a user's INBOX, parsed (headers, text), oldest first; read with a separate IMAP session. */
export async function inboxMessages(mail: MailService, user: MailUser): Promise<ParsedMail[]> {
	const sources = await inboxSources(mail, user);
	return await Promise.all(sources.map(async (source) => await simpleParser(source)));
}
