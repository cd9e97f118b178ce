import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { DateMention } from '../../clients/email/parse';
import {
	analyzeEmail,
	EmailParseError,
	emptyMessage,
	extractDates,
	findLinks,
	findMoney,
	findPhones,
	findTrackingNumbers,
	formatInZone,
	parseAmount,
	parseDateValue,
	parseRawMessage,
	senderOffsetOf,
	splitQuoted,
	wallToInstant,
} from '../../clients/email/parse';

// Every test in this file runs with the process in UTC+13:45, so any use of the local zone shows up.
const originalTz = process.env.TZ;
before(() => {
	process.env.TZ = 'Pacific/Chatham';
});
after(() => {
	if (originalTz === undefined) delete process.env.TZ;
	else process.env.TZ = originalTz;
});

// Thursday 20 November 2025, 10:00 at the sender (+01:00).
const reference = new Date('2025-11-20T09:00:00Z');
const cet = { kind: 'offset', minutes: 60 } as const;

function dates(text: string, options: Partial<Parameters<typeof extractDates>[1]> = {}): DateMention[] {
	return extractDates(text, { reference, zone: cet, locale: 'en', forwardDate: true, ...options });
}

const starts = (found: DateMention[]): string[] =>
	found.map((date) => `${date.start}${date.allDay ? ' all-day' : ''}`);

describe('time zones: never the process zone', () => {
	it('reads the sender offset from Date headers and ISO strings', () => {
		assert.equal(new Date('2025-11-20T00:00:00Z').getTimezoneOffset(), -825, 'TZ=Pacific/Chatham is active');
		assert.equal(senderOffsetOf('Thu, 20 Nov 2025 10:00:00 +0100'), 60);
		assert.equal(senderOffsetOf('Thu, 20 Nov 2025 10:00:00 -0500 (EST)'), -300);
		assert.equal(senderOffsetOf('Tue, 18 Nov 2025 11:00:00 +0530'), 330);
		assert.equal(senderOffsetOf('Thu, 20 Nov 2025 10:00:00 PDT'), -420);
		assert.equal(senderOffsetOf('2025-11-20T10:00:00+01:00'), 60);
		assert.equal(senderOffsetOf('Thu, 20 Nov 2025 08:00:00 -0000'), undefined, '-0000 means unknown');
		assert.equal(senderOffsetOf('2025-11-20T09:00:00.000Z'), undefined, 'a JSON round-trip lost the offset');
		assert.equal(senderOffsetOf('20 Nov 2025 10:00:00'), undefined);
	});

	it('reads a Date header without a zone in the fallback zone, not the local one', () => {
		const berlin = { kind: 'iana', name: 'Europe/Berlin' } as const;
		assert.equal(
			new Date(parseDateValue('20 Nov 2025 10:00:00', berlin)!).toISOString(),
			'2025-11-20T09:00:00.000Z',
		);
		assert.equal(
			new Date(parseDateValue('Thu, 20 Nov 2025 10:00:00 +0100 (CET)', berlin)!).toISOString(),
			'2025-11-20T09:00:00.000Z',
		);
		assert.equal(parseDateValue('not a date', berlin), undefined);
	});

	it('converts wall clocks in IANA zones across DST', () => {
		const berlin = { kind: 'iana', name: 'Europe/Berlin' } as const;
		const april = wallToInstant({ year: 2026, month: 4, day: 2, hour: 10, minute: 0, second: 0 }, berlin);
		assert.equal(formatInZone(april, berlin), '2026-04-02T10:00:00+02:00');
		const march = wallToInstant({ year: 2026, month: 3, day: 19, hour: 10, minute: 0, second: 0 }, berlin);
		assert.equal(formatInZone(march, berlin), '2026-03-19T10:00:00+01:00');
	});
});

