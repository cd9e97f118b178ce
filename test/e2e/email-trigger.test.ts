import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { N8n, WorkflowJson } from '../harness/n8n';
import { waitFor } from '../harness/net';
import { mailboxFlags, sendMails } from '../helpers/mail';
import { sharedN8n } from '../helpers/shared-n8n';
import { startMail, type MailService, type MailUser } from '../services/mail';

function triggerWorkflow(
	name: string,
	credentialId: string,
	parameters: Record<string, unknown>,
): WorkflowJson {
	return {
		name,
		nodes: [
			{
				name: 'IMAP Trigger',
				type: 'n8n-nodes-homelab.imapTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { mailbox: { __rl: true, mode: 'name', value: 'INBOX' }, ...parameters },
				credentials: { homelabImapApi: { id: credentialId, name: 'IMAP' } },
			},
		],
		connections: {},
	};
}

/** Subjects emitted by a trigger workflow, one entry per execution item. */
async function emittedSubjects(n8n: N8n, workflowId: string): Promise<string[]> {
	const executions = await n8n.allExecutions(workflowId);
	return executions.flatMap((execution) =>
		(execution.runData['IMAP Trigger']?.[0]?.data?.main?.[0] ?? []).map((item) => String(item.json.subject)),
	);
}

/**
 * Waits until a trigger workflow has emitted `count` mails. It polls the execution count (no data) and reads
 * the subjects only once enough executions exist, so waiting on a long burst does not itself load n8n.
 */
async function waitForSubjects(
	n8n: N8n,
	workflowId: string,
	count: number,
	timeoutMs: number,
): Promise<string[]> {
	let seen = 0;
	try {
		return await waitFor(
			`${count} emitted emails`,
			async () => {
				seen = await n8n.executionCount(workflowId);
				if (seen < count) return undefined;
				const subjects = await emittedSubjects(n8n, workflowId);
				seen = subjects.length;
				return subjects.length >= count ? subjects : undefined;
			},
			{ timeoutMs, intervalMs: count > 50 ? 2000 : 500 },
		);
	} catch (error) {
		throw new Error(`${(error as Error).message} (${seen} emitted so far)`);
	}
}

/** Activation returns before the trigger's IMAP session is open: wait until dovecot serves it. */
async function activateAndWaitForSession(n8n: N8n, mail: MailService, workflowId: string, user: MailUser) {
	await n8n.activate(workflowId);
	await waitFor(
		`the trigger's IMAP session for ${user.address}`,
		() => (mail.imapSessions(user.address).length === 1 ? true : undefined),
		{
			timeoutMs: 30000,
		},
	);
	await new Promise((resolve) => setTimeout(resolve, 1000)); // SELECT follows the login
}

function duplicates(values: string[]): string[] {
	return values.filter((value, index) => values.indexOf(value) !== index);
}

