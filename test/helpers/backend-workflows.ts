// Shared by the e2e tests of workflows/provision-vm.json and workflows/nightly-backups.json: the workflow file as
// shipped, lab credentials under the fixed names the workflows reference, a real backend pointed at the Proxmox
// simulator, and the mails dovecot delivered.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BackendProcess } from '../backend/backend-process';
import type { ExecutionResult, N8n, WorkflowJson } from '../harness/n8n';
import { REPO_ROOT } from '../harness/runtime';
import { inboxMessages } from './mail';
import type { MailService, MailUser } from '../services/mail';
import type { ProxmoxSimulator } from '../simulators/proxmox/server';

export function loadWorkflow(file: string): WorkflowJson {
	return JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8')) as WorkflowJson;
}

/**
 * Creates n8n credentials under the exact names the workflow files reference (`{"id": null, "name": ...}`),
 * first deleting same-named ones of the same type an earlier test file left in the shared n8n: n8n binds a
 * name only when exactly one credential of that type has it. Returns name -> id.
 */
export async function createNamedCredentials(
	n8n: N8n,
	specs: Array<{ name: string; type: string; data: Record<string, unknown> }>,
): Promise<Record<string, string>> {
	const existing = await n8n.rest<{ data: Array<{ id: string; name: string; type: string }> }>(
		'GET',
		'/credentials',
	);
	const ids: Record<string, string> = {};
	for (const spec of specs) {
		for (const old of existing.data.filter((c) => c.name === spec.name && c.type === spec.type))
			await n8n.api('DELETE', `/credentials/${old.id}`);
		ids[spec.name] = await n8n.createCredential(spec.name, spec.type, spec.data);
	}
	return ids;
}

/** The credential ids n8n stored on each node of an imported workflow, by node name. */
export async function boundCredentials(
	n8n: N8n,
	workflowId: string,
): Promise<Record<string, Record<string, { id: string | null; name: string }>>> {
	const stored = await n8n.api<{
		nodes: Array<{ name: string; credentials?: Record<string, { id: string | null; name: string }> }>;
	}>('GET', `/workflows/${workflowId}`);
	return Object.fromEntries(
		stored.nodes.filter((node) => node.credentials).map((node) => [node.name, node.credentials!]),
	);
}

/** The real backend (built) with its `services.proxmox` section pointing at the simulator (self-signed TLS). */
export async function backendForSimulator(
	sim: ProxmoxSimulator,
	options: { dockerSocket?: string; synology?: { baseUrl: string; username: string; password: string } } = {},
): Promise<{ backend: BackendProcess; cleanup: () => Promise<void> }> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'homelab-wf-backend-'));
	const config = path.join(dir, 'backend.json');
	// a simulated guest's Docker engine (provision-vm's compose stack goes to the new VM's IP): the agent reports
	// 192.168.100.(vmid % 200 + 20), so every such address of VMIDs 100-139 names the test's real dockerd
	const docker = options.dockerSocket
		? {
				docker: {
					projectsDir: path.join(dir, 'stacks'),
					hosts: Object.fromEntries(
						Array.from({ length: 40 }, (_, index) => [
							`192.168.100.${index + 120}`,
							{ socketPath: options.dockerSocket },
						]),
					),
				},
			}
		: {};
	writeFileSync(
		config,
		JSON.stringify({
			services: {
				proxmox: {
					baseUrl: sim.url,
					tokenId: sim.tokens.admin.id,
					tokenSecret: sim.tokens.admin.secret,
					rejectUnauthorized: false,
				},
				...docker,
				...(options.synology ? { synology: { ...options.synology, pollIntervalMs: 50 } } : {}),
			},
		}),
		{ mode: 0o600 },
	);
	const backend = await BackendProcess.create({
		HOMELAB_BACKEND_DB: path.join(dir, 'backend.sqlite'),
		HOMELAB_BACKEND_CONFIG: config,
		HOMELAB_BACKEND_POLL_MS: '50',
	});
	await backend.start();
	return {
		backend,
		cleanup: async () => {
			await backend.kill('SIGTERM');
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

export interface ReceivedMail {
	subject: string;
	from: string;
	to: string;
	text: string;
	html: string;
}

/** Every message in a user's INBOX (read from dovecot), parsed, oldest first. */
export async function inbox(mail: MailService, user: MailUser): Promise<ReceivedMail[]> {
	return (await inboxMessages(mail, user)).map((message) => ({
		subject: message.subject ?? '',
		from: message.from?.text ?? '',
		to: Array.isArray(message.to) ? message.to.map((to) => to.text).join(', ') : (message.to?.text ?? ''),
		text: message.text ?? '',
		html: typeof message.html === 'string' ? message.html : '',
	}));
}

/** Waits until a mail whose subject matches arrives (delivery over SMTP -> LMTP is asynchronous). */
export async function waitForMail(
	mail: MailService,
	user: MailUser,
	subject: RegExp,
	timeoutMs = 30_000,
): Promise<ReceivedMail> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = (await inbox(mail, user)).find((message) => subject.test(message.subject));
		if (found) return found;
		if (Date.now() > deadline) {
			const subjects = (await inbox(mail, user)).map((message) => message.subject);
			throw new Error(
				`no mail matching ${subject} within ${timeoutMs} ms; inbox: ${JSON.stringify(subjects)}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Polls an execution until it has stopped for good (not waiting for the backend's callback any more). */
export async function waitUntilDone(
	n8n: N8n,
	executionId: string,
	timeoutMs: number,
	done: (result: ExecutionResult) => boolean = (result) =>
		!['new', 'running', 'waiting', 'unknown'].includes(result.status),
): Promise<ExecutionResult> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const raw = await n8n.api<Record<string, unknown>>('GET', `/executions/${executionId}?includeData=true`);
		const data = (raw.data ?? {}) as {
			resultData?: { runData?: ExecutionResult['runData']; error?: ExecutionResult['error'] };
		};
		const result: ExecutionResult = {
			id: String(raw.id),
			status: String(raw.status),
			finished: Boolean(raw.finished),
			runData: data.resultData?.runData ?? {},
			error: data.resultData?.error,
			raw,
		};
		if (done(result)) return result;
		if (Date.now() > deadline)
			throw new Error(
				`execution ${executionId} still ${result.status} after ${timeoutMs} ms; nodes run: ${Object.keys(result.runData).join(', ')}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