describe('extractDates', () => {
	it('reads deadlines and relative phrases relative to the Date header, with spans', () => {
		const text = 'Please send it by Friday 5pm. The invoice is due 3 Dec. Draft in two weeks.';
		const found = dates(text);
		assert.deepEqual(starts(found), [
			'2025-11-21T17:00:00+01:00',
			'2025-12-03T00:00:00+01:00 all-day',
			'2025-12-04T00:00:00+01:00 all-day',
		]);
		for (const date of found) assert.equal(text.slice(date.index, date.endIndex), date.text);
		assert.equal(found[0].time, '17:00');
		assert.equal(found[0].relative, true);
		assert.equal(found[1].relative, false);
	});

	it('takes a time zone from the time, not from a German or French word that spells one', () => {
		// "ist" / "est" (is), "et" (and) after a time are words: the time stays in the message's zone.
		assert.deepEqual(starts(dates('Morgen um 17 Uhr IST das Meeting.', { locale: 'de' })), [
			'2025-11-21T17:00:00+01:00',
		]);
		assert.deepEqual(starts(dates('Freitag um 9 Uhr ist die Abgabe.', { locale: 'de' })), [
			'2025-11-21T09:00:00+01:00',
		]);
		assert.deepEqual(starts(dates('Demain à 17h EST le dernier délai.', { locale: 'fr' })), [
			'2025-11-21T17:00:00+01:00',
		]);
		assert.deepEqual(starts(dates('Demain à 17h et demie.', { locale: 'fr' })), [
			'2025-11-21T17:00:00+01:00',
		]);
		const [german] = dates('Morgen um 17 Uhr IST das Meeting.', { locale: 'de' });
		assert.equal(german.text, 'Morgen um 17 Uhr');
		// Zones written as zones still count, in every language.
		assert.deepEqual(starts(dates('Morgen um 17 Uhr UTC.', { locale: 'de' })), ['2025-11-21T18:00:00+01:00']);
		assert.deepEqual(starts(dates('Demain à 17h GMT.', { locale: 'fr' })), ['2025-11-21T18:00:00+01:00']);
		assert.deepEqual(starts(dates('Call at 5pm EST tomorrow.')), ['2025-11-21T23:00:00+01:00']);
	});

	it('knows EOD, EOW, end of the month, and "EOD Friday"', () => {
		assert.deepEqual(starts(dates('Need it EOD.')), ['2025-11-20T17:00:00+01:00']);
		assert.deepEqual(starts(dates('Need it by EOD Friday.')), ['2025-11-21T17:00:00+01:00']);
		assert.deepEqual(starts(dates('Release notes by EOW.')), ['2025-11-21T17:00:00+01:00']);
		assert.deepEqual(starts(dates('Trial ends at the end of the month.')), [
			'2025-11-30T00:00:00+01:00 all-day',
		]);
	});

	it('forwardDate decides whether a bare weekday lies ahead', () => {
		const saturday = new Date('2025-11-22T09:00:00Z');
		assert.deepEqual(starts(dates('see you Friday', { reference: saturday, forwardDate: true })), [
			'2025-11-28T00:00:00+01:00 all-day',
		]);
		assert.deepEqual(starts(dates('see you Friday', { reference: saturday, forwardDate: false })), [
			'2025-11-21T00:00:00+01:00 all-day',
		]);
	});

	it('reads en (month first), en-GB (day first), de and fr', () => {
		assert.deepEqual(starts(dates('due 12/03/2025', { locale: 'en' })), [
			'2025-12-03T00:00:00+01:00 all-day',
		]);
		assert.deepEqual(starts(dates('due 12/03/2025', { locale: 'en-GB' })), [
			'2025-03-12T00:00:00+01:00 all-day',
		]);
		assert.deepEqual(starts(dates('nächsten Dienstag um 10:30 Uhr', { locale: 'de' })), [
			'2025-11-25T10:30:00+01:00',
		]);
		assert.deepEqual(starts(dates('Lieferung am Montag, 24.11.', { locale: 'de' })), [
			'2025-11-24T00:00:00+01:00 all-day',
		]);
		assert.deepEqual(starts(dates('mardi prochain à 10h30', { locale: 'fr' })), [
			'2025-11-25T10:30:00+01:00',
		]);
		// Sent at 10:00: with forwardDate a window that has begun already is read as tomorrow's.
		assert.deepEqual(starts(dates('livraison entre 9h et 13h', { locale: 'fr' })), [
			'2025-11-21T09:00:00+01:00',
		]);
		assert.deepEqual(starts(dates('livraison entre 9h et 13h', { locale: 'fr', forwardDate: false })), [
			'2025-11-20T09:00:00+01:00',
		]);
	});

	it('a time window after "today" stays today even when it began before the mail was sent', () => {
		const eleven = new Date('2025-11-20T10:00:00Z');
		assert.deepEqual(
			starts(
				dates('Ihre Sendung wird heute zwischen 10:30 und 13:00 Uhr zugestellt.', {
					locale: 'de',
					reference: eleven,
				}),
			),
			['2025-11-20T10:30:00+01:00'],
		);
		assert.deepEqual(starts(dates('Your parcel arrives today between 9 and 11am.', { reference: eleven })), [
			'2025-11-20T09:00:00+01:00',
		]);
	});

	it('takes a zone written in the text over the sender zone, and ranges with their end', () => {
		const [pst] = dates('The demo is Tuesday, December 2 from 9:00 to 10:30 AM PST.');
		assert.equal(pst.start, '2025-12-02T18:00:00+01:00');
		assert.equal(pst.end, '2025-12-02T19:30:00+01:00');
		const [window] = dates('delivered between 9 and 11am', { forwardDate: false });
		assert.equal(window.start, '2025-11-20T09:00:00+01:00');
		assert.equal(window.end, '2025-11-20T11:00:00+01:00');
	});

	it('skips what is no date: "today", months alone, periods, bare numbers', () => {
		assert.deepEqual(dates('We shipped it today. Your November bill. Next week maybe. Call me at 3.'), []);
		assert.deepEqual(dates('Payment terms: 30 days. Version 2.1 of the app.'), []);
	});
});

