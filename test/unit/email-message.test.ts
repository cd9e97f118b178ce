import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { classifyMailError } from '../../clients/email/connection';
import { parseFetchedMessage } from '../../clients/email/message';
import { mailServerSettings } from '../../clients/email/settings';

const MB = 1024 * 1024;

function mime(parts: string[]): Buffer {
	return Buffer.from(parts.join('\r\n'), 'latin1');
}

describe('parseFetchedMessage: bad input gives partial output, never a crash', () => {
	it('keeps a 25 MB attachment out of memory-bound output but lists it', async () => {
		const big = Buffer.alloc(25 * MB, 7)
			.toString('base64')
			.replace(/.{76}/g, '$&\r\n');
		const raw = mime([
			'From: Scanner <scan@lab.test>',
			'To: alice@lab.test',
			'Subject: Scan',
			'Message-ID: <scan-1@lab.test>',
			'MIME-Version: 1.0',
			'Content-Type: multipart/mixed; boundary="b1"',
			'',
			'--b1',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'See attachment.',
			'--b1',
			'Content-Type: application/pdf; name="scan.pdf"',
			'Content-Disposition: attachment; filename="scan.pdf"',
			'Content-Transfer-Encoding: base64',
			'',
			big,
			'--b1--',
			'',
		]);
		const parsed = await parseFetchedMessage(raw, 10 * MB);
		assert.equal(parsed.subject, 'Scan');
		assert.equal(parsed.text.trim(), 'See attachment.');
		assert.equal(parsed.attachments.length, 1);
		assert.equal(parsed.attachments[0].filename, 'scan.pdf');
		assert.equal(parsed.attachments[0].content, undefined);
		assert.equal(parsed.attachments[0].skipped, 'larger than the 10 MB limit');
		assert.ok(parsed.attachments[0].size >= 25 * MB);
	});

	it('reads a message with an unknown charset as best it can', async () => {
		const raw = mime([
			'From: a@lab.test',
			'To: b@lab.test',
			'Subject: =?x-unknown-charset?Q?Rechnung?=',
			'Content-Type: text/plain; charset=x-unknown-charset',
			'',
			'Betrag: 12,50 EUR',
			'',
		]);
		const parsed = await parseFetchedMessage(raw, MB);
		assert.match(parsed.text, /Betrag: 12,50 EUR/);
		assert.equal(parsed.parseError, undefined);
	});

	it('survives malformed MIME (missing closing boundary, garbage headers)', async () => {
		const raw = mime([
			'From: broken',
			'Subject: Broken one',
			'Content-Type: multipart/mixed; boundary="never-closed"',
			'Garbage header line without colon',
			'',
			'--never-closed',
			'Content-Type: text/plain',
			'',
			'still readable',
		]);
		const parsed = await parseFetchedMessage(raw, MB);
		assert.equal(parsed.subject, 'Broken one');
		assert.match(parsed.text, /still readable/);
	});
});

describe('mail settings and failure classification', () => {
	it('rejects an empty host and a bad port with the field to fix', () => {
		assert.throws(() => mailServerSettings({ host: ' ', port: 993 }), /Host is empty/);
		assert.throws(
			() => mailServerSettings({ host: 'imap.lab', port: 70000 }),
			/Port 70000 is not a port number/,
		);
		assert.equal(mailServerSettings({ host: 'imap.lab', port: '143', security: 'starttls' }).port, 143);
	});

	it('names DNS, connection, TLS and auth failures', () => {
		const server = { host: 'imap.lab', port: 993 };
		const kind = (error: unknown) => classifyMailError(error, server).kind;
		assert.equal(
			kind(Object.assign(new Error('getaddrinfo ENOTFOUND imap.lab'), { code: 'ENOTFOUND' })),
			'dns',
		);
		assert.equal(kind(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), 'connect');
		assert.equal(
			kind(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })),
			'tls',
		);
		assert.equal(kind(Object.assign(new Error('Command failed'), { authenticationFailed: true })), 'auth');
		assert.equal(
			kind(
				Object.assign(new Error('Invalid login: 535 Authentication failed'), {
					code: 'EAUTH',
					responseCode: 535,
				}),
			),
			'auth',
		);
	});
});
