import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { REFINEMENT_SCHEMA } from '../../clients/email/parse';
import { outputOf, type N8n, type WorkflowNode } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { itemsNode, linearWorkflow } from '../helpers/workflows';
import type { OllamaSimulator } from '../simulators/ollama/server';
import { startOllamaSimulator } from '../simulators/ollama/server';

// The rules read "on Thursday afternoon" as an all-day date (and, because of "come by on", as a deadline) and
// find no intent; a model reads the appointment at 14:30.
const BOILER = {
	subject: 'Boiler service',
	text: 'Hello Sam,\n\nour technician can come by on Thursday afternoon, around half past two, to service the boiler. Please reply if that suits you.\n\nThe service is one hundred and twenty euros, paid on site.\n\nRegards,\nMarta',
	date: 'Mon, 24 Nov 2025 08:30:00 +0100',
	from: 'Marta <marta@heating.example>',
};

/** The model's answer for BOILER: a meeting on Thursday at 14:30, nothing else. */
const BOILER_ANSWER = {
	intent: 'meeting',
	intents: [{ type: 'meeting', confidence: 0.9 }],
	meeting: {
		proposedTimes: [
			{ text: 'on Thursday afternoon', start: '2025-11-27T14:30:00+01:00', end: null, allDay: false },
		],
	},
	deadlines: [],
	invoice: { amount: null, currency: null, invoiceNumber: null, dueDate: null },
	shipping: { carrier: null, trackingNumbers: [] },
};

interface Found {
	text: string;
	start: string;
	allDay: boolean;
	source: string;
}