describe('facts', () => {
	it('parses amounts in EUR, USD and GBP notations', () => {
		assert.equal(parseAmount('1.234,56'), 1234.56);
		assert.equal(parseAmount('1,234.56'), 1234.56);
		assert.equal(parseAmount('1 299,90'), 1299.9);
		assert.deepEqual(
			findMoney('€ 23,80 and $1,296.00 and £2,450.00 and 850,00 EUR and USD 312.47').map(
				(money) => `${money.amount} ${money.currency}`,
			),
			['23.8 EUR', '1296 USD', '2450 GBP', '850 EUR', '312.47 USD'],
		);
	});

	it('finds tracking numbers by carrier pattern; generic digit runs only next to the carrier name', () => {
		const numbers = (text: string): string[] =>
			findTrackingNumbers(text).map((entry) => `${entry.carrier}:${entry.number}`);
		assert.deepEqual(numbers('Tracking: 1Z999AA10123456784'), ['UPS:1Z999AA10123456784']);
		assert.deepEqual(numbers('Tracking: 1Z 999 AA1 01 2345 6784'), ['UPS:1Z999AA10123456784']);
		assert.deepEqual(numbers('USPS Tracking Number: 9400111899223456789012'), [
			'USPS:9400111899223456789012',
		]);
		assert.deepEqual(numbers('Sendungsnummer JJD000390007234567891'), ['DHL:JJD000390007234567891']);
		assert.deepEqual(numbers('Royal Mail tracking number AB123456789GB'), ['Royal Mail:AB123456789GB']);
		assert.deepEqual(numbers('DPD Paket 01234567890123'), ['DPD:01234567890123']);
		assert.deepEqual(numbers('Hermes Sendung H1002345678901234567'), ['Hermes:H1002345678901234567']);
		assert.deepEqual(numbers('FedEx tracking number: 771234567890'), ['FedEx:771234567890']);
		assert.deepEqual(numbers('Amazon Logistics tracking ID TBA312345678901'), [
			'Amazon Logistics:TBA312345678901',
		]);
		assert.deepEqual(numbers('Your order number 771234567890 is confirmed'), []);
		assert.equal(findTrackingNumbers('Tracking: 1Z999AA10123456784')[0].url?.includes('ups.com'), true);
	});

	it('finds phone numbers and links', () => {
		assert.deepEqual(
			findPhones('Call +49 30 1234 5678, (555) 201-4477 or Tel: 020 7946 0958. Order 2025-11-18.').map(
				(phone) => phone.normalized,
			),
			['+493012345678', '5552014477', '02079460958'],
		);
		assert.deepEqual(
			findLinks('See https://example.com/a?b=1. Or www.example.org/x, or (https://x.test/y)'),
			['https://example.com/a?b=1', 'www.example.org/x', 'https://x.test/y'],
		);
	});
});

