/** Log redaction: secrets in config, requests and job inputs never reach the log. */
export const REDACT_PATHS = [
	'req.headers.authorization',
	'req.headers.cookie',
	'headers.authorization',
	'token',
	'*.token',
	'*.password',
	'*.tokenSecret',
	'*.secret',
	'*.*.password',
	'*.*.tokenSecret',
	'input.cloudInit.password',
	'callbackUrl',
	'*.callbackUrl',
];
