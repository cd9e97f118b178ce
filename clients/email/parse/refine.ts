// Optional LLM refinement of the rules' analysis, the pure half: the JSON schema the model must answer in
// (sent as Ollama's `format`), the prompt, the semantic checks the schema cannot express, and the merge.
// No network here: clients/email/refine-with-ollama.ts sends the request through the shared Ollama client.
//
// Merge contract (README "Email Parse"): the model may reclassify intents (add or drop them), add facts and
// correct values; it cannot erase what the rules read from the mail (a null or a missing entry keeps the
// rules' value), and invoice and tracking numbers it names must appear in the mail (else they are ignored
// with a warning: a small model copying a number wrongly is the commonest failure).
import type { JsonSchema } from '../../ollama/schema';
import { validateAgainstSchema } from '../../ollama/schema';
import type { DateSource, EmailAnalysis, FoundDate } from './analyze';
import { findCarrierName, findInvoiceNumber, findTrackingNumbers, invoiceTotal } from './facts';
import type { Intent, IntentType } from './intents';
import type { EmailMessage } from './message';

export type FactSource = 'rules' | 'llm';

const INTENT_TYPES: IntentType[] = ['meeting', 'deadline', 'invoice', 'shipping'];

/** ISO 8601 with a time and a UTC offset (or Z): what every date of the answer must look like. */
export const ISO_WITH_OFFSET =
	'^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$';

const isoDate = (description: string): JsonSchema => ({
	type: 'string',
	pattern: ISO_WITH_OFFSET,
	description,
});
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

const DATE_SCHEMA: JsonSchema = {
	type: 'object',
	properties: {
		text: { type: 'string', description: 'The words of the email the date was read from' },
		start: isoDate('Start, ISO 8601 with the UTC offset; 00:00 local time when allDay'),
		end: nullable(isoDate('End of a range, else null')),
		allDay: { type: 'boolean', description: 'true when the email gives no time of day' },
	},
	required: ['text', 'start', 'end', 'allDay'],
	additionalProperties: false,
};

