import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Counts side effects by key: POST /effects/<key> adds one, GET answers 200 once it happened (404 before). */
export async function startCounter() {
	const counts = new Map<string, number>();
	/** which process made each effect (x-instance header) */
	const byInstance = new Map<string, number>();
	const server = http.createServer((request, response) => {
		const match = /^\/effects\/(.+)$/.exec(request.url ?? '');
		if (!match) {
			response.writeHead(404).end();
			return;
		}
		const key = decodeURIComponent(match[1]);
		if (request.method === 'POST') {
			counts.set(key, (counts.get(key) ?? 0) + 1);
			const instance = String(request.headers['x-instance'] ?? '');
			byInstance.set(instance, (byInstance.get(instance) ?? 0) + 1);
		}
		response.writeHead(counts.has(key) ? 200 : 404, { 'content-type': 'application/json' });
		response.end(JSON.stringify({ count: counts.get(key) ?? 0 }));
	});
	server.keepAliveTimeout = 1000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		counts,
		byInstance,
		stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
	};
}