describe('quoted history', () => {
	it('splits replies and forwards in en, de and fr', () => {
		const cases: Array<[string, string]> = [
			['Top\n\nOn Thu, 20 Nov 2025 at 18:12, Jana <j@x.org> wrote:\n> old', 'reply'],
			['Top\n\nAm 20.11.2025 um 18:12 schrieb Jana <j@x.org>:\n> alt', 'reply'],
			['Top\n\nLe jeu. 20 nov. 2025 à 18:12, Jana <j@x.org> a écrit :\n> ancien', 'reply'],
			['Top\n\nFrom: Mark <m@x.com>\nSent: Friday, November 21, 2025 5:40 PM\nTo: P\n\nold', 'reply'],
			['FYI\n\n---------- Forwarded message ---------\nFrom: GLS', 'forward'],
			['FYI\n\n-------- Weitergeleitete Nachricht --------\nVon: DHL', 'forward'],
		];
		for (const [text, kind] of cases) {
			const split = splitQuoted(text);
			assert.equal(split.kind, kind, text);
			assert.equal(split.top.trim(), text.split('\n')[0]);
		}
		assert.equal(splitQuoted('just text\nno history').kind, null);
	});

	it('ignores dates in quoted history unless asked', () => {
		const message = {
			...emptyMessage(),
			subject: 'Re: Backup window',
			dateHeader: 'Tue, 25 Nov 2025 10:05:00 +0100',
			text: 'Works for me.\n\nOn Mon, 24 Nov 2025 at 17:20, Tom <t@lab.example> wrote:\n> Can we meet on Thursday at 4pm?\n',
		};
		assert.deepEqual(analyzeEmail(message).dates, []);
		const subjectDate = analyzeEmail({ ...message, subject: 'Re: AW: Call on Friday at 3pm?' }).dates[0];
		assert.equal(subjectDate.source, 'subject');
		assert.equal(
			'Re: AW: Call on Friday at 3pm?'.slice(subjectDate.index, subjectDate.endIndex),
			subjectDate.text,
		);
		const withQuoted = analyzeEmail(message, { includeQuoted: true });
		assert.deepEqual(
			withQuoted.dates.map((date) => [date.start, date.source]),
			[['2025-11-27T16:00:00+01:00', 'quoted']],
		);
		assert.equal(withQuoted.intent, 'meeting');
	});
});

