// The lab: n8n (pack symlinked into its user folder) + backend, workflows imported, editor URL printed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { waitFor } from '../test/harness/net';
import { startN8n, type N8n, type OwnerAccount, type WorkflowJson } from '../test/harness/n8n';
import { REPO_ROOT } from '../test/harness/runtime';
import { makeLabFolderPrivate, refusePublicLabKey } from './lab-private';

const labDir = path.resolve(
	process.env.LAB_DIR ?? path.join(os.homedir(), '.local/share/n8n-nodes-homelab/lab'),
);
const port = Number(process.env.LAB_PORT ?? 5678);
const backendPort = Number(process.env.LAB_BACKEND_PORT ?? 8787);

/** A secret generated once per lab and kept in LAB_DIR (mode 600), never printed. */
function labSecret(name: string): string {
	const file = path.join(labDir, name);
	if (!existsSync(file)) writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
	return readFileSync(file, 'utf8').trim();
}

async function startBackend(token: string) {
	const child = spawn(process.execPath, [path.join(REPO_ROOT, 'backend/dist/backend/src/main.js')], {
		env: {
			...process.env,
			HOMELAB_BACKEND_TOKEN: token,
			HOMELAB_BACKEND_PORT: String(backendPort),
			HOMELAB_BACKEND_DB: path.join(labDir, 'backend.sqlite'),
			NODE_OPTIONS: '--disable-warning=ExperimentalWarning',
		},
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	await waitFor(`backend on port ${backendPort}`, async () => {
		if (child.exitCode !== null) throw new Error(`backend exited with ${child.exitCode}`);
		const response = await fetch(`http://127.0.0.1:${backendPort}/healthz`).catch(() => undefined);
		return response?.ok ? true : undefined;
	});
	return child;
}

/** Imports each workflows/*.json; one already there with the same name is updated instead of duplicated. */
async function importWorkflows(n8n: N8n): Promise<string[]> {
	const dir = path.join(REPO_ROOT, 'workflows');
	const files = readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort();
	const existing = await n8n.api<{ data: Array<{ id: string; name: string }> }>(
		'GET',
		'/workflows?limit=250',
	);
	const names: string[] = [];
	for (const file of files) {
		const workflow = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as WorkflowJson;
		const same = existing.data.find((candidate) => candidate.name === workflow.name);
		if (same) {
			const { name, nodes, connections } = workflow;
			await n8n.api('PUT', `/workflows/${same.id}`, {
				name,
				nodes,
				connections,
				settings: workflow.settings ?? {},
			});
		} else {
			await n8n.importWorkflow(workflow);
		}
		names.push(workflow.name);
	}
	return names;
}

async function main(): Promise<void> {
	makeLabFolderPrivate(labDir);
	refusePublicLabKey(path.join(labDir, 'n8n'), labDir);
	const owner: OwnerAccount = {
		email: process.env.LAB_OWNER_EMAIL ?? 'owner@lab.local',
		// n8n wants 8+ characters with a digit and an upper-case letter.
		password: `Lab1-${labSecret('owner-password')}`,
		firstName: 'Lab',
		lastName: 'Owner',
	};
	const backend = await startBackend(labSecret('backend-token'));
	let n8n: N8n;
	try {
		n8n = await startN8n({
			userFolder: path.join(labDir, 'n8n'),
			port,
			owner,
			// No N8N_ENCRYPTION_KEY: n8n keeps the lab's own random key in its settings file (scripts/lab-private.ts).
			env: { N8N_LOG_LEVEL: 'warn' },
		});
	} catch (error) {
		backend.kill('SIGTERM');
		throw error;
	}
	const imported = await importWorkflows(n8n);
	writeFileSync(path.join(labDir, 'owner-login.txt'), `${owner.email}\n${owner.password}\n`, { mode: 0o600 });
	console.log(`
n8n-nodes-homelab lab is running
  Editor:   ${n8n.baseUrl}/   (login: see ${path.join(labDir, 'owner-login.txt')})
  Backend:  http://127.0.0.1:${backendPort}/   (bearer token in ${path.join(labDir, 'backend-token')})
  Workflows imported: ${imported.join(', ') || 'none'}
  n8n log:  ${n8n.logPath}
Press Ctrl-C to stop.`);
	const stop = async () => {
		await n8n.stop();
		backend.kill('SIGTERM');
		process.exit(0);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());
}

main().catch((error: Error) => {
	console.error(`lab: ${error.message}`);
	process.exit(1);
});
