// Starts README's lab command (scripts/lab.sh) on a given LAB_DIR and talks to the n8n it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { freePort, waitFor } from '../harness/net';
import { REPO_ROOT } from '../harness/runtime';
import { entriesUnder, n8nSettingsFile } from '../../scripts/lab-private';

export interface RunningLab {
	process: ChildProcess;
	editorUrl: string;
	backendUrl: string;
	/** Everything the lab printed so far. */
	output: () => string;
}

export async function startLab(labDir: string): Promise<RunningLab> {
	const [port, backendPort] = [await freePort(), await freePort()];
	const lab = spawn('bash', [path.join(REPO_ROOT, 'scripts/lab.sh')], {
		env: {
			...process.env,
			LAB_DIR: labDir,
			LAB_PORT: String(port),
			LAB_BACKEND_PORT: String(backendPort),
			LAB_SKIP_BUILD: '1',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	lab.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	lab.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const [editorUrl, backendUrl] = await waitFor(
		'the lab to print its editor URL',
		() => {
			if (lab.exitCode !== null) throw new Error(`lab exited ${lab.exitCode}:\n${output}`);
			const editor = /Editor:\s+(http:\/\/\S+?)\/\s/.exec(output);
			const backend = /Backend:\s+(http:\/\/\S+?)\/\s/.exec(output);
			return editor && backend ? [editor[1], backend[1]] : undefined;
		},
		{ timeoutMs: 240000, intervalMs: 250 },
	);
	return { process: lab, editorUrl, backendUrl, output: () => output };
}

/** Stops the lab as Ctrl-C does (its whole process group) and waits until it has exited. */
export async function stopLab(lab: RunningLab | undefined): Promise<void> {
	if (!lab || lab.process.exitCode !== null || lab.process.signalCode !== null) return;
	const exited = new Promise((resolve) => lab.process.once('exit', resolve));
	process.kill(-lab.process.pid!, 'SIGTERM');
	await exited;
}

export function labOwnerLogin(labDir: string): { email: string; password: string } {
	const [email, password] = readFileSync(path.join(labDir, 'owner-login.txt'), 'utf8').trim().split('\n');
	return { email, password };
}

/** Logs in as the lab's owner; returns the session cookie for n8n's internal API. */
export async function labOwnerCookie(lab: RunningLab, labDir: string): Promise<string> {
	const { email, password } = labOwnerLogin(labDir);
	const login = await fetch(`${lab.editorUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: email, password }),
	});
	if (login.status !== 200) throw new Error(`lab login -> ${login.status}: ${await login.text()}`);
	return login.headers.getSetCookie()[0].split(';')[0];
}

/** The encryption key n8n uses in this lab (from its settings file). */
export function labEncryptionKey(labDir: string): string {
	const settings = JSON.parse(readFileSync(n8nSettingsFile(path.join(labDir, 'n8n')), 'utf8')) as {
		encryptionKey: string;
	};
	return settings.encryptionKey;
}

/** Paths under `dir` (symlinks not followed: the pack is linked in) that a group or other user could open. */
export function groupOrOtherAccessible(dir: string): string[] {
	return entriesUnder(dir).flatMap((file) => {
		const stat = lstatSync(file);
		const open = !stat.isSymbolicLink() && (stat.mode & 0o077) !== 0;
		return open ? [`${path.relative(dir, file)} ${(stat.mode & 0o777).toString(8)}`] : [];
	});
}

/** Saves an n8n "Header Auth" credential through the editor's API; returns its id. */
export async function saveHeaderCredential(lab: RunningLab, cookie: string): Promise<string> {
	const response = await fetch(`${lab.editorUrl}/rest/credentials`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({
			name: 'lab key check',
			type: 'httpHeaderAuth',
			data: { name: 'X-Lab-Check', value: 'lab-secret-value' },
		}),
	});
	if (!response.ok) throw new Error(`save credential -> ${response.status}: ${await response.text()}`);
	return ((await response.json()) as { data: { id: string } }).data.id;
}

/** Opens a saved credential as the editor does, which decrypts it with the lab's key; returns its header name. */
export async function readHeaderName(lab: RunningLab, cookie: string, id: string): Promise<unknown> {
	const response = await fetch(`${lab.editorUrl}/rest/credentials/${id}?includeData=true`, {
		headers: { cookie },
	});
	if (!response.ok) throw new Error(`read credential -> ${response.status}: ${await response.text()}`);
	return ((await response.json()) as { data: { data?: { name?: unknown } } }).data.data?.name;
}
