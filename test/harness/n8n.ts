import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import {
	createWriteStream,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort, waitFor } from './net';
import { REPO_ROOT, runtime } from './runtime';

/** How the pack gets into n8n: a symlink to this work tree, or the `npm pack` tarball installed like n8n does. */
export type PackageMode = { kind: 'symlink' } | { kind: 'tarball'; tarball: string };

export interface StartOptions {
	mode?: PackageMode;
	/** Extra environment for n8n (e.g. N8N_LOG_LEVEL). */
	env?: Record<string, string>;
	/** Reuse a user folder (keeps credentials/workflows); default: a fresh temp dir removed on stop. */
	userFolder?: string;
	port?: number;
	/** The owner account to set up or log in with (default OWNER). */
	owner?: OwnerAccount;
}

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface N8nConnection {
	baseUrl: string;
	apiKey: string;
	cookie: string;
	userFolder: string;
	logPath: string;
	pid: number;
}

export interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	position?: number[];
	[key: string]: unknown;
}

export interface WorkflowJson {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface ExecutionResult {
	id: string;
	status: string;
	finished: boolean;
	/** runData of the execution: node name -> runs. */
	runData: Record<string, NodeRun[]>;
	error?: { message?: string; description?: string; node?: { name?: string } };
	raw: Record<string, unknown>;
}

export interface NodeRun {
	data?: {
		main?: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown; binary?: unknown }> | null>;
	};
	error?: { message?: string; description?: string };
	executionStatus?: string;
}

export const OWNER: OwnerAccount = {
	email: 'owner@lab.test',
	password: 'Homelab-Owner-1',
	firstName: 'Lab',
	lastName: 'Owner',
};

/**
 * Environment every n8n started here gets: loopback only, no phoning home, no optional modules. No encryption key:
 * n8n draws a random one into the user folder's settings file (0600) and reuses it when the folder is reused.
 */
export function n8nEnvironment(userFolder: string, port: number, brokerPort: number): Record<string, string> {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry,instance-ai,workflow-builder,chat-hub,agents',
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_LEVEL: 'info',
		// n8n refuses a settings file (it holds the encryption key) that others can read.
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		DB_SQLITE_POOL_SIZE: '2',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		GENERIC_TIMEZONE: 'UTC',
	};
}

/** Installs the pack into `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-homelab` the way the mode says. */
export function installPack(userFolder: string, mode: PackageMode): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', 'n8n-nodes-homelab');
	mkdirSync(path.dirname(target), { recursive: true });
	rmSync(target, { recursive: true, force: true });
	if (mode.kind === 'symlink') {
		if (!existsSync(path.join(REPO_ROOT, 'dist/nodes'))) {
			throw new Error('dist/ is missing: run `npm run build` before starting n8n with the pack');
		}
		symlinkSync(REPO_ROOT, target, 'dir');
		return;
	}
	// Mirror n8n's CommunityPackagesService.downloadPackage: unpack the tarball, drop dev/peer/optional
	// dependencies from its package.json, then a shallow production install without scripts.
	mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', mode.tarball, '-C', target, '--strip-components=1']);
	const manifestPath = path.join(target, 'package.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	execFileSync(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--loglevel=error',
		],
		{ cwd: target, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	const nodesManifest = {
		name: 'installed-nodes',
		private: true,
		dependencies: { 'n8n-nodes-homelab': manifest.version },
	};
	writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify(nodesManifest, null, 2));
}

export class N8n implements N8nConnection {
	constructor(
		readonly baseUrl: string,
		readonly apiKey: string,
		readonly cookie: string,
		readonly userFolder: string,
		readonly logPath: string,
		readonly pid: number,
		private readonly child?: ChildProcess,
		private readonly ownsUserFolder = false,
		/** how this n8n was started, so `restart` starts the next one the same way */
		private readonly startOptions: StartOptions = {},
	) {}

	/** Connects to an n8n another process started (see test/global-setup.ts). */
	static fromConnection(connection: N8nConnection): N8n {
		const { baseUrl, apiKey, cookie, userFolder, logPath, pid } = connection;
		return new N8n(baseUrl, apiKey, cookie, userFolder, logPath, pid);
	}

