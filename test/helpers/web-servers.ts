import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

import { selfSignedCertificate } from './tls';

export interface TestServer {
	url: string;
	close(): Promise<void>;
}

async function listen(server: http.Server, scheme: 'http' | 'https'): Promise<TestServer> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `${scheme}://127.0.0.1:${port}`,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

/** A loopback server answering every request with `status`; HTTPS with a self-signed cert when asked. */
export async function statusServer(status: number, { tls = false, certDays = 30 } = {}): Promise<TestServer> {
	const handler: http.RequestListener = (_request, response) => {
		response.writeHead(status, { 'content-type': 'text/plain' });
		response.end(`status ${status}\n`);
	};
	if (!tls) return await listen(http.createServer(handler), 'http');
	return await listen(https.createServer(selfSignedCertificate('localhost', certDays), handler), 'https');
}
