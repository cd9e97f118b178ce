import type { DateLocale, DateMention } from './dates';
import { DATE_LOCALES, extractDates } from './dates';
import type { Money, Phone, TrackingNumber } from './facts';
import {
	findCarrierName,
	findInvoiceNumber,
	findLinks,
	findMoney,
	findPhones,
	findTrackingNumbers,
	invoiceTotal,
} from './facts';
import type { Intent, IntentType } from './intents';
import { classifyIntents } from './intents';
import { detectLocale } from './language';
import type { EmailMessage } from './message';
import type { QuotedKind } from './quoted';
import { quotedContent, splitQuoted } from './quoted';
import type { Zone } from './timezone';
import {
	formatInZone,
	formatOffset,
	isValidZoneName,
	offsetAt,
	parseDateValue,
	senderOffsetOf,
} from './timezone';

export interface AnalyzeOptions {
	/** IANA zone to read times in; overrides the sender's offset from the Date header. */
	timezone?: string;
	/** Zone when neither `timezone` nor a Date header offset is there (the node passes the workflow's zone). */
	fallbackTimezone?: string;
	/** 'auto' detects en / en-GB / de / fr from the text and the sender's domain. */
	locale?: DateLocale | 'auto';
	/** Ambiguous dates lie in the future ("Friday" = the coming Friday). Default true. */
	forwardDate?: boolean;
	/** Also read dates from quoted replies and forwarded history. Default false. */
	includeQuoted?: boolean;
	/** Reference instant when the message has no usable Date header. Default: now. */
	now?: Date;
}

export type DateSource = 'subject' | 'body' | 'quoted';

export interface FoundDate extends DateMention {
	source: DateSource;
}

export interface EmailAnalysis {
	subject: string;
	from: string | null;
	/** The Date header as an ISO string in the zone used. */
	date: string | null;
	locale: DateLocale;
	timezone: { zone: string; offset: string; source: 'option' | 'dateHeader' | 'fallback' };
	/** The instant relative dates were computed from. */
	reference: string;
	/** The most confident intent, or 'other'. */
	intent: IntentType | 'other';
	intents: Intent[];
	dates: FoundDate[];
	meeting: { proposedTimes: FoundDate[] } | null;
	deadlines: FoundDate[];
	invoice: {
		amount: number | null;
		currency: string | null;
		invoiceNumber: string | null;
		dueDate: string | null;
	} | null;
	shipping: { carrier: string | null; trackingNumbers: TrackingNumber[] } | null;
	amounts: Money[];
	links: string[];
	phones: Phone[];
	quoted: { kind: QuotedKind | null; included: boolean };
	warnings: string[];
}

const DEADLINE_CUE =
	/(?:\bby|\bdue(?: on| date| by)?|\buntil|\btill|\bbefore|no later than|\bdeadline|\blatest|\bexpires?(?: on)?|\bbis(?: zum| spätestens| am)?|spätestens(?: am| bis)?|fällig(?: am| bis)?|\bFrist|zahlbar bis|\bavant(?: le)?|d'ici(?: le| à)?|au plus tard(?: le)?|échéance|jusqu'au|payable by|pay by|\bpayable)\s*(?:[:-]\s*)?(?:the |le |am |den |zum |this |next )?$/i;
const END_OF_PERIOD =
	/\b(?:EOD|EOW|EOM|COB|EOB|end of|close of business|Dienstschluss|Feierabend|Monatsende|fin de)\b/i;

// A sentence that asks for something: "Send the signed contract by Friday 5pm." is a deadline without the word.
const REQUEST_SENTENCE =
	/(?:^|[.!?]\s+|\n\s*)(?:(?:please|kindly|bitte|merci de|veuillez)\s+)?(?:send|submit|sign|return|pay|reply|respond|confirm|complete|finish|deliver|upload|provide|share|review|approve|update|book|register|renew|file|fill (?:in|out)|get|let (?:me|us) know|make sure|schick(?:en Sie)?|sende(?:n Sie)?|reichen Sie|(?:be)?zahlen Sie|bestätigen Sie|envoyez|envoie|renvoyez|signez|payez|confirmez)\b[^.!?\n]*$/i;

/** A deadline date in a sentence that starts with an imperative ("Send ... by Friday", "Bitte zahlen Sie ... bis"). */
function isRequestedBy(text: string, mention: DateMention): boolean {
	return REQUEST_SENTENCE.test(text.slice(Math.max(0, mention.index - 200), mention.index));
}

