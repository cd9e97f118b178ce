/** Normalises a user-entered Home Assistant address ("ha.lab:8123", "https://ha/") to a base URL without a slash. */
export function baseUrl(raw: string): URL {
	const trimmed = raw.trim().replace(/\/+$/, '');
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
	const url = new URL(withScheme);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new Error(`"${raw}" must start with http:// or https://`);
	}
	// A user may paste the address of the API itself; the client adds /api/... on its own.
	url.pathname = url.pathname.replace(/\/api(\/websocket)?\/?$/, '').replace(/\/+$/, '');
	url.search = '';
	url.hash = '';
	return url;
}

/** ws(s)://host/api/websocket for a base URL. */
export function websocketUrl(base: URL): string {
	const url = new URL(base.href);
	url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/websocket`;
	return url.href;
}
