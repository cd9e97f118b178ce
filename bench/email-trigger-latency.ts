// Bench: delivery -> execution latency of this pack's IMAP Trigger vs n8n's built-in Email Trigger (IMAP)
// with its default settings, both active in the same real n8n against the same real dovecot, one mail every
// 2 s to each (interleaved). Prints p50/p99 of each and their ratio.
//   bash scripts/bench.sh bench/email-trigger-latency.ts      (BENCH_MAILS=20 by default)
import { startN8n, type N8n } from '../test/harness/n8n';
import { waitFor } from '../test/harness/net';
import { sendMails } from '../test/helpers/mail';
import { startMail, type MailService, type MailUser } from '../test/services/mail';

const MAILS = Number(process.env.BENCH_MAILS ?? 20);
const INTERVAL_MS = 2000;

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function activeWorkflow(n8n: N8n, name: string, node: Record<string, unknown>): Promise<string> {
	const id = await n8n.importWorkflow({
		name,
		nodes: [{ name: 'Trigger', typeVersion: 1, position: [0, 0], parameters: {}, type: '', ...node }],
		connections: {},
	});
	await n8n.activate(id);
	return id;
}

/** Subject -> execution start time (ms) for every execution of a workflow. */
async function startTimes(n8n: N8n, workflowId: string): Promise<Map<string, number>> {
	const times = new Map<string, number>();
	for (const execution of await n8n.allExecutions(workflowId)) {
		const started = Date.parse(String(execution.raw.startedAt));
		for (const item of execution.runData.Trigger?.[0]?.data?.main?.[0] ?? [])
			times.set(String(item.json.subject), started);
	}
	return times;
}

async function main(): Promise<void> {
	const mail: MailService = await startMail();
	const n8n = await startN8n();
	try {
		const { alice, bob } = mail.users;
		const ours = await n8n.createCredential('ours', 'homelabImapApi', {
			host: mail.host,
			port: mail.imapsPort,
			security: 'tls',
			user: alice.address,
			authType: 'password',
			password: alice.password,
			allowSelfSigned: true,
		});
		const builtIn = await n8n.createCredential('built-in', 'imap', {
			host: mail.host,
			port: mail.imapsPort,
			secure: true,
			user: bob.address,
			password: bob.password,
			allowUnauthorizedCerts: true,
		});
		const oursId = await activeWorkflow(n8n, 'bench: homelab IMAP Trigger', {
			type: 'n8n-nodes-homelab.imapTrigger',
			parameters: { mailbox: { __rl: true, mode: 'name', value: 'INBOX' } },
			credentials: { homelabImapApi: { id: ours, name: 'ours' } },
		});
		const builtInId = await activeWorkflow(n8n, 'bench: built-in Email Trigger (IMAP)', {
			type: 'n8n-nodes-base.emailReadImap',
			typeVersion: 2.2,
			credentials: { imap: { id: builtIn, name: 'built-in' } },
		});
		await new Promise((resolve) => setTimeout(resolve, 5000)); // both sessions open and idle
		const sent = new Map<string, number>();
		for (let index = 0; index < MAILS; index++) {
			for (const [label, to] of [
				['ours', alice],
				['built-in', bob],
			] as Array<[string, MailUser]>) {
				const subject = `${label} ${index}`;
				await sendMails(mail, label === 'ours' ? bob : alice, to, [subject]);
				sent.set(subject, Date.now());
			}
			await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
		}
		const results: Record<string, number[]> = {};
		for (const [label, id] of [
			['ours', oursId],
			['built-in', builtInId],
		]) {
			const times = await waitFor(
				`${label} to emit ${MAILS} mails`,
				async () => {
					const map = await startTimes(n8n, id);
					return map.size >= MAILS ? map : undefined;
				},
				{ timeoutMs: 120000, intervalMs: 1000 },
			);
			results[label] = [...times].map(
				([subject, started]) => (started - (sent.get(subject) ?? started)) / 1000,
			);
		}
		console.log(`# ${MAILS} mails each, one every ${INTERVAL_MS / 1000} s, delivery -> execution start (s)`);
		for (const [label, values] of Object.entries(results)) {
			console.log(
				`${label === 'ours' ? 'Homelab IMAP Trigger' : "n8n's Email Trigger (IMAP)"}: p50 ${percentile(values, 50).toFixed(2)} s, p99 ${percentile(values, 99).toFixed(2)} s`,
			);
		}
		const ratio = percentile(results['built-in'], 50) / percentile(results.ours, 50);
		console.log(`p50 ratio built-in / Homelab: ${ratio.toFixed(1)}x (Homelab is that many times faster)`);
	} finally {
		await n8n.stop();
		await mail.stop();
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
