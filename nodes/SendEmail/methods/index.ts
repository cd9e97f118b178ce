import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import type { MailServerSettings } from '../../../clients/email/connection';
import { mailServerSettings } from '../../../clients/email/settings';
import { createSmtpTransport, smtpFailure } from '../transport/smtp';

/** Credential test: connect, TLS/STARTTLS, AUTH; the message names the failing step. */
export async function homelabSmtpConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let settings: MailServerSettings;
	try {
		settings = mailServerSettings(credential.data ?? {});
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	const transport = createSmtpTransport(settings);
	try {
		await transport.verify();
		return { status: 'OK', message: 'Connection successful' };
	} catch (error) {
		const failure = smtpFailure(error, settings);
		return { status: 'Error', message: `${failure.kind.toUpperCase()}: ${failure.message}. ${failure.hint}` };
	} finally {
		transport.close();
	}
}
