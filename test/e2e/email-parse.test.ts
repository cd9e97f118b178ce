import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';

import { outputOf, type N8n, type WorkflowJson, type WorkflowNode } from '../harness/n8n';
import { readmeSection } from '../helpers/readme';
import { sharedN8n } from '../helpers/shared-n8n';
import { itemsNode, linearWorkflow } from '../helpers/workflows';

const fixture = (name: string): string =>
	readFileSync(path.join(__dirname, '../fixtures/emails', `${name}.eml`), 'utf8');

const parseNode = (
	parameters: Record<string, unknown> = {},
	extra: Record<string, unknown> = {},
): WorkflowNode => ({
	name: 'Email Parse',
	type: 'n8n-nodes-homelab.emailParse',
	typeVersion: 1,
	parameters,
	...extra,
});

interface Found {
	start: string;
	allDay: boolean;
	text: string;
}

describe('Email Parse node inside real n8n (symlinked pack)', () => {
	let n8n: N8n;
	before(async () => {
		n8n = await sharedN8n();
	});

	it('parses raw messages from a Code node, one output per input, paired, with continue-on-fail', async () => {
		const workflow = linearWorkflow('email parse: raw messages', [
			itemsNode('Raw emails', [
				{ raw: fixture('01-meeting-call-next-tuesday') },
				{ raw: fixture('25-invoice-eur-hosting') },
				{ raw: '' },
				{ raw: fixture('35-ups-delivery-eod') },
			]),
			parseNode({}, { onError: 'continueRegularOutput' }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const items = outputOf(result, 'Email Parse');
		assert.deepEqual(
			items.map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }],
		);
		const [meeting, invoice, empty, shipping] = items.map((item) => item.json);
		assert.equal(meeting.intent, 'meeting');
		assert.equal(meeting.subject, 'Quick sync next week?');
		assert.equal(meeting.from, 'dana@acme-corp.com');
		assert.deepEqual(meeting.timezone, { zone: '-05:00', offset: '-05:00', source: 'dateHeader' });
		assert.deepEqual(
			(meeting.dates as Found[]).map((date) => [date.text, date.start, date.allDay]),
			[
				['next Tuesday at 2pm', '2025-11-25T14:00:00-05:00', false],
				['Wednesday at 11am', '2025-11-26T11:00:00-05:00', false],
			],
		);
		assert.equal((meeting.meeting as { proposedTimes: Found[] }).proposedTimes.length, 2);
		assert.deepEqual(invoice.invoice, {
			amount: 23.8,
			currency: 'EUR',
			invoiceNumber: 'INV-2025-11873',
			dueDate: '2025-12-02T00:00:00+01:00',
		});
		assert.equal(empty.error, 'The message is empty');
		assert.match(String(empty.errorDescription), /raw email/);
		assert.equal(shipping.intent, 'shipping');
		assert.deepEqual(shipping.shipping, {
			carrier: 'UPS',
			trackingNumbers: [
				{
					carrier: 'UPS',
					number: '1Z999AA10123456784',
					url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
				},
			],
		});
	});

	it('without continue-on-fail, a bad item fails the execution naming the node', async () => {
		const workflow = linearWorkflow('email parse: stop on error', [
			itemsNode('Raw emails', [{ raw: fixture('01-meeting-call-next-tuesday') }, { raw: '   ' }]),
			parseNode(),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'error');
		assert.equal(result.error?.node?.name, 'Email Parse');
		assert.equal(result.error?.message, 'The message is empty');
	});

	it('an unknown time zone or a raw message that is not text is an error per item', async () => {
		const workflow = linearWorkflow('email parse: bad options', [
			itemsNode('Raw emails', [
				{ raw: fixture('01-meeting-call-next-tuesday'), zone: 'Mars/Olympus' },
				{ raw: { not: 'text' }, zone: '' },
				{ raw: fixture('01-meeting-call-next-tuesday'), zone: 'Asia/Tokyo' },
			]),
			parseNode({ options: { timezone: '={{ $json.zone }}' } }, { onError: 'continueRegularOutput' }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [mars, object, tokyo] = outputOf(result, 'Email Parse').map((item) => item.json);
		assert.equal(mars.error, '"Mars/Olympus" is not a time zone');
		assert.match(String(mars.errorDescription), /IANA time zone name/);
		assert.equal(object.error, 'Raw Message is not text');
		assert.deepEqual(
			(tokyo.dates as Found[]).map((date) => date.start),
			// Sent Thursday 09:15 -05:00 = Thursday 23:15 in Tokyo: next Tuesday is still the 25th, at 14:00 Tokyo time.
			['2025-11-25T14:00:00+09:00', '2025-11-26T11:00:00+09:00'],
		);
	});

	it('reads text fields as an IMAP trigger emits them, in a configured time zone', async () => {
		const workflow = linearWorkflow('email parse: fields', [
			itemsNode('IMAP-like items', [
				{
					subject: 'Planning session',
					text: 'Can we schedule the planning session for Thursday 2 April at 10:00?',
					html: '',
					date: '2026-03-19T09:00:00.000Z',
					from: { value: [{ address: 'kai@lab.example', name: 'Kai' }], text: 'Kai <kai@lab.example>' },
					headers: {},
				},
				{
					subject: 'Lieferung',
					text: '',
					html: '<p>Ihr Paket <b>JJD000390007234567891</b> kommt am Montag, 23.03.</p>',
					date: 'Thu, 19 Mar 2026 10:00:00 +0100',
					from: 'DHL <noreply@dhl.example.de>',
				},
			]),
			parseNode({ source: 'fields', options: { timezone: 'Europe/Berlin', includeText: true } }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [planning, parcel] = outputOf(result, 'Email Parse').map((item) => item.json);
		assert.equal(planning.from, 'kai@lab.example');
		assert.deepEqual(
			(planning.dates as Found[]).map((date) => date.start),
			['2026-04-02T10:00:00+02:00'],
			'CEST after the DST switch',
		);
		assert.equal(planning.intent, 'meeting');
		assert.equal(parcel.locale, 'de');
		assert.equal(parcel.intent, 'shipping');
		assert.match(String(parcel.text), /Ihr Paket JJD000390007234567891 kommt/);
		assert.deepEqual(
			(parcel.dates as Found[]).map((date) => [date.start, date.allDay]),
			[['2026-03-23T00:00:00+01:00', true]],
		);
	});

	it('reads a .eml file from a binary property', async () => {
		const eml = Buffer.from(fixture('45-termin-vorschlag')).toString('base64');
		const workflow = linearWorkflow('email parse: binary', [
			{
				name: 'Eml file',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: {
					jsCode: `return [{ json: { name: 'termin.eml' }, binary: { data: { data: ${JSON.stringify(eml)}, mimeType: 'message/rfc822', fileName: 'termin.eml' } } }];`,
				},
			},
			parseNode({ source: 'rawBinary' }),
		]);
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [item] = outputOf(result, 'Email Parse');
		assert.equal(item.json.intent, 'meeting');
		assert.deepEqual(
			(item.json.dates as Found[]).map((date) => date.start),
			['2025-11-25T10:30:00+01:00', '2025-11-26T14:00:00+01:00'],
		);
	});

	it("runs the example workflow of the README's Email Parse section as written", async () => {
		const doc = readmeSection('Email Parse');
		const json = /```json\n([\s\S]+?)\n```/.exec(doc)?.[1];
		assert.ok(json, 'the doc has a JSON workflow');
		const workflow: WorkflowJson = {
			...(JSON.parse(json) as WorkflowJson),
			name: 'email parse: readme example',
		};
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [parsed] = outputOf(result, 'Email Parse');
		assert.equal(parsed.json.intent, 'meeting');
		assert.ok((parsed.json.intents as Array<{ confidence: number }>)[0].confidence >= 0.8);
		assert.deepEqual(
			(parsed.json.dates as Found[]).map((date) => [date.text, date.start]),
			[
				['next Tuesday at 2pm', '2025-11-25T14:00:00-05:00'],
				['Wednesday at 11am', '2025-11-26T11:00:00-05:00'],
			],
		);
		assert.equal(outputOf(result, 'By intent', 0).length, 1, 'routed to the meeting output');
	});

	it('is listed with its tool variant for the AI Agent', async () => {
		const names = (await n8n.nodeTypes()).map((type) => type.name);
		assert.ok(names.includes('n8n-nodes-homelab.emailParse'));
		assert.ok(names.includes('n8n-nodes-homelab.emailParseTool'));
	});
});
