import { asText } from '../../shared/values';
import type { MailSecurity, MailServerSettings } from './connection';

/** The fields both mail credentials share, as n8n hands them over. */
export interface MailCredentialData {
	host?: unknown;
	port?: unknown;
	security?: unknown;
	user?: unknown;
	authType?: unknown;
	password?: unknown;
	accessToken?: unknown;
	allowSelfSigned?: unknown;
}

/** Validates credential data into connection settings; throws with the field to fix. */
export function mailServerSettings(data: MailCredentialData): MailServerSettings {
	const host = asText(data.host).trim();
	if (!host) throw new Error('Host is empty: enter the mail server name in the credential');
	const port = Number(data.port);
	if (!Number.isInteger(port) || port < 1 || port > 65535)
		throw new Error(`Port ${String(data.port)} is not a port number`);
	const security = (['tls', 'starttls', 'none'] as const).find((mode) => mode === data.security) ?? 'tls';
	const authType = data.authType === 'oauth2' ? 'oauth2' : 'password';
	return {
		host,
		port,
		security: security as MailSecurity,
		user: asText(data.user),
		secret: asText(authType === 'oauth2' ? data.accessToken : data.password),
		authType,
		allowSelfSigned: data.allowSelfSigned === true,
	};
}
