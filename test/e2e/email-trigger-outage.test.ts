import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { N8n } from '../harness/n8n';
import { waitFor } from '../harness/net';
import { sendMails } from '../helpers/mail';
import { sharedN8n } from '../helpers/shared-n8n';
import { startMail, type MailService } from '../services/mail';

// The built-in Email Trigger (IMAP) dies silently when the server is away for more than ~50 s while the
// workflow still shows active. This one keeps reconnecting (backoff capped at 15 s) and emits what arrives.

describe('IMAP Trigger outlives long IMAP outages (real dovecot, real n8n)', () => {
	let n8n: N8n;
	let mail: MailService;
	let workflowId: string;
	const subjects = async () =>
		(await n8n.allExecutions(workflowId)).flatMap((execution) =>
			(execution.runData['IMAP Trigger']?.[0]?.data?.main?.[0] ?? []).map((item) =>
				String(item.json.subject),
			),
		);
	const waitForSubject = async (subject: string, timeoutMs: number) =>
		await waitFor(
			`"${subject}" to be emitted`,
			async () => ((await subjects()).includes(subject) ? true : undefined),
			{
				timeoutMs,
				intervalMs: 500,
			},
		);

	before(async () => {
		n8n = await sharedN8n();
		mail = await startMail();
		const credential = await n8n.createCredential('IMAP outage', 'homelabImapApi', {
			host: mail.host,
			port: mail.imapPort,
			security: 'starttls',
			user: mail.users.alice.address,
			authType: 'password',
			password: mail.users.alice.password,
			allowSelfSigned: true,
		});
		workflowId = await n8n.importWorkflow({
			name: 'imap: outage',
			nodes: [
				{
					name: 'IMAP Trigger',
					type: 'n8n-nodes-homelab.imapTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {
						mailbox: { __rl: true, mode: 'name', value: 'INBOX' },
						unseenOnly: true,
						postAction: 'markSeen',
					},
					credentials: { homelabImapApi: { id: credential, name: 'IMAP outage' } },
				},
			],
			connections: {},
		});
		await n8n.activate(workflowId);
		await waitFor(
			'the trigger session',
			() => (mail.imapSessions(mail.users.alice.address).length === 1 ? true : undefined),
			{
				timeoutMs: 30000,
			},
		);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		await sendMails(mail, mail.users.bob, mail.users.alice, ['before outages']);
		await waitForSubject('before outages', 30000);
	});
	after(async () => {
		await n8n.deactivate(workflowId).catch(() => undefined);
		await mail?.stop();
	});

	for (const downSeconds of [60, 300]) {
		it(`comes back by itself after dovecot was down ${downSeconds} s and emits what arrived`, async () => {
			await mail.stopImap();
			await new Promise((resolve) => setTimeout(resolve, downSeconds * 1000));
			const workflow = await n8n.api<{ active: boolean }>('GET', `/workflows/${workflowId}`);
			assert.equal(workflow.active, true, 'the workflow stays active during the outage');
			await mail.startImap();
			const back = Date.now();
			await sendMails(mail, mail.users.bob, mail.users.alice, [`after ${downSeconds} s down`]);
			await waitForSubject(`after ${downSeconds} s down`, 45000);
			console.log(
				`# emitted ${((Date.now() - back) / 1000).toFixed(1)} s after dovecot came back from ${downSeconds} s down`,
			);
			const all = await subjects();
			assert.equal(new Set(all).size, all.length, 'no duplicates');
			await waitFor(
				'one IMAP session',
				() => (mail.imapSessions(mail.users.alice.address).length === 1 ? true : undefined),
				{
					timeoutMs: 10000,
				},
			);
		});
	}
});
