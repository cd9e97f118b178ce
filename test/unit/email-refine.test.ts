import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';

import type { EmailAnalysis, EmailMessage, LlmFacts } from '../../clients/email/parse';
import {
	analyzeEmail,
	checkRefinement,
	emptyMessage,
	mergeRefinement,
	parseRawMessage,
	REFINEMENT_SCHEMA,
	refinementMessages,
	rulesOnly,
} from '../../clients/email/parse';
import { refineWithOllama } from '../../clients/email/refine-with-ollama';
import { OllamaClient, OllamaError } from '../../clients/ollama';
import { freePort } from '../harness/net';
import type { OllamaSimulator } from '../simulators/ollama/server';
import { schemaViolation, startOllamaSimulator } from '../simulators/ollama/server';

const fixture = async (name: string): Promise<{ message: EmailMessage; analysis: EmailAnalysis }> => {
	const message = await parseRawMessage(
		readFileSync(path.join(__dirname, '../fixtures/emails', `${name}.eml`)),
	);
	return { message, analysis: analyzeEmail(message) };
};

/** What the rules read from a mail, as the model's "I agree with everything" answer. */
function agreeing(analysis: EmailAnalysis): LlmFacts {
	const date = (entry: { text: string; start: string; end: string | null; allDay: boolean }) => ({
		text: entry.text,
		start: entry.start,
		end: entry.end,
		allDay: entry.allDay,
	});
	return {
		intent: analysis.intent,
		intents: analysis.intents.map(({ type, confidence }) => ({ type, confidence })),
		meeting: { proposedTimes: (analysis.meeting?.proposedTimes ?? []).map(date) },
		deadlines: analysis.deadlines.map(date),
		invoice: analysis.invoice ?? { amount: null, currency: null, invoiceNumber: null, dueDate: null },
		shipping: {
			carrier: analysis.shipping?.carrier ?? null,
			trackingNumbers: (analysis.shipping?.trackingNumbers ?? []).map((entry) => entry.number),
		},
	};
}

const boilerMail = (): EmailMessage => {
	const message = emptyMessage();
	message.subject = 'Boiler service';
	message.text =
		'Hello Sam,\n\nour technician can come by on Thursday afternoon, around half past two, to service the boiler. Please reply if that suits you.\n\nThe service is one hundred and twenty euros, paid on site.\n\nRegards,\nMarta';
	message.dateHeader = 'Mon, 24 Nov 2025 08:30:00 +0100';
	message.from = { name: 'Marta', address: 'marta@heating.example' };
	return message;
};

const meta = { model: 'llama3.2:latest', attempts: 1, durationMs: 5 };

describe('LLM refinement: checking the model answer', () => {
	it('accepts an answer that fits the schema and the simulator agrees it could be generated', async () => {
		const { analysis } = await fixture('25-invoice-eur-hosting');
		const answer = agreeing(analysis);
		const checked = checkRefinement(answer);
		assert.ok(checked.ok);
		assert.deepEqual(checked.facts, answer);
		assert.deepEqual(checked.dropped, []);
		assert.equal(schemaViolation(answer, REFINEMENT_SCHEMA), null);
	});

	it('rejects answers that break the schema, naming where', () => {
		const base = agreeing(analyzeEmail(boilerMail()));
		const withoutInvoice: Partial<LlmFacts> = { ...base };
		delete withoutInvoice.invoice;
		const cases: Array<[unknown, RegExp]> = [
			[{ ...base, intent: 'party' }, /\$\.intent: "party" is not one of/],
			[withoutInvoice, /missing required property "invoice"/],
			[
				{ ...base, deadlines: [{ text: 'Friday', start: 'Friday 5pm', end: null, allDay: false }] },
				/\$\.deadlines\[0\]\.start: does not match the pattern/,
			],
			[
				{ ...base, deadlines: [{ text: 'Friday', start: '2025-11-28T17:00:00', end: null, allDay: false }] },
				/\$\.deadlines\[0\]\.start: does not match the pattern/,
			],
			[{ ...base, intents: [{ type: 'meeting', confidence: 3 }] }, /above the maximum 1/],
			[{ ...base, extra: true }, /unexpected property "extra"/],
			['not an object', /expected object, got string/],
		];
		for (const [value, problem] of cases) {
			const checked = checkRefinement(value);
			assert.equal(checked.ok, false, JSON.stringify(value));
			assert.match(checked.ok ? '' : checked.problems.join('\n'), problem);
		}
	});

	it('drops dates that fit the pattern but are no instants, or end before they start', () => {
		const answer = agreeing(analyzeEmail(boilerMail()));
		answer.deadlines = [
			{ text: 'at 25 o’clock', start: '2025-11-27T25:00:00+01:00', end: null, allDay: false },
			{ text: '3 to 2', start: '2025-11-27T15:00:00+01:00', end: '2025-11-27T14:00:00+01:00', allDay: false },
			{ text: 'Friday', start: '2025-11-28T17:00:00+01:00', end: null, allDay: false },
		];
		answer.invoice.dueDate = '2025-13-01T00:00:00+01:00';
		const checked = checkRefinement(answer);
		assert.ok(checked.ok);
		assert.deepEqual(
			checked.facts.deadlines.map((date) => date.text),
			['Friday'],
		);
		assert.equal(checked.facts.invoice.dueDate, null);
		assert.equal(checked.dropped.length, 3);
		assert.match(
			checked.dropped.join('\n'),
			/"3 to 2" \(2025-11-27T15:00:00\+01:00 to 2025-11-27T14:00:00\+01:00\)/,
		);
	});
});

