// Every DSM error code this pack can meet, in words. DSM answers `{ success: false, error: { code } }` and the
// same number means different things in different API families (400 is "wrong password" for SYNO.API.Auth but
// "invalid parameter" for File Station), so a code is always explained together with the API that returned it.
//
// Sources (Synology's published Web API guides):
// - "DSM Login Web API Guide", section "Error Code" (common codes 100-150 and SYNO.API.Auth 400-410).
// - "Synology File Station Official API" (DSM 6.x), section 2.3 "Error Codes" (common File Station codes
//   400-421, 599) and the per-API tables in chapter 3 (Favorite 800-802, Delete 900, CopyMove 1000-1007,
//   CreateFolder 1100-1101, Rename 1200, Compress 1300-1301, Extract 1400-1403, Upload 1800-1805,
//   Sharing 2000-2002).
// - "Synology Download Station Official API" (v1), section "Error Codes" (common 100-106, Task 400-408).

/** Codes every API may return (DSM Login Web API Guide, "Error Code" → "Common Error Code"). */
export const COMMON_ERRORS: Readonly<Record<number, string>> = {
	100: 'unknown error',
	101: 'the request named no API, method or version (parameter missing)',
	102: 'the requested API does not exist on this DSM (is the package installed and running?)',
	103: 'the requested method does not exist for this API',
	104: 'the requested version does not support this functionality',
	105: 'the logged-in session does not have permission (the DSM account lacks the privilege)',
	106: 'the session timed out',
	107: 'the session was interrupted by a duplicate login',
	108: 'failed to upload the file',
	109: 'the network connection is unstable or the system is busy',
	110: 'the network connection is unstable or the system is busy',
	111: 'the network connection is unstable or the system is busy',
	114: 'a required parameter of this API is missing',
	115: 'not allowed to upload a file',
	116: 'not allowed to perform this on a demo site',
	117: 'the network connection is unstable or the system is busy',
	118: 'the network connection is unstable or the system is busy',
	119: 'the session id (SID) was not found: the session is invalid or expired',
	120: 'a parameter is invalid',
	150: 'the request source IP does not match the IP of the login',
};

/** SYNO.API.Auth (DSM Login Web API Guide, "Error Code" → "Auth Error Code"). */
export const AUTH_ERRORS: Readonly<Record<number, string>> = {
	400: 'no such account or incorrect password',
	401: 'the DSM account is disabled',
	402: 'permission denied for this account',
	403: '2-step verification code required: set the OTP code or OTP secret in the credential',
	404: 'the 2-step verification code was not accepted (wrong or expired code; check the clock of n8n and the NAS)',
	406: 'this account must use 2-step verification: enable it in DSM (Personal → Security) and set the OTP in the credential',
	407: 'the source IP is blocked (too many failed logins: check DSM Control Panel → Security → Protection → Allow/Block List)',
	408: 'the password has expired and cannot be changed by this account',
	409: 'the password has expired',
	410: 'the password must be changed before logging in (log in to DSM once in a browser)',
};