describe('analyzeEmail', () => {
	it('uses the sender offset, a configured zone, or the fallback, and says which', () => {
		const message = {
			...emptyMessage(),
			dateHeader: 'Thu, 20 Nov 2025 10:00:00 +0100',
			text: 'Call tomorrow at 9am?',
		};
		const sender = analyzeEmail(message);
		assert.deepEqual(sender.timezone, { zone: '+01:00', offset: '+01:00', source: 'dateHeader' });
		assert.equal(sender.dates[0].start, '2025-11-21T09:00:00+01:00');
		const configured = analyzeEmail(message, { timezone: 'America/New_York' });
		assert.equal(configured.timezone.source, 'option');
		assert.equal(configured.dates[0].start, '2025-11-21T09:00:00-05:00');
		const noOffset = analyzeEmail(
			{ ...message, dateHeader: 'Thu, 20 Nov 2025 10:00:00 -0000' },
			{ fallbackTimezone: 'Asia/Tokyo' },
		);
		assert.equal(noOffset.timezone.source, 'fallback');
		assert.equal(noOffset.dates[0].start, '2025-11-21T09:00:00+09:00');
		assert.throws(() => analyzeEmail(message, { timezone: 'Mars/Olympus' }), /not a known IANA time zone/);
	});

	it('without a Date header, relative dates use "now" and say so', () => {
		const analysis = analyzeEmail(
			{ ...emptyMessage(), text: 'Deliver tomorrow please' },
			{ now: new Date('2025-11-20T09:00:00Z') },
		);
		assert.equal(analysis.dates[0].start, '2025-11-21T00:00:00+00:00');
		assert.match(analysis.warnings.join(' '), /no Date header/);
	});

	it('classifies with confidence and extracts invoice, shipping and meeting facts', () => {
		const analysis = analyzeEmail({
			...emptyMessage(),
			subject: 'Invoice INV-2025-0042',
			dateHeader: 'Thu, 20 Nov 2025 10:00:00 +0100',
			text: 'Please find attached invoice INV-2025-0042.\nTotal due: € 1.234,56\nDue date: 3 December 2025\n',
		});
		assert.equal(analysis.intent, 'invoice');
		assert.ok(analysis.intents[0].confidence > 0.6 && analysis.intents[0].confidence < 1);
		assert.deepEqual(analysis.invoice, {
			amount: 1234.56,
			currency: 'EUR',
			invoiceNumber: 'INV-2025-0042',
			dueDate: '2025-12-03T00:00:00+01:00',
		});
		const meeting = analyzeEmail({
			...emptyMessage(),
			subject: 'Sync?',
			dateHeader: 'Thu, 20 Nov 2025 10:00:00 +0100',
			text: 'Can we meet next Tuesday at 2pm or Wednesday at 11am? Slides by Friday please.',
		});
		assert.equal(meeting.intent, 'meeting');
		assert.deepEqual(
			meeting.meeting?.proposedTimes.map((date) => date.start),
			['2025-11-25T14:00:00+01:00', '2025-11-26T11:00:00+01:00'],
		);
		assert.deepEqual(
			meeting.deadlines.map((date) => date.start),
			['2025-11-21T00:00:00+01:00'],
		);
	});
});

describe('deadlines without a cue word', () => {
	const analyze = (text: string) =>
		analyzeEmail({
			...emptyMessage(),
			subject: 'Contract',
			dateHeader: 'Thu, 20 Nov 2025 10:00:00 +0100',
			text,
		});

	it('"Send the signed contract by Friday 5pm." is a deadline: an imperative with "by <date/time>"', () => {
		const analysis = analyze('Hi Bob,\n\nSend the signed contract by Friday 5pm.\n\nThanks, Alice');
		assert.equal(analysis.intent, 'deadline');
		assert.deepEqual(
			analysis.deadlines.map((date) => date.start),
			['2025-11-21T17:00:00+01:00'],
		);
		assert.equal(analyze('Bitte zahlen Sie die Rechnung bis Freitag 17 Uhr.').intent, 'deadline');
	});

	it('a statement with "by <date>" is not one', () => {
		assert.equal(analyze('I was back in Berlin by Friday 5pm.').intent, 'other');
	});
});

function mime(body: string, header?: string): string {
	const headers = [
		'From: Sender <sender@example.com>',
		'To: me@lab.example',
		'Subject: Test',
		'Date: Thu, 20 Nov 2025 10:00:00 +0100',
		'MIME-Version: 1.0',
		...(header ? [header] : []),
	];
	return `${headers.join('\r\n')}\r\n\r\n${body}`;
}