describe('LLM refinement: merging the answer into the rules output', () => {
	it('an answer that agrees changes nothing: every fact stays the rules’ one', async () => {
		for (const name of ['01-meeting-call-next-tuesday', '25-invoice-eur-hosting', '35-ups-delivery-eod']) {
			const { message, analysis } = await fixture(name);
			const merged = mergeRefinement(analysis, message, agreeing(analysis), meta);
			assert.deepEqual(merged, rulesOnly(analysis, { ...meta, used: true, changes: [] }), name);
			assert.deepEqual(
				merged.intents.map((intent) => intent.source),
				analysis.intents.map(() => 'rules'),
			);
		}
	});

	it('adds an intent, corrects a date the rules read wrongly (everywhere it is listed) and marks them llm', () => {
		const message = boilerMail();
		const analysis = analyzeEmail(message);
		assert.equal(analysis.intent, 'other', 'the rules miss the appointment');
		assert.deepEqual(
			analysis.dates.map((date) => [date.text, date.start, date.allDay]),
			[['on Thursday afternoon', '2025-11-27T00:00:00+01:00', true]],
		);
		const answer = agreeing(analysis);
		answer.intent = 'meeting';
		answer.intents = [{ type: 'meeting', confidence: 0.9 }];
		answer.meeting.proposedTimes = [
			{ text: 'on Thursday afternoon', start: '2025-11-27T14:30:00+01:00', end: null, allDay: false },
		];
		const merged = mergeRefinement(analysis, message, answer, meta);
		assert.equal(merged.intent, 'meeting');
		assert.equal(merged.intentSource, 'llm');
		assert.deepEqual(merged.intents, [
			{ type: 'meeting', confidence: 0.9, evidence: ['llm'], source: 'llm' },
		]);
		const corrected = {
			text: 'on Thursday afternoon',
			index: -1,
			endIndex: -1,
			start: '2025-11-27T14:30:00+01:00',
			end: null,
			allDay: false,
			day: '2025-11-27',
			time: '14:30',
			relative: false,
			source: 'llm',
		};
		assert.deepEqual(merged.meeting, { proposedTimes: [corrected], source: 'llm' });
		assert.deepEqual(merged.dates, [corrected], 'the wrong all-day reading is replaced, not kept beside');
		assert.deepEqual(merged.deadlines, [corrected], 'the rules listed it as a deadline: corrected there too');
		assert.equal(merged.invoice, null);
		assert.equal(merged.shipping, null);
		assert.deepEqual(merged.refinement.changes, [
			'intent meeting added',
			'main intent other -> meeting',
			'meeting time "on Thursday afternoon": 2025-11-27T00:00:00+01:00 -> 2025-11-27T14:30:00+01:00',
		]);
		assert.deepEqual(merged.refinement, { ...meta, used: true, changes: merged.refinement.changes });
		// Deterministic: the same inputs give the same output.
		assert.deepEqual(mergeRefinement(analysis, message, answer, meta), merged);
	});

	it('keeps rules facts the model leaves out, adds its own, reclassifies, and ignores numbers not in the mail', async () => {
		const { message, analysis } = await fixture('35-ups-delivery-eod');
		const answer = agreeing(analysis);
		// The rules took "by End of Day" for a deadline; the model knows it is a delivery date.
		answer.intents = [{ type: 'shipping', confidence: 0.97 }];
		answer.deadlines = [];
		answer.shipping = { carrier: null, trackingNumbers: ['1Z999AA10123456785'] };
		answer.meeting.proposedTimes = [
			{ text: 'Tuesday, November 25', start: '2025-11-25T00:00:00-05:00', end: null, allDay: true },
		];
		const merged = mergeRefinement(analysis, message, answer, meta);
		assert.deepEqual(
			merged.intents.map((intent) => [intent.type, intent.source]),
			[['shipping', 'rules']],
		);
		assert.equal(merged.intent, 'shipping');
		assert.equal(merged.intentSource, 'rules');
		assert.deepEqual(merged.deadlines, analysis.deadlines, 'a rules deadline is not erased by an empty list');
		assert.equal(merged.meeting, null, 'no meeting intent: no meeting, even with times');
		assert.deepEqual(merged.shipping, { ...analysis.shipping, source: 'rules' }, 'null carrier keeps UPS');
		assert.deepEqual(
			merged.dates.map((date) => [date.text, date.source]),
			[
				['End of Day', 'body'],
				['Tuesday, November 25', 'llm'],
			],
		);
		assert.match(
			merged.warnings.join('\n'),
			/tracking number "1Z999AA10123456785" does not appear in the mail: ignored/,
		);
		assert.deepEqual(merged.refinement.changes, [
			'intent deadline removed (the model does not see it)',
			'meeting time "Tuesday, November 25" added: 2025-11-25T00:00:00-05:00',
		]);
	});

	it('invoice: model values win where given, null keeps the rules value, the number must be in the mail (spacing aside)', async () => {
		const { message, analysis } = await fixture('25-invoice-eur-hosting');
		const answer = agreeing(analysis);
		answer.invoice = { amount: 23.8, currency: null, invoiceNumber: 'INV-2025-99999', dueDate: null };
		let merged = mergeRefinement(analysis, message, answer, meta);
		assert.deepEqual(merged.invoice, { ...analysis.invoice, source: 'rules' });
		assert.match(merged.warnings.join('\n'), /invoice number "INV-2025-99999" does not appear in the mail/);

		answer.invoice = {
			amount: 20,
			currency: 'EUR',
			invoiceNumber: 'inv 2025 11873',
			dueDate: '2025-12-02T00:00:00+01:00',
		};
		merged = mergeRefinement(analysis, message, answer, meta);
		assert.deepEqual(merged.invoice, {
			amount: 20,
			currency: 'EUR',
			invoiceNumber: 'INV-2025-11873',
			dueDate: '2025-12-02T00:00:00+01:00',
			source: 'llm',
		});
		assert.deepEqual(merged.refinement.changes, ['invoice amount: 23.8 -> 20']);
	});

	it('an invoice intent the rules missed gets the rules’ facts as its base', async () => {
		const { message, analysis } = await fixture('01-meeting-call-next-tuesday');
		const answer = agreeing(analysis);
		answer.intents.push({ type: 'invoice', confidence: 0.6 });
		const merged = mergeRefinement(analysis, message, answer, meta);
		assert.deepEqual(merged.invoice, {
			amount: null,
			currency: null,
			invoiceNumber: null,
			dueDate: null,
			source: 'llm',
		});
		assert.deepEqual(merged.refinement.changes, [
			'intent invoice added',
			"invoice added from the rules' facts",
		]);
		assert.equal(merged.intent, 'meeting');
	});

	it('the prompt carries the schema, the mail cut at the limit and the rules’ findings', async () => {
		const { message, analysis } = await fixture('25-invoice-eur-hosting');
		const [system, user] = refinementMessages(message, analysis, 40);
		assert.equal(system.role, 'system');
		assert.ok(system.content.includes(JSON.stringify(REFINEMENT_SCHEMA)));
		assert.equal(user.role, 'user');
		const email = JSON.parse(
			/Email:\n([\s\S]+?)\n\nWhat the rules found/.exec(user.content)?.[1] ?? '{}',
		) as {
			body: string;
			sent: string;
			timezone: string;
		};
		assert.equal(email.body, `${message.text.slice(0, 40)}\n[... the rest of the email is cut off]`);
		assert.equal(email.sent, '2025-11-18T10:00:00+01:00');
		assert.equal(email.timezone, '+01:00');
		const rules = JSON.parse(user.content.split('What the rules found:\n')[1]) as Record<string, unknown>;
		assert.deepEqual(rules.invoice, analysis.invoice);
		assert.deepEqual(rules.deadlines, [
			{ text: '2 December 2025', start: '2025-12-02T00:00:00+01:00', end: null, allDay: true },
		]);
	});
});

