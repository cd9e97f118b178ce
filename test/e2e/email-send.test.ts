import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { simpleParser } from 'mailparser';

import { freePort } from '../harness/net';
import { outputOf, type N8n } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { inboxSources } from '../helpers/mail';
import { linearWorkflow } from '../helpers/workflows';
import { startMail, type MailService, type MailUser } from '../services/mail';

describe('Send Email and the mail credentials inside real n8n', () => {
	let n8n: N8n;
	let mail: MailService;
	let alice: MailUser;
	let bob: MailUser;
	let smtpCredential: string;
	before(async () => {
		n8n = await sharedN8n();
		mail = await startMail();
		({ alice, bob } = mail.users);
		smtpCredential = await n8n.createCredential('SMTP bob', 'homelabSmtpApi', {
			host: mail.host,
			port: mail.smtpPort,
			security: 'none',
			user: bob.address,
			authType: 'password',
			password: bob.password,
			from: `Bob <${bob.address}>`,
		});
	});
	after(async () => await mail?.stop());

	const imapData = (overrides: Record<string, unknown> = {}) => ({
		host: mail.host,
		port: mail.imapsPort,
		security: 'tls',
		user: alice.address,
		authType: 'password',
		password: alice.password,
		allowSelfSigned: true,
		...overrides,
	});

	it('credential tests name what failed: auth, TLS, connection, DNS', async () => {
		assert.deepEqual(await n8n.testCredential('homelabImapApi', imapData()), {
			status: 'OK',
			message: 'Connection successful',
		});
		const auth = await n8n.testCredential('homelabImapApi', imapData({ password: 'wrong' }));
		assert.equal(auth.status, 'Error');
		assert.match(auth.message, /^AUTH: .*authentication failed.*user and password/);
		const tls = await n8n.testCredential('homelabImapApi', imapData({ allowSelfSigned: false }));
		assert.match(tls.message, /^TLS: .*self-signed/);
		const closed = await n8n.testCredential('homelabImapApi', imapData({ port: await freePort() }));
		assert.match(closed.message, /^CONNECT: .*connection refused/);
		const dns = await n8n.testCredential('homelabImapApi', imapData({ host: 'mail.does-not-exist.invalid' }));
		assert.match(dns.message, /^DNS: .*host name not found/);

		const smtp = {
			host: mail.host,
			port: mail.smtpPort,
			security: 'none',
			user: bob.address,
			authType: 'password',
			password: bob.password,
		};
		assert.equal((await n8n.testCredential('homelabSmtpApi', smtp)).status, 'OK');
		const smtpAuth = await n8n.testCredential('homelabSmtpApi', { ...smtp, password: 'nope' });
		assert.match(smtpAuth.message, /^AUTH: /);
	});

	it('sends a threaded reply with an attachment and a custom header; continue-on-fail pairs a bad item', async () => {
		const workflow = linearWorkflow('send: threaded reply', [
			{
				name: 'Incoming',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: {
					jsCode: `return [
						{ json: { to: '${alice.address}', subject: 'Invoice 42', messageId: '<orig-1@lab.test>', references: ['<root@lab.test>'] },
						  binary: { data: { data: Buffer.from('PDF-ish bytes').toString('base64'), mimeType: 'application/pdf', fileName: 'invoice.pdf' } } },
						{ json: { to: '', subject: 'no recipient', messageId: '<orig-2@lab.test>', references: [] } },
					];`,
				},
			},
			{
				name: 'Send Email',
				type: 'n8n-nodes-homelab.sendEmail',
				typeVersion: 1,
				onError: 'continueRegularOutput',
				credentials: { homelabSmtpApi: { id: smtpCredential, name: 'SMTP bob' } },
				parameters: {
					to: '={{ $json.to }}',
					subject: '={{ $json.subject }}',
					emailFormat: 'both',
					text: 'Thanks, received.',
					html: '<p>Thanks, <b>received</b>.</p>',
					options: {
						attachments: 'data',
						inReplyTo: '={{ $json.messageId }}',
						references: '={{ $json.references.join(" ") }}',
						headers: { header: [{ name: 'X-Homelab-Job', value: 'ledger' }] },
					},
				},
			},
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const items = outputOf(result, 'Send Email');
		assert.deepEqual(
			items.map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }],
		);
		assert.deepEqual(items[0].json.accepted, [alice.address]);
		assert.equal(items[0].json.subject, 'Re: Invoice 42');
		assert.equal(items[1].json.error, '"To" is empty');

		const [raw] = await inboxSources(mail, alice);
		const received = await simpleParser(raw);
		assert.equal(received.subject, 'Re: Invoice 42');
		assert.equal(received.inReplyTo, '<orig-1@lab.test>');
		assert.deepEqual(received.references, ['<root@lab.test>', '<orig-1@lab.test>']);
		assert.equal(received.headers.get('x-homelab-job'), 'ledger');
		assert.equal(received.from?.value[0].address, bob.address);
		assert.match(received.html || '', /<b>received<\/b>/);
		assert.equal(received.attachments[0].filename, 'invoice.pdf');
		assert.equal(received.attachments[0].content.toString(), 'PDF-ish bytes');
	});
});