/** File Station (File Station Official API, 2.3 "Error Codes" and the per-API tables of chapter 3). */
export const FILE_STATION_ERRORS: Readonly<Record<number, string>> = {
	400: 'invalid parameter of the file operation',
	401: 'unknown error of the file operation',
	402: 'the system is too busy',
	403: 'this user may not perform this file operation',
	404: 'this group may not perform this file operation',
	405: 'this user and group may not perform this file operation',
	406: 'cannot get user/group information from the account server',
	407: 'operation not permitted',
	408: 'no such file or directory',
	409: 'file system not supported',
	410: 'failed to connect to the internet-based file system (e.g. CIFS)',
	411: 'read-only file system',
	412: 'file name too long for the non-encrypted file system',
	413: 'file name too long for the encrypted file system',
	414: 'the file already exists',
	415: 'disk quota exceeded',
	416: 'no space left on the device',
	417: 'input/output error',
	418: 'illegal name or path',
	419: 'illegal file name',
	420: 'illegal file name on a FAT file system',
	421: 'device or resource busy',
	599: 'no such task of the file operation (it finished or was cleaned up)',
	800: 'a folder path of a favorite folder is already added to the favorites',
	801: 'a name of a favorite folder conflicts with an existing folder path in the favorites',
	802: 'there are too many favorites to add',
	900: 'failed to delete the file(s)/folder(s)',
	1000: 'failed to copy the files/folders',
	1001: 'failed to move the files/folders',
	1002: 'an error occurred at the destination',
	1003: 'cannot overwrite or skip the existing file because no overwrite parameter was given',
	1004: 'a file cannot overwrite a folder with the same name, or a folder a file with the same name',
	1006: 'cannot copy/move a file or folder with special characters to a FAT32 file system',
	1007: 'cannot copy/move a file bigger than 4 GB to a FAT32 file system',
	1100: 'failed to create the folder',
	1101: 'the number of folders in the parent folder would exceed the system limit',
	1200: 'failed to rename',
	1300: 'failed to compress the files/folders',
	1301: 'cannot create the archive because the given archive name is too long',
	1400: 'failed to extract the files',
	1401: 'cannot open the file as an archive',
	1402: 'failed to read the archive data error',
	1403: 'wrong password for the archive',
	1800: 'the upload had no Content-Length or its size does not match it',
	1801: 'the upload waited too long: no data received from the client',
	1802: 'no file name in the last part of the upload',
	1803: 'the upload connection was cancelled',
	1804: 'failed to upload an oversized file to a FAT file system',
	1805: 'the file exists already and no overwrite parameter was given',
	2000: 'the sharing link does not exist',
	2001: 'cannot create a sharing link: too many sharing links exist',
	2002: 'failed to access the sharing links',
};

/** SYNO.DownloadStation.* (Download Station Official API, "Error Codes": common and Task codes). */
export const DOWNLOAD_STATION_ERRORS: Readonly<Record<number, string>> = {
	400: 'the file upload failed',
	401: 'the maximum number of download tasks is reached',
	402: 'the destination is denied (no write permission on that shared folder)',
	403: 'the destination does not exist',
	404: 'invalid task id',
	405: 'invalid task action',
	406: 'no default destination is set in Download Station',
	407: 'setting the destination failed',
	408: 'the file does not exist',
};

/** The explanation of `code` as returned by `api`, always in words. */
export function explainDsmError(api: string, code: number): string {
	let table: Readonly<Record<number, string>> | undefined;
	if (api === 'SYNO.API.Auth') table = AUTH_ERRORS;
	else if (api.startsWith('SYNO.FileStation.')) table = FILE_STATION_ERRORS;
	else if (api.startsWith('SYNO.DownloadStation')) table = DOWNLOAD_STATION_ERRORS;
	const specific = table?.[code];
	if (specific) return specific;
	const common = COMMON_ERRORS[code];
	if (common) return common;
	return `DSM returned error ${code}, which Synology does not document for ${api}`;
}

/** A DSM API answered `success: false`. */
export class SynologyApiError extends Error {
	readonly api: string;
	readonly method: string;
	readonly code: number;
	readonly explanation: string;
	/** File Station's per-path details (`error.errors`), when DSM sent them. */
	readonly details?: unknown;

	constructor(api: string, method: string, code: number, details?: unknown) {
		const explanation = explainDsmError(api, code);
		super(`${api} ${method} failed: ${explanation} (DSM error ${code})`);
		this.name = 'SynologyApiError';
		this.api = api;
		this.method = method;
		this.code = code;
		this.explanation = explanation;
		this.details = details;
	}
}

/** The request never reached DSM or DSM did not answer with its JSON envelope. */
export class SynologyTransportError extends Error {
	readonly status?: number;
	constructor(message: string, status?: number) {
		super(message);
		this.name = 'SynologyTransportError';
		this.status = status;
	}
}

/** Input refused before any request was made (path traversal, empty names, ...). */
export class SynologyInputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SynologyInputError';
	}
}
