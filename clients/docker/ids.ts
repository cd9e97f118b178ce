import { DockerError } from './errors';

/**
 * Names and IDs of engine objects, checked before they go into an Engine API path. dockerode concatenates them
 * into the URL as given, so "../volumes/x" as a container would send `DELETE /volumes/x` and "web?force=true&"
 * would add a query. Each kind follows the engine's own rule; what passes is percent-encoded anyway.
 */
export type DockerObjectKind = 'container' | 'image' | 'volume' | 'network' | 'exec';

// moby daemon/names: RestrictedNameChars = [a-zA-Z0-9][a-zA-Z0-9_.-]. Container and volume names must match it
// (2+ characters); IDs are hex, and an ID prefix may be one character, hence `*` rather than `+`.
const RESTRICTED_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

// distribution/reference grammar: [domain[:port]/]path[:tag][@digest]; path components are lowercase
// alphanumerics joined by ".", "_", "__" or "-"s; a tag is [\w][\w.-]{0,127}; a digest is algorithm:hex.
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_REFERENCE = new RegExp(
	`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`,
);
const IMAGE_ID = /^sha256:[0-9a-f]{1,64}$/;
const EXEC_ID = /^[0-9a-f]{64}$/;

const RULES: Record<DockerObjectKind, { test: (value: string) => boolean; rule: string }> = {
	container: {
		// inspect answers names with a leading "/" ("/web"); the engine accepts them that way too
		test: (value) => RESTRICTED_NAME.test(value.replace(/^\//, '')),
		rule: 'a container name or ID: letters, digits, "_", "." and "-", starting with a letter or digit',
	},
	volume: {
		// volumes have no ID prefixes: the engine's 2-character minimum applies
		test: (value) => value.length >= 2 && RESTRICTED_NAME.test(value),
		rule: 'a volume name: two or more letters, digits, "_", "." and "-", starting with a letter or digit',
	},
	network: {
		test: (value) => RESTRICTED_NAME.test(value),
		rule: 'a network name or ID: letters, digits, "_", "." and "-", starting with a letter or digit',
	},
	image: {
		test: (value) => IMAGE_ID.test(value) || IMAGE_REFERENCE.test(value),
		rule: 'an image reference such as nginx:1.27, ghcr.io/owner/app:tag, name@sha256:…, or an image ID (sha256:…)',
	},
	exec: {
		test: (value) => EXEC_ID.test(value),
		rule: 'an exec ID (64 hex digits, as the engine answers it)',
	},
};

/** Refuses a name/ID that is not of `kind`'s form, with a message that says which form is expected. */
export function checkDockerId(kind: DockerObjectKind, value: unknown): string {
	const text = typeof value === 'string' ? value : '';
	const { test, rule } = RULES[kind];
	if (!text || text.length > 512 || !test(text))
		throw new DockerError(
			`${JSON.stringify(typeof value === 'string' ? value.slice(0, 200) : (value ?? null))} is not a valid ${kind} name or ID`,
			`Give ${rule}; nothing was sent to the Docker engine`,
			undefined,
			'INVALID_ID',
		);
	return text;
}

/**
 * The checked name/ID as it goes into an Engine API path: every character outside the unreserved set is
 * percent-encoded (the engine decodes the path before routing), and an image reference keeps its "/" separators
 * like the docker CLI sends them, since `/images/{name:.*}/json` takes them as part of the name.
 */
export function dockerPathId(kind: DockerObjectKind, value: unknown): string {
	const checked = checkDockerId(kind, value);
	if (kind === 'image') return checked.split('/').map(encodeURIComponent).join('/');
	return encodeURIComponent(kind === 'container' ? checked.replace(/^\//, '') : checked);
}