describe('bad input', () => {
	it('an empty message or one over the size limit is a clear error', async () => {
		await assert.rejects(parseRawMessage(''), (error: unknown) => {
			assert.ok(error instanceof EmailParseError);
			assert.equal(error.message, 'The message is empty');
			return true;
		});
		await assert.rejects(
			parseRawMessage(mime('x'.repeat(2048)), { maxBytes: 1024 }),
			/over the 0 MB limit|MB limit/,
		);
	});

	it('text without headers is read as plain text, with a warning', async () => {
		const message = await parseRawMessage('Hi Bob,\n\ncan we meet Friday at 3pm?');
		assert.equal(message.text, 'Hi Bob,\n\ncan we meet Friday at 3pm?');
		assert.match(message.warnings[0], /No email headers found/);
	});

	it('malformed MIME (no closing boundary, broken part headers, bad base64) is parsed partly', async () => {
		const raw = mime(
			[
				'--b1',
				'Content-Type: text/plain; charset=utf-8',
				'',
				'Meeting on Friday at 3pm.',
				'--b1',
				'Content-Type: application/pdf; name="x.pdf"',
				'Content-Transfer-Encoding: base64',
				'',
				'JVBERi0xLjQK%%%not-base64%%%',
				'--b1',
				'Content-Type text/plain broken header line',
			].join('\r\n'),
			'Content-Type: multipart/mixed; boundary="b1"',
		);
		const message = await parseRawMessage(raw);
		assert.match(message.text, /Meeting on Friday at 3pm/);
		const analysis = analyzeEmail(message);
		assert.equal(analysis.dates[0].start, '2025-11-21T15:00:00+01:00');
	});

	it('an unknown charset yields text and a warning naming it', async () => {
		const raw = mime(
			'Invoice due 3 Dec, total 50,00 EUR',
			'Content-Type: text/plain; charset="x-klingon-42"',
		);
		const message = await parseRawMessage(raw);
		assert.match(message.text, /Invoice due 3 Dec/);
		assert.deepEqual(message.warnings, [
			'Unknown charset "x-klingon-42": that part was decoded as best effort (UTF-8/ASCII)',
		]);
		const latin1 = Buffer.concat([
			Buffer.from(mime('', 'Content-Type: text/plain; charset=iso-8859-1')),
			Buffer.from('Fällig am 03.12.2025 – Grüße', 'latin1'),
		]);
		assert.match((await parseRawMessage(latin1)).text, /Fällig am 03\.12\.2025/);
	});

	it('a 25 MB attachment is measured, not buffered, and the text is still parsed', async () => {
		const attachment = Buffer.alloc(25 * 1024 * 1024, 7)
			.toString('base64')
			.replace(/.{76}/g, '$&\r\n');
		const raw = mime(
			[
				'--b2',
				'Content-Type: text/plain; charset=utf-8',
				'',
				'Your invoice INV-77 for $99.00 is due Friday.',
				'--b2',
				'Content-Type: application/octet-stream; name="backup.bin"',
				'Content-Disposition: attachment; filename="backup.bin"',
				'Content-Transfer-Encoding: base64',
				'',
				attachment,
				'--b2--',
			].join('\r\n'),
			'Content-Type: multipart/mixed; boundary="b2"',
		);
		const started = Date.now();
		const message = await parseRawMessage(raw);
		const elapsed = Date.now() - started;
		assert.deepEqual(message.attachments, [
			{ filename: 'backup.bin', contentType: 'application/octet-stream', size: 25 * 1024 * 1024 },
		]);
		const analysis = analyzeEmail(message);
		assert.equal(analysis.invoice?.amount, 99);
		assert.equal(analysis.dates[0].start, '2025-11-21T00:00:00+01:00');
		assert.ok(elapsed < 20000, `parsed in ${elapsed} ms`);
	});
});