describe('Email Parse with LLM refinement inside real n8n against the Ollama simulator', () => {
	let n8n: N8n;
	let sim: OllamaSimulator;
	let credential: { id: string; name: string };
	before(async () => {
		n8n = await sharedN8n();
		sim = await startOllamaSimulator();
		const name = `Ollama for Email Parse ${Date.now()}`;
		credential = {
			id: await n8n.createCredential(name, 'ollamaApi', { baseUrl: sim.url, apiKey: '', extraHeaders: '' }),
			name,
		};
	});
	after(async () => await sim.stop());
	afterEach(() => {
		sim.structuredAnswers = [];
		sim.structured = [];
	});

	const parseNode = (
		parameters: Record<string, unknown>,
		extra: Record<string, unknown> = {},
	): WorkflowNode => ({
		name: 'Email Parse',
		type: 'n8n-nodes-homelab.emailParse',
		typeVersion: 1,
		parameters: { source: 'fields', ...parameters },
		credentials: { ollamaApi: credential },
		...extra,
	});
	const refined = (model: string, llmOptions: Record<string, unknown> = {}) => ({
		refineWithLlm: true,
		model: { __rl: true, mode: 'name', value: model },
		llmOptions,
	});
	const run = async (name: string, nodes: WorkflowNode[]) =>
		await n8n.runWorkflow(await n8n.importWorkflow(linearWorkflow(name, nodes)));
	const chats = () => sim.requests.filter((request) => request.path === '/api/chat');

	it('refinement on: the model’s facts are merged and marked source "llm"; the request is schema-constrained', async () => {
		sim.structuredAnswers = [BOILER_ANSWER];
		const before = chats().length;
		const result = await run('email parse llm: refined', [
			itemsNode('Mail', [BOILER]),
			parseNode(refined('llama3.2', { maxBodyChars: 80 })),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [item] = outputOf(result, 'Email Parse');
		const json = item.json;
		assert.equal(json.intent, 'meeting');
		assert.equal(json.intentSource, 'llm');
		assert.deepEqual(json.intents, [{ type: 'meeting', confidence: 0.9, evidence: ['llm'], source: 'llm' }]);
		const meeting = json.meeting as { proposedTimes: Found[]; source: string };
		assert.equal(meeting.source, 'llm');
		assert.deepEqual(
			meeting.proposedTimes.map((date) => [date.text, date.start, date.allDay, date.source]),
			[['on Thursday afternoon', '2025-11-27T14:30:00+01:00', false, 'llm']],
		);
		assert.deepEqual(
			(json.dates as Found[]).map((date) => [date.start, date.source]),
			[['2025-11-27T14:30:00+01:00', 'llm']],
			'the all-day reading of the rules is corrected, not kept beside',
		);
		assert.deepEqual(json.refinement, {
			model: 'llama3.2',
			attempts: 1,
			durationMs: (json.refinement as { durationMs: number }).durationMs,
			used: true,
			changes: [
				'intent meeting added',
				'main intent other -> meeting',
				'meeting time "on Thursday afternoon": 2025-11-27T00:00:00+01:00 -> 2025-11-27T14:30:00+01:00',
			],
		});
		assert.deepEqual(json.warnings, []);

		const sent = chats().slice(before);
		assert.equal(sent.length, 1, 'one request per item');
		const body = sent[0].body ?? {};
		assert.equal(body.model, 'llama3.2');
		assert.deepEqual(body.format, REFINEMENT_SCHEMA, 'the answer is constrained by the schema');
		assert.deepEqual(body.options, { temperature: 0, num_ctx: 8192 });
		const user = (body.messages as Array<{ role: string; content: string }>)[1].content;
		assert.match(
			user,
			/"body": "Hello Sam,\\n\\nour technician can come by on Thursday afternoon, around half past t\\n\[\.\.\. the rest of the email is cut off\]"/,
		);
		assert.doesNotMatch(user, /Marta"/, 'the body is cut at Max Body Characters');
		assert.match(
			user,
			/"text": "on Thursday afternoon",\n\s+"start": "2025-11-27T00:00:00\+01:00"/,
			'the rules’ findings go along',
		);
	});

	it('the model answers garbage (cut off, then not JSON): the rules output with a warning, no error', async () => {
		sim.structured = ['truncated', 'garbage'];
		const before = chats().length;
		const result = await run('email parse llm: garbage', [
			itemsNode('Mail', [BOILER]),
			parseNode(refined('llama3.2')),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(chats().length - before, 2, 'one retry after the invalid answer');
		const [{ json }] = outputOf(result, 'Email Parse');
		assert.equal(json.intent, 'other', 'the rules’ intent');
		assert.equal(json.intentSource, 'rules');
		assert.deepEqual(
			(json.dates as Found[]).map((date) => [date.text, date.start, date.allDay, date.source]),
			[['on Thursday afternoon', '2025-11-27T00:00:00+01:00', true, 'body']],
		);
		const refinement = json.refinement as { used: boolean; error: string };
		assert.equal(refinement.used, false);
		assert.match(
			refinement.error,
			/The model "llama3\.2" gave no valid structured output in 2 attempt\(s\): attempt 1: not valid JSON/,
		);
		assert.deepEqual(json.warnings, [
			`LLM refinement failed, the rules' output is returned: ${refinement.error}`,
		]);
	});

	it('On Model Failure "Fail the Item": the same garbage is an error the item carries with continue-on-fail', async () => {
		sim.structured = ['garbage', 'garbage'];
		const result = await run('email parse llm: garbage fails', [
			itemsNode('Mail', [BOILER]),
			parseNode(refined('llama3.2', { onFailure: 'error' }), { onError: 'continueRegularOutput' }),
		]);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [{ json }] = outputOf(result, 'Email Parse');
		assert.match(
			String(json.error),
			/The model "llama3\.2" gave no valid structured output in 2 attempt\(s\)/,
		);
	});

	it('a model that is not pulled stops the workflow naming the model and ollama pull (no silent fallback)', async () => {
		const result = await run('email parse llm: model missing', [
			itemsNode('Mail', [BOILER]),
			parseNode(refined('mistral:7b')),
		]);
		assert.equal(result.status, 'error');
		assert.equal(result.error?.node?.name, 'Email Parse');
		assert.equal(
			result.error?.message,
			`The model "mistral:7b" is not available on the Ollama server at 127.0.0.1:${sim.port}`,
		);
		assert.match(String(result.error?.description), /ollama pull mistral:7b/);
	});

	it('refinement off: rules only, identical on every run, and Ollama gets zero requests', async () => {
		const before = sim.requests.length;
		const outputs: unknown[] = [];
		for (const round of [1, 2]) {
			const result = await run(`email parse llm: off ${round}`, [
				itemsNode('Mail', [
					BOILER,
					{ ...BOILER, subject: 'Invoice 2025-77', text: 'Total: EUR 120.00, due by 1 December 2025.' },
				]),
				// The credential and model stay configured; only the switch is off.
				parseNode({ ...refined('llama3.2'), refineWithLlm: false }),
			]);
			assert.equal(result.status, 'success', JSON.stringify(result.error));
			outputs.push(outputOf(result, 'Email Parse').map((item) => item.json));
		}
		assert.equal(sim.requests.length - before, 0, 'nothing was sent to Ollama');
		assert.deepEqual(outputs[0], outputs[1]);
		const [boiler, invoice] = outputs[0] as Array<Record<string, unknown>>;
		assert.equal(boiler.intent, 'other');
		assert.equal('refinement' in boiler, false);
		assert.equal('intentSource' in boiler, false);
		assert.equal(invoice.intent, 'invoice');
	});

	it('offers the Ollama server’s models in the Email Parse model dropdown', async () => {
		const response = await n8n.rest<{ data: { results: Array<{ name: string; value: string }> } }>(
			'POST',
			'/dynamic-node-parameters/resource-locator-results',
			{
				path: 'model',
				nodeTypeAndVersion: { name: 'n8n-nodes-homelab.emailParse', version: 1 },
				currentNodeParameters: {
					source: 'fields',
					refineWithLlm: true,
					model: { __rl: true, mode: 'list', value: '' },
				},
				methodName: 'searchModels',
				filter: 'llama',
				credentials: { ollamaApi: credential },
			},
		);
		assert.deepEqual(response.data.results, [{ name: 'llama3.2:latest (3.2B)', value: 'llama3.2:latest' }]);
	});
});