const SECTION_BREAK = '\n\n\u00a7\n\n';

function isDeadline(text: string, mention: DateMention): boolean {
	if (END_OF_PERIOD.test(mention.text)) return true;
	const lineStart = text.lastIndexOf('\n', mention.index - 1) + 1;
	const before = text.slice(Math.max(lineStart, mention.index - 40), mention.index);
	return DEADLINE_CUE.test(before.trimEnd()) || DEADLINE_CUE.test(before);
}

function resolveZone(
	message: EmailMessage,
	options: AnalyzeOptions,
): { zone: Zone; label: string; source: EmailAnalysis['timezone']['source'] } {
	if (options.timezone) {
		if (!isValidZoneName(options.timezone))
			throw new RangeError(`"${options.timezone}" is not a known IANA time zone`);
		return { zone: { kind: 'iana', name: options.timezone }, label: options.timezone, source: 'option' };
	}
	const offset = message.dateHeader ? senderOffsetOf(message.dateHeader) : undefined;
	if (offset !== undefined)
		return { zone: { kind: 'offset', minutes: offset }, label: formatOffset(offset), source: 'dateHeader' };
	const fallback =
		options.fallbackTimezone && isValidZoneName(options.fallbackTimezone) ? options.fallbackTimezone : 'UTC';
	return { zone: { kind: 'iana', name: fallback }, label: fallback, source: 'fallback' };
}

function overlaps(mention: DateMention, spans: Array<[number, number]>): boolean {
	return spans.some(([start, end]) => mention.index < end && mention.endIndex > start);
}

/** Spans of links, e-mail addresses, phone numbers, tracking and long digit runs: no dates inside those. */
function protectedSpans(text: string): Array<[number, number]> {
	const spans: Array<[number, number]> = [];
	const pattern =
		/\bhttps?:\/\/\S+|\bwww\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:\+|00)\d[\d\s()./-]{6,}\d|\b[A-Z]{2,}[-_/]?\d[\w/-]*\d\b|\b\d{9,}\b|\b[A-Z0-9]{2,}-\d{4}-\d+\b/g;
	for (const match of text.matchAll(pattern))
		spans.push([match.index ?? 0, (match.index ?? 0) + match[0].length]);
	return spans;
}

/**
 * Turns a parsed message into dated, structured facts: dates (relative to the Date header, in the sender's
 * zone or a configured one), intents with confidence, meeting times, deadlines, invoice, shipping, links and
 * phone numbers. Pure and deterministic for a given message and options.
 */