describe('LLM refinement through the Ollama client against the simulator', () => {
	let sim: OllamaSimulator;
	before(async () => {
		sim = await startOllamaSimulator();
	});
	after(async () => await sim.stop());
	afterEach(() => {
		sim.structuredAnswers = [];
		sim.structured = [];
	});

	it('sends the schema as format with temperature 0 and merges the answer', async () => {
		const message = boilerMail();
		const analysis = analyzeEmail(message);
		const answer = agreeing(analysis);
		answer.intent = 'meeting';
		answer.intents = [{ type: 'meeting', confidence: 0.9 }];
		sim.structuredAnswers = [answer];
		const before = sim.requests.length;
		const refined = await refineWithOllama(new OllamaClient({ baseUrl: sim.url }), message, analysis, {
			model: 'llama3.2',
		});
		const sent = sim.requests.slice(before);
		assert.equal(sent.length, 1);
		assert.equal(sent[0].path, '/api/chat');
		assert.deepEqual(sent[0].body?.format, REFINEMENT_SCHEMA);
		assert.deepEqual(sent[0].body?.options, { temperature: 0, num_ctx: 8192 });
		assert.equal(refined.intent, 'meeting');
		assert.equal(refined.refinement.used, true);
		assert.equal(refined.refinement.model, 'llama3.2');
	});

	it('invalid JSON after the retries, or an unreachable server: the rules output with a warning', async () => {
		const { message, analysis } = await fixture('25-invoice-eur-hosting');
		sim.structured = ['truncated', 'garbage'];
		const client = new OllamaClient({ baseUrl: sim.url });
		const refined = await refineWithOllama(client, message, analysis, { model: 'llama3.2' });
		assert.deepEqual(
			{ ...refined, refinement: { ...refined.refinement, durationMs: 0 } },
			{
				...rulesOnly(analysis, {
					model: 'llama3.2',
					used: false,
					changes: [],
					error: refined.refinement.error,
					durationMs: 0,
				}),
				warnings: [
					...analysis.warnings,
					`LLM refinement failed, the rules' output is returned: ${refined.refinement.error}`,
				],
			},
		);
		assert.match(
			String(refined.refinement.error),
			/no valid structured output in 2 attempt\(s\): attempt 1: not valid JSON/,
		);

		const closed = new OllamaClient({ baseUrl: `http://127.0.0.1:${await freePort()}` });
		const offline = await refineWithOllama(closed, message, analysis, { model: 'llama3.2' });
		assert.equal(offline.refinement.used, false);
		assert.match(String(offline.refinement.error), /Cannot reach Ollama at 127\.0\.0\.1:\d+/);
		assert.deepEqual(offline.invoice, { ...analysis.invoice, source: 'rules' });

		await assert.rejects(
			refineWithOllama(closed, message, analysis, { model: 'llama3.2', onFailure: 'error' }),
			(error) => error instanceof OllamaError && error.kind === 'unreachable',
		);
	});

	it('a model that is not pulled is an error naming it and ollama pull, whatever On Model Failure says', async () => {
		const { message, analysis } = await fixture('25-invoice-eur-hosting');
		await assert.rejects(
			refineWithOllama(new OllamaClient({ baseUrl: sim.url }), message, analysis, {
				model: 'mistral:7b',
				onFailure: 'rules',
			}),
			(error) =>
				error instanceof OllamaError &&
				error.kind === 'modelNotFound' &&
				/The model "mistral:7b" is not available/.test(error.message) &&
				/ollama pull mistral:7b/.test(error.hint ?? ''),
		);
	});

	it('the simulator refuses to script an answer the schema forbids (constrained generation cannot give it)', async () => {
		const { message, analysis } = await fixture('25-invoice-eur-hosting');
		sim.structuredAnswers = [{ ...agreeing(analysis), intent: 'party' }];
		await assert.rejects(
			refineWithOllama(new OllamaClient({ baseUrl: sim.url }), message, analysis, {
				model: 'llama3.2',
				onFailure: 'error',
			}),
			/the scripted answer cannot come out of this format: \$\.intent "party" is not in the enum/,
		);
	});
});
