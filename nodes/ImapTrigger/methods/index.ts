import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeListSearchResult,
} from 'n8n-workflow';

import type { MailServerSettings } from '../../../clients/email/connection';
import { imapSettings, withImapSession } from '../transport/session';

/** Credential test: log in and open INBOX; the message names the failing step (DNS, TLS, auth, mailbox). */
export async function homelabImapConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let settings: MailServerSettings;
	try {
		settings = imapSettings(credential.data ?? {});
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	const result = await withImapSession(settings, async (client) => {
		await client.mailboxOpen('INBOX', { readOnly: true });
	});
	if (result.ok) return { status: 'OK', message: 'Connection successful' };
	return {
		status: 'Error',
		message: `${result.failure.kind.toUpperCase()}: ${result.failure.message}. ${result.failure.hint}`,
	};
}

/** Mailbox dropdown: every selectable mailbox of the account, filtered by what the user types. */
export async function searchMailboxes(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const settings = imapSettings(await this.getCredentials('homelabImapApi'));
	const result = await withImapSession(settings, async (client) => await client.list());
	if (!result.ok) throw new Error(`${result.failure.message}. ${result.failure.hint}`);
	const needle = (filter ?? '').toLowerCase();
	return {
		results: result.value
			.filter((mailbox) => !mailbox.flags.has('\\Noselect'))
			.filter((mailbox) => mailbox.path.toLowerCase().includes(needle))
			.map((mailbox) => ({ name: mailbox.path, value: mailbox.path })),
	};
}