/** What the model answers: every property present (null or [] when the email does not say). */
export const REFINEMENT_SCHEMA: JsonSchema = {
	type: 'object',
	properties: {
		intent: {
			type: 'string',
			enum: [...INTENT_TYPES, 'other'],
			description: 'The main purpose of the email',
		},
		intents: {
			type: 'array',
			maxItems: 4,
			items: {
				type: 'object',
				properties: {
					type: { type: 'string', enum: INTENT_TYPES },
					confidence: { type: 'number', minimum: 0, maximum: 1 },
				},
				required: ['type', 'confidence'],
				additionalProperties: false,
			},
		},
		meeting: {
			type: 'object',
			properties: { proposedTimes: { type: 'array', items: DATE_SCHEMA } },
			required: ['proposedTimes'],
			additionalProperties: false,
		},
		deadlines: { type: 'array', items: DATE_SCHEMA },
		invoice: {
			type: 'object',
			properties: {
				amount: { type: ['number', 'null'], description: 'The total to pay' },
				currency: nullable({ type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
				invoiceNumber: { type: ['string', 'null'], description: 'Copied exactly from the email' },
				dueDate: nullable(isoDate('When payment is due')),
			},
			required: ['amount', 'currency', 'invoiceNumber', 'dueDate'],
			additionalProperties: false,
		},
		shipping: {
			type: 'object',
			properties: {
				carrier: { type: ['string', 'null'] },
				trackingNumbers: {
					type: 'array',
					items: { type: 'string', description: 'Copied exactly from the email' },
				},
			},
			required: ['carrier', 'trackingNumbers'],
			additionalProperties: false,
		},
	},
	required: ['intent', 'intents', 'meeting', 'deadlines', 'invoice', 'shipping'],
	additionalProperties: false,
};

export interface LlmDate {
	text: string;
	start: string;
	end: string | null;
	allDay: boolean;
}

/** The model's answer, once it matched REFINEMENT_SCHEMA. */
export interface LlmFacts {
	intent: IntentType | 'other';
	intents: Array<{ type: IntentType; confidence: number }>;
	meeting: { proposedTimes: LlmDate[] };
	deadlines: LlmDate[];
	invoice: {
		amount: number | null;
		currency: string | null;
		invoiceNumber: string | null;
		dueDate: string | null;
	};
	shipping: { carrier: string | null; trackingNumbers: string[] };
}

/** A date of the output: `source` is where the rules read it (subject/body/quoted) or 'llm'. */
export type RefinedDate = Omit<FoundDate, 'source'> & { source: DateSource | 'llm' };

export interface Refinement {
	model: string;
	/** Whether the model's answer was merged; false when the rules' output is returned unchanged. */
	used: boolean;
	/** What the model added or corrected, one line each. */
	changes: string[];
	/** Why the model's answer was not used. */
	error?: string;
	attempts?: number;
	durationMs?: number;
}

export interface RefinedAnalysis
	extends Omit<EmailAnalysis, 'intents' | 'dates' | 'meeting' | 'deadlines' | 'invoice' | 'shipping'> {
	/** 'llm' when the model chose a different main intent than the rules. */
	intentSource: FactSource;
	intents: Array<Intent & { source: FactSource }>;
	dates: RefinedDate[];
	meeting: { proposedTimes: RefinedDate[]; source: FactSource } | null;
	deadlines: RefinedDate[];
	invoice: (NonNullable<EmailAnalysis['invoice']> & { source: FactSource }) | null;
	shipping: (NonNullable<EmailAnalysis['shipping']> & { source: FactSource }) | null;
	refinement: Refinement;
}

export type RefinementCheck =
	| { ok: true; facts: LlmFacts; dropped: string[] }
	| { ok: false; problems: string[] };

function parsesAsInstant(value: string | null): boolean {
	return value === null || Number.isFinite(Date.parse(value));
}

/**
 * Checks an answer against REFINEMENT_SCHEMA, then what a schema cannot say: dates are real instants and a
 * range does not end before it starts. Such dates are dropped one by one (listed in `dropped`) rather than
 * failing the whole answer.
 */
export function checkRefinement(value: unknown): RefinementCheck {
	const problems = validateAgainstSchema(value, REFINEMENT_SCHEMA);
	if (problems.length) return { ok: false, problems };
	const facts = structuredClone(value) as LlmFacts;
	const dropped: string[] = [];
	const keep = (date: LlmDate): boolean => {
		const bad =
			!parsesAsInstant(date.start) ||
			!parsesAsInstant(date.end) ||
			(date.end !== null && Date.parse(date.end) < Date.parse(date.start));
		if (bad)
			dropped.push(`"${date.text}" (${date.start}${date.end ? ` to ${date.end}` : ''}) is not a valid date`);
		return !bad;
	};
	facts.meeting.proposedTimes = facts.meeting.proposedTimes.filter(keep);
	facts.deadlines = facts.deadlines.filter(keep);
	if (!parsesAsInstant(facts.invoice.dueDate)) {
		dropped.push(`the invoice due date ${facts.invoice.dueDate} is not a valid date`);
		facts.invoice.dueDate = null;
	}
	return { ok: true, facts, dropped };
}

const SYSTEM_PROMPT = [
	'You check and complete facts that rules extracted from an email.',
	'Answer with one JSON object that matches this JSON schema:',
	JSON.stringify(REFINEMENT_SCHEMA),
	'How to answer:',
	'- intent: the main purpose (meeting, deadline, invoice, shipping, or other); intents: every purpose that applies, with your confidence from 0 to 1.',
	'- Dates are ISO 8601 with the UTC offset, e.g. 2025-11-25T14:00:00-05:00. A day without a time of day is 00:00 local time with allDay true.',
	'- Relative words ("tomorrow", "next Tuesday") count from when the email was sent ("sent"); times without a zone are in "timezone".',
	'- text is the words of the email a date was read from.',
	'- Copy invoice and tracking numbers exactly as the email writes them. Use null or [] for what the email does not state.',
	'- The rules are usually right about numbers and dates written out; correct them only when the email clearly says otherwise, and add what they missed.',
].join('\n');

function ruleDate(date: FoundDate): LlmDate {
	return { text: date.text, start: date.start, end: date.end, allDay: date.allDay };
}

/** The chat messages for the model: the email (body cut at `maxBodyChars`) and the rules' findings. */
export function refinementMessages(
	message: EmailMessage,
	analysis: EmailAnalysis,
	maxBodyChars: number,
): Array<{ role: 'system' | 'user'; content: string }> {
	const text = message.text.replace(/\r\n/g, '\n');
	const body =
		text.length > maxBodyChars
			? `${text.slice(0, maxBodyChars)}\n[... the rest of the email is cut off]`
			: text;
	const email = {
		subject: message.subject,
		from: analysis.from,
		sent: analysis.date ?? analysis.reference,
		timezone: analysis.timezone.zone,
		body,
	};
	const rules = {
		intent: analysis.intent,
		intents: analysis.intents.map(({ type, confidence }) => ({ type, confidence })),
		meeting: { proposedTimes: (analysis.meeting?.proposedTimes ?? []).map(ruleDate) },
		deadlines: analysis.deadlines.map(ruleDate),
		invoice: analysis.invoice,
		shipping: analysis.shipping && {
			carrier: analysis.shipping.carrier,
			trackingNumbers: analysis.shipping.trackingNumbers.map((tracking) => tracking.number),
		},
	};
	return [
		{ role: 'system', content: SYSTEM_PROMPT },
		{
			role: 'user',
			content: `Email:\n${JSON.stringify(email, null, 1)}\n\nWhat the rules found:\n${JSON.stringify(rules, null, 1)}`,
		},
	];
}

/** The rules' analysis in the refined shape, every fact marked as the rules'. */
export function rulesOnly(analysis: EmailAnalysis, refinement: Refinement): RefinedAnalysis {
	return {
		...analysis,
		intentSource: 'rules',
		intents: analysis.intents.map((intent) => ({ ...intent, source: 'rules' as const })),
		invoice: analysis.invoice && { ...analysis.invoice, source: 'rules' },
		shipping: analysis.shipping && { ...analysis.shipping, source: 'rules' },
		meeting: analysis.meeting && { ...analysis.meeting, source: 'rules' },
		refinement,
	};
}

const compact = (value: string): string => value.replace(/[\s-]/g, '').toUpperCase();
const sameInstant = (a: string | null, b: string | null): boolean =>
	a === b || (a !== null && b !== null && Date.parse(a) === Date.parse(b));

function llmDate(date: LlmDate): RefinedDate {
	return {
		text: date.text,
		// Not a position in the mail: the model's words need not be verbatim.
		index: -1,
		endIndex: -1,
		start: date.start,
		end: date.end,
		allDay: date.allDay,
		day: date.start.slice(0, 10),
		time: date.allDay ? null : date.start.slice(11, 16),
		relative: false,
		source: 'llm',
	};
}

/**
 * Merges the model's (checked) answer into the rules' analysis; see the contract at the top of this file.
 * Deterministic: the same analysis and answer always give the same output.
 */
export function mergeRefinement(
	analysis: EmailAnalysis,
	message: EmailMessage,
	facts: LlmFacts,
	refinement: Omit<Refinement, 'used' | 'changes'>,
): RefinedAnalysis {
	const changes: string[] = [];
	const warnings = [...analysis.warnings];
	const mailText = `${message.subject}\n${message.text}`;
	const inMail = (value: string): boolean => compact(mailText).includes(compact(value));

	// Intents: the model's classification; entries the rules also found keep their confidence and evidence.
	const ruleIntents = new Map(analysis.intents.map((intent) => [intent.type, intent]));
	const wanted = new Map<IntentType, number>();
	for (const { type, confidence } of facts.intents)
		wanted.set(type, Math.max(wanted.get(type) ?? 0, confidence));
	if (facts.intent !== 'other' && !wanted.has(facts.intent)) wanted.set(facts.intent, 1);
	const ordered = [...wanted.entries()].sort(
		([typeA, a], [typeB, b]) =>
			Number(typeB === facts.intent) - Number(typeA === facts.intent) ||
			b - a ||
			INTENT_TYPES.indexOf(typeA) - INTENT_TYPES.indexOf(typeB),
	);
	const intents = ordered.map(([type, confidence]): Intent & { source: FactSource } => {
		const rule = ruleIntents.get(type);
		if (rule) return { ...rule, source: 'rules' };
		changes.push(`intent ${type} added`);
		return { type, confidence, evidence: ['llm'], source: 'llm' };
	});
	for (const type of ruleIntents.keys())
		if (!wanted.has(type)) changes.push(`intent ${type} removed (the model does not see it)`);
	const intent = facts.intent === 'other' && intents.length ? intents[0].type : facts.intent;
	if (intent !== analysis.intent) changes.push(`main intent ${analysis.intent} -> ${intent}`);
	const has = (type: IntentType): boolean => intents.some((entry) => entry.type === type);

	// Dates: a model date at an instant the rules found is the rules' date; one with the words of a rules date
	// but another instant corrects it (everywhere that date is listed); any other is added.
	const replaced = new Map<FoundDate, RefinedDate>();
	const added: RefinedDate[] = [];
	const mergeDates = (label: string, rules: FoundDate[], answer: LlmDate[]): RefinedDate[] => {
		const list: RefinedDate[] = rules.map((date) => replaced.get(date) ?? date);
		for (const date of answer) {
			if (list.some((entry) => entry.allDay === date.allDay && sameInstant(entry.start, date.start)))
				continue;
			const same = (entry: { allDay: boolean; start: string }): boolean =>
				entry.allDay === date.allDay && sameInstant(entry.start, date.start);
			const known = analysis.dates.find(same);
			// Listed once, even when the answer contradicts itself (old and corrected reading of the same words).
			const existing = (known && (replaced.get(known) ?? known)) || added.find(same);
			if (existing) {
				if (!list.includes(existing)) list.push(existing);
				continue;
			}
			const words = date.text.trim().toLowerCase();
			const corrected = analysis.dates.find(
				(entry) => !replaced.has(entry) && words !== '' && entry.text.trim().toLowerCase() === words,
			);
			const refined = llmDate(date);
			if (corrected) {
				replaced.set(corrected, refined);
				const at = list.indexOf(corrected);
				if (at >= 0) list[at] = refined;
				else list.push(refined);
				changes.push(`${label} "${date.text}": ${corrected.start} -> ${date.start}`);
			} else {
				added.push(refined);
				list.push(refined);
				changes.push(`${label} "${date.text}" added: ${date.start}`);
			}
		}
		return list;
	};
	const proposedTimes = mergeDates(
		'meeting time',
		analysis.meeting?.proposedTimes ?? [],
		facts.meeting.proposedTimes,
	);
	const deadlines = mergeDates('deadline', analysis.deadlines, facts.deadlines);
	// Corrections made while merging deadlines apply to meeting times listed earlier too.
	const fix = (list: RefinedDate[]): RefinedDate[] =>
		list.map((date) => (date.source === 'llm' ? date : (replaced.get(date as FoundDate) ?? date)));
	const dates = [...fix(analysis.dates), ...added];
	const meetingTimes = fix(proposedTimes);
	const meeting = has('meeting')
		? {
				proposedTimes: meetingTimes,
				source: (meetingTimes.some((date) => date.source === 'llm') ? 'llm' : 'rules') as FactSource,
			}
		: null;

	// Invoice: field by field; the base is what the rules read even when they did not call it an invoice.
	let invoice: RefinedAnalysis['invoice'] = null;
	if (has('invoice')) {
		const total = analysis.invoice ? null : invoiceTotal(mailText);
		const base = analysis.invoice ?? {
			amount: total?.amount ?? null,
			currency: total?.currency ?? null,
			invoiceNumber: findInvoiceNumber(mailText),
			dueDate: analysis.deadlines[0]?.start ?? null,
		};
		const next = { ...base };
		const answer = facts.invoice;
		if (answer.amount !== null && answer.amount !== base.amount) next.amount = answer.amount;
		if (answer.currency !== null && answer.currency !== base.currency) next.currency = answer.currency;
		if (answer.dueDate !== null && !sameInstant(answer.dueDate, base.dueDate)) next.dueDate = answer.dueDate;
		if (
			answer.invoiceNumber !== null &&
			compact(answer.invoiceNumber) !== compact(base.invoiceNumber ?? '')
		) {
			if (inMail(answer.invoiceNumber)) next.invoiceNumber = answer.invoiceNumber;
			else
				warnings.push(
					`The model's invoice number "${answer.invoiceNumber}" does not appear in the mail: ignored`,
				);
		}
		let changed = !analysis.invoice;
		for (const key of ['amount', 'currency', 'invoiceNumber', 'dueDate'] as const) {
			if (next[key] !== base[key]) {
				changed = true;
				changes.push(`invoice ${key}: ${JSON.stringify(base[key])} -> ${JSON.stringify(next[key])}`);
			}
		}
		if (!analysis.invoice && !changes.some((line) => line.startsWith('invoice ')))
			changes.push("invoice added from the rules' facts");
		invoice = { ...next, source: changed ? 'llm' : 'rules' };
	}

	// Shipping: the rules' tracking numbers stay; the model may add ones that appear in the mail, and name the carrier.
	const ruleShipping = analysis.shipping ?? {
		carrier: findCarrierName(mailText),
		trackingNumbers: findTrackingNumbers(mailText),
	};
	const carrier = facts.shipping.carrier?.trim() || ruleShipping.carrier;
	const trackingNumbers = [...ruleShipping.trackingNumbers];
	let shippingChanged = false;
	if (carrier !== ruleShipping.carrier) {
		shippingChanged = true;
		changes.push(`shipping carrier: ${JSON.stringify(ruleShipping.carrier)} -> ${JSON.stringify(carrier)}`);
	}
	for (const number of facts.shipping.trackingNumbers) {
		if (trackingNumbers.some((known) => compact(known.number) === compact(number))) continue;
		if (!inMail(number)) {
			warnings.push(`The model's tracking number "${number}" does not appear in the mail: ignored`);
			continue;
		}
		trackingNumbers.push({ carrier: carrier ?? 'unknown', number: number.trim(), url: null });
		shippingChanged = true;
		changes.push(`tracking number ${number.trim()} added`);
	}
	const shipping =
		has('shipping') || trackingNumbers.length > 0
			? {
					carrier,
					trackingNumbers,
					source: (shippingChanged || !analysis.shipping ? 'llm' : 'rules') as FactSource,
				}
			: null;

	return {
		...analysis,
		intent,
		intentSource: intent === analysis.intent ? 'rules' : 'llm',
		intents,
		dates,
		meeting,
		deadlines: fix(deadlines),
		invoice,
		shipping,
		warnings,
		refinement: { ...refinement, used: true, changes },
	};
}
