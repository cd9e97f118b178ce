// n8n's NodeError replaces any message that merely *contains* a Node error code such as ECONNREFUSED with a
// generic sentence ("The service refused the connection - perhaps it is offline"), which drops the host and
// port a user needs. So messages built here say what happened in words and never carry the raw code; the code
// travels separately (see errorCode) for output data and descriptions.

const PHRASES: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset by the server',
	ECONNABORTED: 'connection aborted',
	EPIPE: 'connection closed while sending',
	ENOTFOUND: 'host name not found in DNS',
	EAI_AGAIN: 'DNS lookup failed (temporary)',
	ETIMEDOUT: 'connection timed out',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EADDRNOTAVAIL: 'address not available',
	ENOENT: 'no such file or socket',
	EACCES: 'permission denied',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
	SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
	CERT_HAS_EXPIRED: 'certificate has expired',
	ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate chain cannot be verified',
};

/** The Node/OpenSSL error code of an error, if it has one (e.g. ECONNREFUSED). */
export function errorCode(error: unknown): string | undefined {
	const code = (error as { code?: unknown } | undefined)?.code;
	return typeof code === 'string' ? code : undefined;
}

/** A readable, code-free description of a thrown value, with the address it concerned when known. */
export function describeError(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const code = errorCode(error);
	const phrase = code ? PHRASES[code] : undefined;
	if (!phrase) return code ? error.message.replaceAll(code, '').replace(/\s+/g, ' ').trim() : error.message;
	const { address, port, hostname } = error as { address?: string; port?: number; hostname?: string };
	const where = address ? `${address}${port ? `:${port}` : ''}` : hostname;
	return where ? `${phrase} (${where})` : phrase;
}
