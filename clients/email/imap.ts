import type { ImapFlowOptions } from 'imapflow';

import type { MailServerSettings } from './connection';

export interface ImapTimeouts {
	connectMs: number;
	greetingMs: number;
	socketMs: number;
}

/** imapflow options for a server; timeouts are short so a dead server is noticed, never waited on forever. */
export function imapFlowOptions(
	server: MailServerSettings,
	timeouts: ImapTimeouts = { connectMs: 15000, greetingMs: 10000, socketMs: 120000 },
): ImapFlowOptions {
	return {
		host: server.host,
		port: server.port,
		secure: server.security === 'tls',
		// 'none' must not silently upgrade either way: imapflow only skips STARTTLS with doSTARTTLS false.
		doSTARTTLS: server.security === 'starttls' ? true : server.security === 'none' ? false : undefined,
		auth:
			server.authType === 'oauth2'
				? { user: server.user, accessToken: server.secret }
				: { user: server.user, pass: server.secret },
		tls: { rejectUnauthorized: !server.allowSelfSigned },
		logger: false,
		connectionTimeout: timeouts.connectMs,
		greetingTimeout: timeouts.greetingMs,
		socketTimeout: timeouts.socketMs,
		clientInfo: { name: 'n8n-nodes-homelab' },
	};
}
