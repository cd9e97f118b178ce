import { describeError, errorCode } from '../../shared/errors';

/** TLS mode of a mail connection: implicit TLS (IMAPS 993 / SMTPS 465), STARTTLS upgrade, or none. */
export type MailSecurity = 'tls' | 'starttls' | 'none';

export interface MailServerSettings {
	host: string;
	port: number;
	security: MailSecurity;
	user: string;
	/** password, or an OAuth2 access token when `authType` is oauth2 */
	secret: string;
	authType: 'password' | 'oauth2';
	allowSelfSigned: boolean;
}

/** Which step of talking to a mail server failed: names the failure the way a user can act on it. */
export type MailFailureKind = 'dns' | 'connect' | 'timeout' | 'tls' | 'auth' | 'mailbox' | 'protocol';

export interface MailFailure {
	kind: MailFailureKind;
	message: string;
	hint: string;
}

const HINTS: Record<MailFailureKind, string> = {
	dns: 'Check the host name: it does not resolve from the n8n machine',
	connect: 'Check host and port, and that the mail server runs and no firewall blocks the port',
	timeout: 'The server did not answer in time: check host, port and the security setting (TLS vs STARTTLS)',
	tls: 'Check the security setting (TLS for 993/465, STARTTLS for 143/587), or enable "Allow Self-Signed Certificate" for a lab server',
	auth: 'Check user and password (or the OAuth2 access token); some providers need an app password',
	mailbox: 'Check the mailbox name; list mailboxes with the Mailbox dropdown',
	protocol: 'The server answered something unexpected; check that host and port belong to the right service',
};

/** Classifies an error thrown by imapflow or nodemailer into a failure kind with a hint. */
export function classifyMailError(error: unknown, server: { host: string; port: number }): MailFailure {
	const code = errorCode(error) ?? '';
	const text = `${code} ${error instanceof Error ? error.message : String(error)}`;
	const authFailed = (error as { authenticationFailed?: boolean }).authenticationFailed === true;
	const responseCode = (error as { responseCode?: number }).responseCode;
	let kind: MailFailureKind;
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') kind = 'dns';
	else if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(code)) kind = 'connect';
	else if (/TIMEOUT|ETIMEDOUT|timed? ?out/i.test(text)) kind = 'timeout';
	else if (/CERT|SSL|TLS|self[- ]signed|wrong version number|EPROTO/i.test(text)) kind = 'tls';
	else if (
		authFailed ||
		code === 'EAUTH' ||
		responseCode === 535 ||
		/AUTHENTICATIONFAILED|Invalid credentials|auth/i.test(text)
	)
		kind = 'auth';
	else if (/NONEXISTENT|Mailbox doesn't exist|Unknown Mailbox|NO \[TRYCREATE\]/i.test(text)) kind = 'mailbox';
	else kind = 'protocol';
	return {
		kind,
		message: `${server.host}:${server.port}: ${kind === 'auth' ? 'authentication failed' : describeError(error)}`,
		hint: HINTS[kind],
	};
}