export function analyzeEmail(message: EmailMessage, options: AnalyzeOptions = {}): EmailAnalysis {
	const warnings = [...message.warnings];
	const { zone, label, source } = resolveZone(message, options);
	const headerInstant = message.dateHeader ? parseDateValue(message.dateHeader, zone) : undefined;
	if (message.dateHeader && headerInstant === undefined) {
		warnings.push(
			`The Date header "${message.dateHeader}" is not a date: relative dates use the current time`,
		);
	}
	const referenceMs = headerInstant ?? (options.now ?? new Date()).getTime();
	if (!message.dateHeader)
		warnings.push('The message has no Date header: relative dates use the current time');
	const reference = new Date(referenceMs);

	const split = splitQuoted(message.text.replace(/\r\n/g, '\n'));
	const includeQuoted = options.includeQuoted ?? false;
	const quoted = quotedContent(split.quoted);
	const locale =
		!options.locale || options.locale === 'auto'
			? detectLocale(`${message.subject}\n${split.top || split.quoted}`, message.from?.address)
			: options.locale;
	if (!DATE_LOCALES.includes(locale)) throw new RangeError(`Locale "${String(locale)}" is not supported`);
	const dateOptions = { reference, zone, locale, forwardDate: options.forwardDate ?? true };

	const dates: FoundDate[] = [];
	const deadlines: FoundDate[] = [];
	let requestedDeadlines = 0;
	const seen = new Set<string>();
	// "Re: Fwd:" prefixes are left out of the search; spans still point into the full subject.
	const prefix = /^(?:(?:re|aw|fwd?|wg|tr)\s*:\s*)+/i.exec(message.subject)?.[0].length ?? 0;
	const sections: Array<[DateSource, string]> = [
		['subject', message.subject.slice(prefix)],
		['body', split.top],
	];
	if (includeQuoted && split.quoted) sections.push(['quoted', quoted]);
	// One chrono pass over all sections (each call has a fixed cost), separated so nothing joins across them.
	const starts: number[] = [];
	let combined = '';
	for (const [, text] of sections) {
		starts.push(combined.length);
		combined += `${text}${SECTION_BREAK}`;
	}
	const spans = protectedSpans(combined);
	for (const mention of extractDates(combined, dateOptions)) {
		if (overlaps(mention, spans)) continue;
		let sectionIndex = starts.length - 1;
		while (sectionIndex > 0 && starts[sectionIndex] > mention.index) sectionIndex--;
		const [section] = sections[sectionIndex];
		const offset = starts[sectionIndex] - (section === 'subject' ? prefix : 0);
		const deadline = isDeadline(combined, mention);
		if (deadline && isRequestedBy(combined, mention)) requestedDeadlines++;
		const found: FoundDate = {
			...mention,
			index: mention.index - offset,
			endIndex: mention.endIndex - offset,
			source: section,
		};
		const key = `${Date.parse(found.start)}|${found.allDay}`;
		if (seen.has(key)) {
			const earlier = dates.find((date) => `${Date.parse(date.start)}|${date.allDay}` === key);
			if (earlier && !earlier.end && found.end) earlier.end = found.end;
			if (deadline && earlier && !deadlines.includes(earlier)) deadlines.push(earlier);
			continue;
		}
		seen.add(key);
		dates.push(found);
		if (deadline) deadlines.push(found);
	}

	// An all-day mention of a day that is also mentioned with a time ("Tuesday" ... "Tuesday at 10:30") adds nothing.
	for (const list of [dates, deadlines]) {
		const timedDays = new Set(list.filter((date) => !date.allDay).map((date) => date.day));
		for (let index = list.length - 1; index >= 0; index--) {
			if (list[index].allDay && timedDays.has(list[index].day)) list.splice(index, 1);
		}
	}

	// Facts come from the whole body: a forwarded invoice's number is still the invoice's number.
	const factsText = `${message.subject}\n${message.text}`;
	const money = findMoney(factsText).map(({ amount, currency, text }) => ({ amount, currency, text }));
	const trackingNumbers = findTrackingNumbers(factsText);
	const invoiceNumber = findInvoiceNumber(factsText);
	const carrier = trackingNumbers[0]?.carrier ?? findCarrierName(factsText);
	const intents = classifyIntents({
		subject: message.subject,
		body: includeQuoted ? `${split.top}\n${quoted}` : split.top,
		quoted: includeQuoted ? '' : quoted,
		hasTrackingNumber: trackingNumbers.length > 0,
		hasCarrier: carrier !== null,
		hasInvoiceNumber: invoiceNumber !== null,
		hasMoney: money.length > 0,
		deadlineCount: deadlines.length,
		requestedDeadlineCount: requestedDeadlines,
		timedDateCount: dates.filter((date) => !date.allDay).length,
	});
	const has = (type: IntentType): boolean => intents.some((intent) => intent.type === type);

	const total = has('invoice') ? invoiceTotal(factsText) : null;
	const invoice = has('invoice')
		? {
				amount: total?.amount ?? null,
				currency: total?.currency ?? null,
				invoiceNumber,
				dueDate: deadlines[0]?.start ?? null,
			}
		: null;
	const shipping = has('shipping') || trackingNumbers.length > 0 ? { carrier, trackingNumbers } : null;
	const meeting = has('meeting')
		? {
				proposedTimes: dates.filter(
					(date) => !deadlines.includes(date) && Date.parse(date.start) >= referenceMs - 86400000,
				),
			}
		: null;

	return {
		subject: message.subject,
		from: message.from?.address ?? null,
		date: headerInstant !== undefined ? formatInZone(headerInstant, zone) : null,
		locale,
		timezone: { zone: label, offset: formatOffset(offsetAt(zone, referenceMs)), source },
		reference: formatInZone(referenceMs, zone),
		intent: intents[0]?.type ?? 'other',
		intents,
		dates,
		meeting,
		deadlines,
		invoice,
		shipping,
		amounts: money,
		links: findLinks(factsText),
		phones: findPhones(factsText),
		quoted: { kind: split.kind, included: includeQuoted },
		warnings,
	};
}
