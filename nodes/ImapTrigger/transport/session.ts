import { ImapFlow } from 'imapflow';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	classifyMailError,
	type MailFailure,
	type MailServerSettings,
} from '../../../clients/email/connection';
import { imapFlowOptions } from '../../../clients/email/imap';
import { mailServerSettings } from '../../../clients/email/settings';

export function imapSettings(credentials: ICredentialDataDecryptedObject): MailServerSettings {
	return mailServerSettings(credentials);
}

/**
 * Opens a short-lived session, runs `work`, logs out. Failures come back classified (DNS, TLS, auth,
 * mailbox...) so callers can say exactly what to fix.
 */
export async function withImapSession<T>(
	settings: MailServerSettings,
	work: (client: ImapFlow) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; failure: MailFailure }> {
	const client = new ImapFlow(
		imapFlowOptions(settings, { connectMs: 15000, greetingMs: 10000, socketMs: 30000 }),
	);
	client.on('error', () => undefined); // surfaced through the awaited calls below
	try {
		await client.connect();
		const value = await work(client);
		await client.logout();
		return { ok: true, value };
	} catch (error) {
		client.close();
		return { ok: false, failure: classifyMailError(error, settings) };
	}
}
