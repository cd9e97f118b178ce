import { SynologyInputError } from './errors';

// File Station addresses files by absolute paths that start with a shared folder ("/docker/compose.yml").
// DSM resolves them itself, but a path assembled from workflow data ("/media/" + $json.name) must never climb
// out of the folder it was meant for, so traversal is refused here, before any request is made.

/** Returns the path normalised (single slashes, no trailing slash) or throws naming the problem. */
export function safePath(input: string, label = 'path'): string {
	if (typeof input !== 'string' || input.trim() === '') {
		throw new SynologyInputError(`${label} is empty: give an absolute path like /share/folder`);
	}
	const value = input.trim();
	if (value.includes('\0')) throw new SynologyInputError(`${label} "${value}" contains a NUL byte`);
	if (!value.startsWith('/')) {
		throw new SynologyInputError(
			`${label} "${value}" must be absolute and start with a shared folder, like /${value}`,
		);
	}
	const segments = value.split(/[/\\]+/).filter((segment) => segment !== '');
	if (segments.some((segment) => segment === '..' || segment === '.')) {
		throw new SynologyInputError(
			`${label} "${value}" contains a "." or ".." segment; path traversal is refused`,
		);
	}
	if (segments.length === 0) throw new SynologyInputError(`${label} "${value}" names no shared folder`);
	return `/${segments.join('/')}`;
}

/** A single file or folder name (create folder, rename): no separators, no "." or "..". */
export function safeName(input: string, label = 'name'): string {
	const value = typeof input === 'string' ? input.trim() : '';
	if (value === '') throw new SynologyInputError(`${label} is empty`);
	if (value === '.' || value === '..' || /[/\\\0]/.test(value)) {
		throw new SynologyInputError(`${label} "${value}" must be a plain name without "/", "\\", "." or ".."`);
	}
	return value;
}

/**
 * Download Station destinations are share-relative ("downloads/movies", no leading slash, DS API guide
 * SYNO.DownloadStation.Task create: "destination ... starting with a shared folder"); accepts either form.
 */
export function safeDestination(input: string, label = 'destination'): string {
	return safePath(input.trim().startsWith('/') ? input : `/${input.trim()}`, label).slice(1);
}
