import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { freePort, waitFor } from '../harness/net';
import { REPO_ROOT } from '../harness/runtime';

/** random per test run: the backend refuses placeholder and low-entropy tokens at start */
export const TOKEN = randomBytes(32).toString('hex');

/** The built backend (backend/dist/backend/src/main.js) as a child process; tsx is loaded so extra job modules may be .ts. */
export class BackendProcess {
	child: ChildProcess | undefined;
	output = '';
	readonly url: string;
	starts = 0;

	private constructor(
		readonly port: number,
		private readonly env: Record<string, string>,
	) {
		this.url = `http://127.0.0.1:${port}`;
	}

	/** `tsx`: load tsx so extra job modules may be TypeScript (off for measurements: it costs memory) */
	static async create(env: Record<string, string>, options: { tsx?: boolean } = {}): Promise<BackendProcess> {
		const backend = new BackendProcess(await freePort(), env);
		backend.tsx = options.tsx ?? true;
		return backend;
	}

	private tsx = true;

	async start(): Promise<number> {
		const started = Date.now();
		const child = spawn(
			process.execPath,
			[...(this.tsx ? ['--import', 'tsx'] : []), path.join(REPO_ROOT, 'backend/dist/backend/src/main.js')],
			{
				cwd: REPO_ROOT,
				env: {
					...process.env,
					HOMELAB_BACKEND_TOKEN: TOKEN,
					HOMELAB_BACKEND_PORT: String(this.port),
					HOMELAB_BACKEND_LOG_LEVEL: 'warn',
					NODE_OPTIONS: '--disable-warning=ExperimentalWarning',
					...this.env,
				},
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		this.child = child;
		this.starts++;
		child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		await waitFor(
			`backend on ${this.url}`,
			async () => {
				if (child.exitCode !== null)
					throw new Error(`backend exited ${child.exitCode}:\n${this.output.slice(-3000)}`);
				const response = await fetch(`${this.url}/healthz`).catch(() => undefined);
				return response?.ok ? true : undefined;
			},
			{ timeoutMs: 30_000, intervalMs: 25 },
		);
		return Date.now() - started;
	}

	/** kill -9: no shutdown handler runs */
	async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill(signal);
		await exited;
	}

	async api<T>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}${route}`, {
			method,
			headers: {
				authorization: `Bearer ${TOKEN}`,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
		return JSON.parse(text) as T;
	}
}
