import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

import {
	classifyMailError,
	type MailFailure,
	type MailServerSettings,
} from '../../../clients/email/connection';

export type SmtpTransporter = Transporter<SMTPTransport.SentMessageInfo>;

/** The only place this node opens SMTP connections. */
export function createSmtpTransport(settings: MailServerSettings): SmtpTransporter {
	const auth: SMTPTransport.Options['auth'] = !settings.user
		? undefined
		: settings.authType === 'oauth2'
			? { type: 'OAuth2', user: settings.user, accessToken: settings.secret }
			: { user: settings.user, pass: settings.secret };
	return nodemailer.createTransport({
		host: settings.host,
		port: settings.port,
		secure: settings.security === 'tls',
		requireTLS: settings.security === 'starttls',
		ignoreTLS: settings.security === 'none',
		auth,
		tls: { rejectUnauthorized: !settings.allowSelfSigned },
		connectionTimeout: 15000,
		greetingTimeout: 10000,
		socketTimeout: 60000,
	});
}

export function smtpFailure(error: unknown, settings: MailServerSettings): MailFailure {
	return classifyMailError(error, settings);
}