	connection(): N8nConnection {
		const { baseUrl, apiKey, cookie, userFolder, logPath, pid } = this;
		return { baseUrl, apiKey, cookie, userFolder, logPath, pid };
	}

	log(): string {
		return existsSync(this.logPath) ? readFileSync(this.logPath, 'utf8') : '';
	}

	/** n8n's public API (`/api/v1`), authenticated with the API key. */
	async api<T = Record<string, unknown>>(method: string, route: string, body?: unknown): Promise<T> {
		return await this.request<T>(method, `/api/v1${route}`, body, { 'X-N8N-API-KEY': this.apiKey });
	}

	/** n8n's internal REST API (`/rest`), authenticated with the owner's session cookie. */
	async rest<T = Record<string, unknown>>(method: string, route: string, body?: unknown): Promise<T> {
		return await this.request<T>(method, `/rest${route}`, body, { cookie: this.cookie });
	}

	async request<T>(
		method: string,
		route: string,
		body: unknown,
		headers: Record<string, string>,
	): Promise<T> {
		const response = await fetch(`${this.baseUrl}${route}`, {
			method,
			headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} ${route} -> ${response.status}: ${text.slice(0, 500)}`);
		return (text ? JSON.parse(text) : {}) as T;
	}

	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<string> {
		const created = await this.api<{ id: string }>('POST', '/credentials', { name, type, data });
		return created.id;
	}

	/** Imports a workflow (an exported JSON) through the public API; returns its id. */
	async importWorkflow(workflow: WorkflowJson): Promise<string> {
		const { name, nodes, connections } = workflow;
		const settings = { executionOrder: 'v1', ...(workflow.settings ?? {}) };
		const created = await this.api<{ id: string }>('POST', '/workflows', {
			name,
			nodes,
			connections,
			settings,
		});
		return created.id;
	}

	async activate(workflowId: string): Promise<void> {
		await this.api('POST', `/workflows/${workflowId}/activate`);
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.api('POST', `/workflows/${workflowId}/deactivate`);
	}

	/** Runs a workflow from its manual trigger, as the editor's "Execute workflow" does, and waits for the end. */
	async runWorkflow(
		workflowId: string,
		triggerName = 'Manual Trigger',
		timeoutMs = 60000,
	): Promise<ExecutionResult> {
		const started = await this.rest<{ data: { executionId?: string; waitingForWebhook?: boolean } }>(
			'POST',
			`/workflows/${workflowId}/run`,
			{ triggerToStartFrom: { name: triggerName } },
		);
		const executionId = started.data.executionId;
		if (!executionId) throw new Error(`n8n did not start workflow ${workflowId}: ${JSON.stringify(started)}`);
		return await this.waitForExecution(executionId, timeoutMs);
	}

	async waitForExecution(executionId: string, timeoutMs = 60000): Promise<ExecutionResult> {
		return await waitFor(
			`execution ${executionId} to finish`,
			async () => {
				const execution = await this.api<Record<string, unknown>>(
					'GET',
					`/executions/${executionId}?includeData=true`,
				);
				const status = String(execution.status);
				if (['new', 'running', 'waiting', 'unknown'].includes(status) && !execution.stoppedAt)
					return undefined;
				return toExecutionResult(execution);
			},
			{ timeoutMs, intervalMs: 100 },
		);
	}

	/** Executions of a workflow, newest first. */
	async executions(workflowId: string, limit = 100): Promise<ExecutionResult[]> {
		const list = await this.api<{ data: Array<Record<string, unknown>> }>(
			'GET',
			`/executions?workflowId=${workflowId}&includeData=true&limit=${limit}`,
		);
		return list.data.map(toExecutionResult);
	}

	/**
	 * How many executions a workflow has, without their data: cheap enough to poll while a trigger is still
	 * emitting hundreds (fetching every execution's data each poll slows n8n down as the count grows).
	 */
	async executionCount(workflowId: string): Promise<number> {
		let count = 0;
		let cursor = '';
		do {
			const page = await this.api<{ data: unknown[]; nextCursor?: string | null }>(
				'GET',
				`/executions?workflowId=${workflowId}&includeData=false&limit=250${cursor ? `&cursor=${cursor}` : ''}`,
			);
			count += page.data.length;
			cursor = page.nextCursor ?? '';
		} while (cursor);
		return count;
	}

	/** Every execution of a workflow (follows the public API's cursor), newest first. */
	async allExecutions(workflowId: string): Promise<ExecutionResult[]> {
		const all: ExecutionResult[] = [];
		let cursor = '';
		do {
			const page = await this.api<{ data: Array<Record<string, unknown>>; nextCursor?: string | null }>(
				'GET',
				`/executions?workflowId=${workflowId}&includeData=true&limit=250${cursor ? `&cursor=${cursor}` : ''}`,
			);
			all.push(...page.data.map(toExecutionResult));
			cursor = page.nextCursor ?? '';
		} while (cursor);
		return all;
	}

	/** Runs a credential type's test (as the editor's "Test" button does) on unsaved data. */
	async testCredential(
		type: string,
		data: Record<string, unknown>,
	): Promise<{ status: string; message: string }> {
		const response = await this.rest<{ data: { status: string; message: string } }>(
			'POST',
			'/credentials/test',
			{
				credentials: { id: '', name: `test ${type}`, type, data },
			},
		);
		return response.data;
	}

	/** The node types n8n has loaded (the editor's `/types/nodes.json`). */
	async nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[] }>> {
		const response = await fetch(`${this.baseUrl}/types/nodes.json`, { headers: { cookie: this.cookie } });
		if (!response.ok) throw new Error(`/types/nodes.json -> ${response.status}`);
		return (await response.json()) as Array<{
			name: string;
			displayName: string;
			version: number | number[];
		}>;
	}

	async stop(): Promise<void> {
		await this.terminate('graceful');
		if (this.ownsUserFolder && !process.env.HOMELAB_KEEP_N8N)
			rmSync(this.userFolder, { recursive: true, force: true });
	}

	/**
	 * Stops this n8n (SIGTERM and waiting for its shutdown, or SIGKILL to it and its task runners, as a power
	 * cut or `docker kill` would), runs `whileDown`, and starts a new one on the same user folder, port and
	 * options. The returned
	 * N8n replaces this one (new API key and cookie); this one must not be used afterwards.
	 */
	async restart(how: 'graceful' | 'kill', whileDown?: () => Promise<void>): Promise<N8n> {
		if (!this.child) throw new Error('restart needs an n8n started by this process (startN8n)');
		await this.terminate(how);
		await whileDown?.();
		const port = Number(new URL(this.baseUrl).port);
		const next = await startN8n({ ...this.startOptions, userFolder: this.userFolder, port });
		return new N8n(
			next.baseUrl,
			next.apiKey,
			next.cookie,
			next.userFolder,
			next.logPath,
			next.pid,
			next.child,
			this.ownsUserFolder,
			this.startOptions,
		);
	}

	private async terminate(how: 'graceful' | 'kill'): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		if (how === 'kill') {
			// n8n's task runners are its children: a killed n8n cannot stop them, so they go down with it.
			const descendants = descendantPids(child.pid ?? 0);
			child.kill('SIGKILL');
			for (const pid of descendants) killQuietly(pid);
			await exited;
			return;
		}
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
		await exited;
		clearTimeout(timer);
	}
}

/** Every process below `pid` (children first found, then theirs), read from `ps`. */
function descendantPids(pid: number): number[] {
	const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
		.trim()
		.split('\n')
		.map((line) => line.trim().split(/\s+/).map(Number));
	const found: number[] = [];
	const queue = [pid];
	while (queue.length) {
		const parent = queue.shift();
		for (const [child, ppid] of table) {
			if (ppid === parent) {
				found.push(child);
				queue.push(child);
			}
		}
	}
	return found;
}

function killQuietly(pid: number): void {
	try {
		process.kill(pid, 'SIGKILL');
	} catch {
		// already gone
	}
}

/** The items a node produced on its first output in its last run. */
export function outputOf(result: ExecutionResult, nodeName: string, outputIndex = 0) {
	const runs = result.runData[nodeName];
	if (!runs?.length) {
		throw new Error(
			`Node "${nodeName}" did not run (status ${result.status}, error: ${result.error?.message ?? 'none'})`,
		);
	}
	return runs[runs.length - 1].data?.main?.[outputIndex] ?? [];
}

function toExecutionResult(execution: Record<string, unknown>): ExecutionResult {
	const data = (execution.data ?? {}) as {
		resultData?: { runData?: Record<string, NodeRun[]>; error?: ExecutionResult['error'] };
	};
	return {
		id: String(execution.id),
		status: String(execution.status),
		finished: Boolean(execution.finished),
		runData: data.resultData?.runData ?? {},
		error: data.resultData?.error,
		raw: execution,
	};
}

async function setupOwner(baseUrl: string, owner: OwnerAccount): Promise<{ cookie: string; apiKey: string }> {
	const post = async (route: string, body: unknown, cookie = '') =>
		await fetch(`${baseUrl}${route}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
			body: JSON.stringify(body),
		});
	const setup = await post('/rest/owner/setup', owner);
	// 400 means an owner exists already (a reused user folder): logging in below is what counts.
	if (!setup.ok && setup.status !== 400)
		throw new Error(`owner setup -> ${setup.status}: ${await setup.text()}`);
	const login = await post('/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	if (!login.ok) throw new Error(`login -> ${login.status}: ${await login.text()}`);
	const authCookie = login.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
	if (!authCookie) throw new Error('login returned no n8n-auth cookie');
	const cookie = authCookie.split(';')[0];
	const scopesResponse = await fetch(`${baseUrl}/rest/api-keys/scopes`, { headers: { cookie } });
	const scopes = ((await scopesResponse.json()) as { data: string[] }).data;
	const keyResponse = await post(
		'/rest/api-keys',
		{ label: `homelab-${Date.now()}`, scopes, expiresAt: null },
		cookie,
	);
	if (!keyResponse.ok) throw new Error(`api key -> ${keyResponse.status}: ${await keyResponse.text()}`);
	const apiKey = ((await keyResponse.json()) as { data: { rawApiKey: string } }).data.rawApiKey;
	return { cookie, apiKey };
}

/** Starts a real n8n 2.x (Node 24) with this pack installed, sets up the owner and an API key. */
export async function startN8n(options: StartOptions = {}): Promise<N8n> {
	const { node24Bin, n8nBin } = runtime();
	const ownsUserFolder = !options.userFolder;
	const userFolder = options.userFolder ?? mkdtempSync(path.join(os.tmpdir(), 'homelab-n8n-'));
	installPack(userFolder, options.mode ?? { kind: 'symlink' });
	const port = options.port ?? (await freePort());
	const brokerPort = await freePort();
	const logPath = path.join(userFolder, 'n8n.log');
	const log = createWriteStream(logPath, { flags: 'a' });
	const env: NodeJS.ProcessEnv = {
		...process.env,
		...n8nEnvironment(userFolder, port, brokerPort),
		...options.env,
		PATH: `${node24Bin}:${process.env.PATH ?? ''}`,
	};
	// Test runners and tsx set these for their own process; n8n must not inherit them, nor a key from the shell
	// that would not match the user folder's.
	if (!options.env?.N8N_ENCRYPTION_KEY) delete env.N8N_ENCRYPTION_KEY;
	delete env.NODE_OPTIONS;
	delete env.NODE_TEST_CONTEXT;
	const child = spawn(path.join(node24Bin, 'node'), [n8nBin, 'start'], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout.pipe(log);
	child.stderr.pipe(log);
	const baseUrl = `http://127.0.0.1:${port}`;
	const tail = () =>
		existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n') : '';
	try {
		await waitFor(
			`n8n on ${baseUrl} to be ready`,
			async () => {
				if (child.exitCode !== null) throw new Error(`n8n exited with ${child.exitCode}:\n${tail()}`);
				const response = await fetch(`${baseUrl}/healthz/readiness`).catch(() => undefined);
				return response?.ok ? true : undefined;
			},
			{ timeoutMs: 120000, intervalMs: 250 },
		);
		const { cookie, apiKey } = await setupOwner(baseUrl, options.owner ?? OWNER);
		return new N8n(
			baseUrl,
			apiKey,
			cookie,
			userFolder,
			logPath,
			child.pid ?? 0,
			child,
			ownsUserFolder,
			options,
		);
	} catch (error) {
		child.kill('SIGKILL');
		throw new Error(`${(error as Error).message}\n--- n8n log tail ---\n${tail()}`);
	}
}
