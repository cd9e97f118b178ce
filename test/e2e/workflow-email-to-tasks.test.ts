import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';

import type { N8n, WorkflowJson } from '../harness/n8n';
import { waitFor } from '../harness/net';
import { REPO_ROOT } from '../harness/runtime';
import { assertCredentialsBound, createLabCredentials, deleteCredentials } from '../helpers/lab-credentials';
import { inboxMessages } from '../helpers/mail';
import { sharedN8n } from '../helpers/shared-n8n';
import { startMail, type MailService, type MailUser } from '../services/mail';
import { HomeAssistantSimulator } from '../simulators/homeassistant';
import { startDsmSimulator, type DsmSimulator } from '../simulators/synology/server';

const FILE = path.join(REPO_ROOT, 'workflows/email-to-tasks.json');
const LEDGER = '/home/finance/ledger.csv';
// Relative dates are read from the Date header, so the expected instants are fixed.
const SENT = 'Thu, 27 Nov 2025 10:00:00 +0100';

describe('workflows/email-to-tasks.json end to end (dovecot + SMTP, HA and DSM simulators, real n8n)', () => {
	let n8n: N8n;
	let mail: MailService;
	let alice: MailUser;
	let bob: MailUser;
	let ha: HomeAssistantSimulator;
	let dsm: DsmSimulator;
	let credentialIds: Map<string, string>;
	let workflowId: string | undefined;
	let sequence = 0;

	/** Bob writes to Alice, whose inbox the workflow watches; returns the Message-ID. */
	async function bobWrites(subject: string, text: string): Promise<string> {
		sequence += 1;
		const messageId = `<case-${sequence}-${Date.now()}@bob.lab.test>`;
		const transport = nodemailer.createTransport({
			host: mail.host,
			port: mail.smtpPort,
			ignoreTLS: true,
			auth: { user: bob.address, pass: bob.password },
		});
		try {
			await transport.sendMail({
				from: `Bob <${bob.address}>`,
				to: alice.address,
				subject,
				text,
				messageId,
				date: SENT,
				references: ['<older-thread@bob.lab.test>'],
			});
		} finally {
			transport.close();
		}
		return messageId;
	}

	/** What the workflow's latest execution did, to explain a mail that did not arrive. */
	async function latestExecution(): Promise<string> {
		const [latest] = await n8n.executions(workflowId ?? '', 1);
		if (!latest) return 'no execution';
		const failed = Object.entries(latest.runData)
			.filter(([, runs]) => runs.some((run) => run.error))
			.map(([name, runs]) => `${name}: ${runs.find((run) => run.error)?.error?.message}`);
		return `execution ${latest.status}, nodes ${Object.keys(latest.runData).join(', ')}; ${failed.join('; ')} ${latest.error?.message ?? ''}`;
	}

	/** The mail in Bob's inbox that answers `messageId`, once it arrived. */
	async function replyTo(messageId: string, timeoutMs = 30000): Promise<ParsedMail> {
		try {
			return await waitFor(
				`the reply to ${messageId} in ${bob.address}'s inbox`,
				async () => (await inboxMessages(mail, bob)).find((message) => message.inReplyTo === messageId),
				{ timeoutMs, intervalMs: 300 },
			);
		} catch (error) {
			throw new Error(`${(error as Error).message} (${await latestExecution()})`);
		}
	}

	async function executionCount(): Promise<number> {
		return (await n8n.allExecutions(workflowId ?? '')).length;
	}

	before(async () => {
		n8n = await sharedN8n();
		mail = await startMail();
		({ alice, bob } = mail.users);
		ha = await HomeAssistantSimulator.start();
		dsm = await startDsmSimulator({ shares: ['home'] });
		credentialIds = await createLabCredentials(n8n, [
			{
				name: 'Lab IMAP',
				type: 'homelabImapApi',
				data: {
					host: mail.host,
					port: mail.imapPort,
					security: 'starttls',
					user: alice.address,
					authType: 'password',
					password: alice.password,
					allowSelfSigned: true,
				},
			},
			{
				name: 'Lab SMTP',
				type: 'homelabSmtpApi',
				data: {
					host: mail.host,
					port: mail.smtpPort,
					security: 'none',
					user: alice.address,
					authType: 'password',
					password: alice.password,
					from: `Alice <${alice.address}>`,
				},
			},
			{
				name: 'Home Assistant',
				type: 'homelabHomeAssistantApi',
				data: { url: ha.url, accessToken: ha.token, ignoreSslIssues: false },
			},
			{
				name: 'Synology NAS',
				type: 'synologyDsmApi',
				data: {
					url: dsm.url,
					account: dsm.account,
					password: dsm.password,
					otpSecret: '',
					otpCode: '',
					deviceName: 'n8n',
					allowUnauthorizedCerts: false,
				},
			},
		]);
	});
	after(async () => {
		if (workflowId) await n8n.deactivate(workflowId).catch(() => undefined);
		await deleteCredentials(n8n, credentialIds?.values() ?? []);
		await mail?.stop();
		await ha?.stop();
		await dsm?.close();
	});

	it('imports with every credential bound by name and no secrets in the file', async () => {
		const text = readFileSync(FILE, 'utf8');
		const workflow = JSON.parse(text) as WorkflowJson;
		for (const node of workflow.nodes) {
			for (const reference of Object.values((node.credentials ?? {}) as Record<string, { id: unknown }>))
				assert.equal(reference.id, null, `${node.name} references a credential id of one n8n instance`);
		}
		assert.ok(workflow.nodes.some((node) => node.type === 'n8n-nodes-base.stickyNote'));
		assert.doesNotMatch(text, /"(password|accessToken|apiKey|otpSecret)"\s*:/i);
		// The one thing a user edits for their lab that the test also has to: who hears about failures.
		const report = workflow.nodes.find((node) => node.name === 'Report failure');
		assert.equal(report?.parameters.to, 'you@example.com');
		report.parameters.to = bob.address;
		workflowId = await n8n.importWorkflow(workflow);
		await assertCredentialsBound(n8n, workflowId, credentialIds);
		await n8n.activate(workflowId);
		await waitFor(
			`the trigger's IMAP session`,
			() => (mail.imapSessions(alice.address).length ? true : undefined),
			{
				timeoutMs: 30000,
			},
		);
		await new Promise((resolve) => setTimeout(resolve, 1000)); // SELECT + IDLE follow the login
	});

	it('a meeting request becomes a calendar event at the proposed time, and the sender gets a threaded reply', async () => {
		const messageId = await bobWrites(
			'Call about the NAS upgrade',
			'Hi Alice,\n\ncan we have a call on Tuesday 2 December 2025 from 15:00 to 16:00 about the NAS upgrade? Does that work for you?\n\nBob',
		);
		const reply = await replyTo(messageId);
		const event = ha.calendarEvents
			.get('calendar.family')
			?.find((entry) => entry.summary === 'Call about the NAS upgrade');
		assert.ok(event, 'no calendar event was created');
		assert.equal(event.start.dateTime, new Date('2025-12-02T15:00:00+01:00').toISOString());
		assert.equal(event.end.dateTime, new Date('2025-12-02T16:00:00+01:00').toISOString());
		assert.match(String(event.description), new RegExp(bob.address));
		const call = ha.serviceCalls.find((entry) => entry.service === 'create_event');
		assert.deepEqual(call?.data.entity_id, ['calendar.family']);
		assert.equal(reply.subject, 'Re: Call about the NAS upgrade');
		assert.deepEqual(reply.references, ['<older-thread@bob.lab.test>', messageId]);
		assert.equal(reply.from?.value[0]?.address, alice.address);
		assert.match(reply.text ?? '', /meeting request -> calendar event starting 2025-12-02T15:00:00\+01:00/);
	});

	it('deadlines become to-dos with their due date-time or due date', async () => {
		const timed = await bobWrites(
			'Quarterly report deadline',
			'Hi Alice,\n\nplease submit the quarterly report by Friday 5 December 2025 at 17:00. This is a hard deadline.\n\nBob',
		);
		const allDay = await bobWrites(
			'Renew the domain',
			'Hi Alice,\n\nthe domain registration expires, please renew it no later than 12 December 2025.\n\nBob',
		);
		const replies = [await replyTo(timed), await replyTo(allDay)];
		const items = ha.todoItems.get('todo.tasks') ?? [];
		assert.deepEqual(
			items.map(({ summary, due, description, status }) => ({ summary, due, description, status })),
			[
				{
					summary: 'Quarterly report deadline',
					due: new Date('2025-12-05T17:00:00+01:00').toISOString(),
					description: `From ${bob.address}`,
					status: 'needs_action',
				},
				{
					summary: 'Renew the domain',
					due: '2025-12-12',
					description: `From ${bob.address}`,
					status: 'needs_action',
				},
			],
		);
		assert.equal(ha.state('todo.tasks')?.state, '2');
		assert.match(replies[0].text ?? '', /deadline -> to-do due 2025-12-05T17:00:00\+01:00/);
		assert.equal(replies[1].inReplyTo, allDay);
	});

	it('invoices are appended to the ledger on the NAS: created on the first one, appended after', async () => {
		assert.equal(dsm.readFile(LEDGER), undefined);
		const first = await bobWrites(
			'Invoice INV-2025-0042',
			'Hello,\n\nplease find our invoice INV-2025-0042 for the hosting in November.\nAmount due: EUR 129.90\nPayable by 15 December 2025.\n\nThanks, Bob',
		);
		const firstReply = await replyTo(first);
		assert.equal(
			dsm.readFile(LEDGER)?.toString('utf8'),
			'received,from,subject,invoice_number,amount,currency,due\n' +
				`2025-11-27T10:00:00+01:00,${bob.address},Invoice INV-2025-0042,INV-2025-0042,129.9,EUR,2025-12-15T00:00:00+01:00\n`,
		);
		assert.match(firstReply.text ?? '', /invoice INV-2025-0042 over 129.9 EUR -> ledger/);
		const second = await bobWrites(
			'Invoice INV-2025-0043, backup storage',
			'Hello,\n\ninvoice INV-2025-0043 for the backup storage.\nTotal: EUR 42.00\n\nThanks, Bob',
		);
		await replyTo(second);
		const lines = dsm.readFile(LEDGER)?.toString('utf8').trimEnd().split('\n');
		assert.equal(lines?.length, 3);
		assert.equal(
			lines?.[2],
			`2025-11-27T10:00:00+01:00,${bob.address},"Invoice INV-2025-0043, backup storage",INV-2025-0043,42,EUR,`,
		);
		const uploads = dsm.requestsFor('SYNO.FileStation.Upload');
		assert.equal(uploads.length, 2);
	});

	it('mail that is not a meeting, deadline or invoice is left alone: no calls, no reply', async () => {
		const before = {
			calls: ha.serviceCalls.length,
			uploads: dsm.requestsFor('SYNO.FileStation.Upload').length,
		};
		const executions = await executionCount();
		const messageId = await bobWrites('Photos from the weekend', 'Hi Alice,\n\nhere are the photos.\n\nBob');
		await waitFor('the execution for the photo mail', async () =>
			(await executionCount()) > executions ? true : undefined,
		);
		const [latest] = await n8n.executions(workflowId ?? '', 1);
		assert.equal(latest.status, 'success', JSON.stringify(latest.error));
		assert.ok(latest.runData['Nothing to file']);
		assert.equal(ha.serviceCalls.length, before.calls);
		assert.equal(dsm.requestsFor('SYNO.FileStation.Upload').length, before.uploads);
		assert.equal(
			(await inboxMessages(mail, bob)).some((message) => message.inReplyTo === messageId),
			false,
		);
	});

	it('a NAS that cannot be read is reported, the ledger is not overwritten and the sender gets no reply', async () => {
		const ledger = dsm.readFile(LEDGER)?.toString('utf8');
		await dsm.close(); // the NAS is down from here on
		const messageId = await bobWrites(
			'Invoice INV-2025-0044',
			'Hello,\n\ninvoice INV-2025-0044 for the UPS battery.\nTotal: EUR 89.00\n\nThanks, Bob',
		);
		const report = await waitFor(
			'the failure report in Bob’s inbox',
			async () =>
				(await inboxMessages(mail, bob)).find(
					(message) => message.subject === 'Could not file the email "Invoice INV-2025-0044"',
				),
			{ timeoutMs: 60000, intervalMs: 500 },
		);
		assert.match(report.text ?? '', /Step that failed: Append invoice line/);
		assert.match(report.text ?? '', /The ledger could not be read, so it was left as it is: .*Synology DSM/);
		assert.match(report.text ?? '', new RegExp(messageId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
		assert.equal(dsm.readFile(LEDGER)?.toString('utf8'), ledger);
		assert.equal(
			(await inboxMessages(mail, bob)).some((message) => message.inReplyTo === messageId),
			false,
		);
	});
});