describe('IMAP Trigger inside real n8n against real dovecot', () => {
	let n8n: N8n;
	let mail: MailService;
	let alice: MailUser;
	let bob: MailUser;
	let aliceCredential: string;
	let aliceWorkflow: string;
	before(async () => {
		n8n = await sharedN8n();
		mail = await startMail();
		({ alice, bob } = mail.users);
		aliceCredential = await n8n.createCredential('IMAP alice', 'homelabImapApi', {
			host: mail.host,
			port: mail.imapPort,
			security: 'starttls',
			user: alice.address,
			authType: 'password',
			password: alice.password,
			allowSelfSigned: true,
		});
	});
	after(async () => {
		if (aliceWorkflow) await n8n.deactivate(aliceWorkflow).catch(() => undefined);
		await mail?.stop();
	});

	it('emits each new mail once and marks it read only after emitting; older mail is left alone', async () => {
		await sendMails(mail, bob, alice, ['already there']);
		aliceWorkflow = await n8n.importWorkflow(
			triggerWorkflow('imap: alice', aliceCredential, { unseenOnly: true, postAction: 'markSeen' }),
		);
		await activateAndWaitForSession(n8n, mail, aliceWorkflow, alice);
		await sendMails(mail, bob, alice, ['first', 'second', 'third']);
		const subjects = await waitForSubjects(n8n, aliceWorkflow, 3, 30000);
		assert.deepEqual([...subjects].sort(), ['first', 'second', 'third']);
		const executions = await n8n.allExecutions(aliceWorkflow);
		const item = executions[0].runData['IMAP Trigger'][0].data?.main?.[0]?.[0];
		assert.ok(item);
		assert.equal((item.json.from as { address: string }).address, bob.address);
		assert.match(String(item.json.text), /^body of /);
		assert.match(String(item.json.messageId), /^<.+@.+>$/);
		const flags = await mailboxFlags(mail, alice);
		assert.deepEqual(flags.get('already there'), []);
		for (const subject of ['first', 'second', 'third'])
			assert.ok(flags.get(subject)?.includes('\\Seen'), subject);
	});

	it('notices a frozen server (imap process stopped) within 30 s and recovers by itself', async () => {
		const frozen = mail.imapSessions(alice.address);
		assert.equal(frozen.length, 1, 'exactly one session before the freeze');
		for (const pid of frozen) process.kill(pid, 'SIGSTOP');
		try {
			const started = Date.now();
			await sendMails(mail, bob, alice, ['while frozen']);
			const subjects = await waitForSubjects(n8n, aliceWorkflow, 4, 45000);
			const waited = (Date.now() - started) / 1000;
			assert.ok(subjects.includes('while frozen'));
			console.log(`# frozen session replaced, mail emitted ${waited.toFixed(1)} s after delivery`);
			assert.ok(waited < 35, `took ${waited} s`);
		} finally {
			for (const pid of frozen) process.kill(pid, 'SIGCONT');
		}
		// The old process learns its client is gone once it runs again: one session remains.
		await waitFor(
			'a single IMAP session',
			() => (mail.imapSessions(alice.address).length === 1 ? true : undefined),
			{
				timeoutMs: 15000,
			},
		);
	});

	it('loses nothing and duplicates nothing across three dovecot restarts during a burst', async () => {
		// 300 mails, one execution each: on a loaded 2-core CI box n8n stores ~2 executions/s, and 1,000 mails
		// timed out there. The restarts are tied to progress (not to the clock), so each one lands while the
		// trigger is mid-burst however fast or slow the machine is.
		const burst = Array.from({ length: 300 }, (_, index) => `burst ${index}`);
		const emittedBefore = await n8n.executionCount(aliceWorkflow);
		const sending = sendMails(mail, bob, alice, burst);
		for (const progress of [40, 120, 200]) {
			await waitFor(
				`${progress} burst mails emitted before dovecot restart`,
				async () =>
					(await n8n.executionCount(aliceWorkflow)) - emittedBefore >= progress ? true : undefined,
				{ timeoutMs: 300000, intervalMs: 500 },
			);
			await mail.stopImap();
			await new Promise((resolve) => setTimeout(resolve, 1000));
			await mail.startImap();
		}
		await sending;
		const subjects = await waitForSubjects(n8n, aliceWorkflow, 4 + burst.length, 420000);
		assert.deepEqual(duplicates(subjects), []);
		const missing = burst.filter((subject) => !subjects.includes(subject));
		assert.deepEqual(missing, []);
		await waitFor(
			'a single IMAP session',
			() => (mail.imapSessions(alice.address).length === 1 ? true : undefined),
			{
				timeoutMs: 15000,
			},
		);
		const flags = await mailboxFlags(mail, alice);
		const unreadButEmitted = subjects.filter((subject) => !flags.get(subject)?.includes('\\Seen'));
		assert.deepEqual(unreadButEmitted, [], 'every emitted mail ends up marked read');
	});

	it('a UIDVALIDITY reset rescans without emitting anything twice', async () => {
		const bobCredential = await n8n.createCredential('IMAP bob', 'homelabImapApi', {
			host: mail.host,
			port: mail.imapsPort,
			security: 'tls',
			user: bob.address,
			authType: 'password',
			password: bob.password,
			allowSelfSigned: true,
		});
		// Read mail stays unread here and every message matches: only Message-IDs can prevent duplicates.
		const workflow = await n8n.importWorkflow(
			triggerWorkflow('imap: bob', bobCredential, { unseenOnly: false, postAction: 'nothing' }),
		);
		await activateAndWaitForSession(n8n, mail, workflow, bob);
		try {
			await sendMails(mail, alice, bob, ['b1', 'b2', 'b3']);
			await waitForSubjects(n8n, workflow, 3, 30000);
			await mail.resetUidValidity(bob.address);
			await sendMails(mail, alice, bob, ['b4 after reset']);
			const subjects = await waitForSubjects(n8n, workflow, 4, 60000);
			await new Promise((resolve) => setTimeout(resolve, 3000)); // room for a wrong re-emission to show up
			assert.deepEqual((await emittedSubjects(n8n, workflow)).sort(), ['b1', 'b2', 'b3', 'b4 after reset']);
			assert.deepEqual(duplicates(subjects), []);
		} finally {
			await n8n.deactivate(workflow);
		}
	});
});
