import * as chrono from 'chrono-node';

import type { WallClock, Zone } from './timezone';
import { formatDay, formatInZone, instantToWall, offsetAt, wallToInstant } from './timezone';

export type DateLocale = 'en' | 'en-GB' | 'de' | 'fr';
export const DATE_LOCALES: DateLocale[] = ['en', 'en-GB', 'de', 'fr'];

/** One date or time found in a text. */
export interface DateMention {
	/** The words the date was read from. */
	text: string;
	/** Where in the searched text: `text.slice(index, endIndex)`. */
	index: number;
	endIndex: number;
	/** ISO 8601 with the zone's offset; local midnight for all-day dates. */
	start: string;
	/** End of a range ("2-3pm", "14 bis 15 Uhr"), else null. */
	end: string | null;
	/** No time of day was given ("3 Dec", "next Tuesday"). */
	allDay: boolean;
	/** YYYY-MM-DD in the zone. */
	day: string;
	/** HH:MM in the zone, null for all-day dates. */
	time: string | null;
	/** Relative to the reference ("tomorrow", "in two weeks", "next Tuesday") rather than a calendar date. */
	relative: boolean;
}

export interface DateOptions {
	/** The instant phrases like "tomorrow" are relative to (the email's Date header). */
	reference: Date;
	/** The zone wall-clock times are read in. */
	zone: Zone;
	locale: DateLocale;
	/** Prefer the future for ambiguous dates ("Friday" on a Saturday is the next Friday). */
	forwardDate: boolean;
}

type Components = { [c in chrono.Component]?: number };

/** Hour that "EOD" / "close of business" means. */
export const END_OF_DAY_HOUR = 17;

function endOfDayParser(pattern: RegExp): chrono.Parser {
	return {
		pattern: () => pattern,
		extract: (): Components => ({ hour: END_OF_DAY_HOUR, minute: 0, second: 0 }),
	};
}

function endOfWeekParser(pattern: RegExp): chrono.Parser {
	return {
		pattern: () => pattern,
		extract: (context) => {
			const date = context.reference.getDateWithAdjustedTimezone();
			const toFriday = (5 - date.getDay() + 7) % 7;
			date.setDate(date.getDate() + toFriday);
			return {
				year: date.getFullYear(),
				month: date.getMonth() + 1,
				day: date.getDate(),
				hour: END_OF_DAY_HOUR,
				minute: 0,
			};
		},
	};
}

function endOfMonthParser(pattern: RegExp): chrono.Parser {
	return {
		pattern: () => pattern,
		extract: (context) => {
			const date = context.reference.getDateWithAdjustedTimezone();
			const last = new Date(date.getFullYear(), date.getMonth() + 1, 0);
			return { year: last.getFullYear(), month: last.getMonth() + 1, day: last.getDate() };
		},
	};
}

// Phrases chrono does not know. Patterns start with a boundary group like chrono's own ones.
const EXTRA_PARSERS: Record<'en' | 'de' | 'fr', chrono.Parser[]> = {
	en: [
		endOfDayParser(/\b(?:EOD|COB|EOB|end of (?:the )?(?:business )?day|close of business)\b/i),
		endOfWeekParser(/\b(?:EOW|end of (?:the |this )?(?:work(?:ing)? )?week)\b/i),
		endOfMonthParser(/\b(?:EOM|end of (?:the |this )?month)\b/i),
	],
	de: [
		endOfDayParser(/\b(?:Dienstschluss|Feierabend|Geschäftsschluss|Tagesende|Ende des (?:Arbeits)?tages)\b/i),
		endOfWeekParser(/\b(?:Ende (?:der|dieser) Woche|Wochenende)\b/i),
		endOfMonthParser(/\b(?:Monatsende|Ende (?:des|dieses) Monats)\b/i),
	],
	fr: [
		endOfDayParser(/(?:^|\s)(fin de (?:la )?journée)\b/i),
		endOfWeekParser(/(?:^|\s)(fin de (?:la |cette )?semaine)\b/i),
		endOfMonthParser(/(?:^|\s)(fin (?:du|de ce) mois)\b/i),
	],
};

function build(base: chrono.Chrono, extra: chrono.Parser[]): chrono.Chrono {
	const parser = base.clone();
	parser.parsers.push(...extra);
	return parser;
}

const parsers: Record<DateLocale, chrono.Chrono> = {
	en: build(chrono.casual, EXTRA_PARSERS.en),
	'en-GB': build(chrono.en.GB, EXTRA_PARSERS.en),
	de: build(chrono.de.casual, EXTRA_PARSERS.de),
	fr: build(chrono.fr.casual, EXTRA_PARSERS.fr),
};

// Words chrono reads as "the reference instant" that say nothing about when something happens.
const NOISE = /^(?:now|right now|jetzt|maintenant|heute|today|aujourd'hui)$/i;

function wallOf(components: chrono.ParsedComponents): WallClock {
	return {
		year: components.get('year') ?? 1970,
		month: components.get('month') ?? 1,
		day: components.get('day') ?? 1,
		hour: components.get('hour') ?? 0,
		minute: components.get('minute') ?? 0,
		second: components.get('second') ?? 0,
	};
}

function instantOf(components: chrono.ParsedComponents, zone: Zone, allDay: boolean): number {
	const wall = wallOf(components);
	if (allDay) return wallToInstant({ ...wall, hour: 0, minute: 0, second: 0 }, zone);
	// A zone written in the text ("15:00 CET", "3pm EST") wins over the reference zone.
	if (components.isCertain('timezoneOffset')) {
		const offset = components.get('timezoneOffset') ?? 0;
		return wallToInstant(wall, { kind: 'offset', minutes: offset });
	}
	return wallToInstant(wall, zone);
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}

/**
 * Every date and time in `text`, read with chrono-node in the given locale, relative to `reference`, with
 * wall-clock times in `zone`. The result never depends on the process's local time zone: chrono is given the
 * zone's offset, and instants are computed here from the components chrono found.
 */
export function extractDates(text: string, options: DateOptions): DateMention[] {
	const { reference, zone } = options;
	const parser = parsers[options.locale];
	const results = parser.parse(
		text,
		{ instant: reference, timezone: offsetAt(zone, reference.getTime()) },
		{ forwardDate: options.forwardDate },
	);
	const mentions: DateMention[] = [];
	for (const result of results) {
		const phrase = result.text.trim();
		if (NOISE.test(phrase) && !result.end) continue;
		const start = result.start;
		const allDay = !start.isCertain('hour');
		const startMs = instantOf(start, zone, allDay);
		if (Number.isNaN(startMs)) continue;
		const endMs = result.end ? instantOf(result.end, zone, allDay) : undefined;
		const local = allDay ? wallOf(start) : instantToWall(startMs, zone);
		const relative =
			!start.isCertain('month') ||
			!/\d/.test(phrase) ||
			[...result.tags()].some((tag) => /relative|casual/i.test(tag));
		mentions.push({
			text: phrase,
			index: result.index + result.text.indexOf(phrase),
			endIndex: result.index + result.text.indexOf(phrase) + phrase.length,
			start: formatInZone(startMs, zone),
			end: endMs !== undefined && !Number.isNaN(endMs) ? formatInZone(endMs, zone) : null,
			allDay,
			day: formatDay(local),
			time: allDay ? null : `${pad(local.hour)}:${pad(local.minute)}`,
			relative,
		});
	}
	return mentions;
}

/** Raw chrono-node over the same text, for comparisons (bench): no zone handling, no extra phrases. */
export function rawChrono(text: string, reference: Date, locale: DateLocale): chrono.ParsedResult[] {
	const base = { en: chrono.casual, 'en-GB': chrono.en.GB, de: chrono.de.casual, fr: chrono.fr.casual }[
		locale
	];
	return base.parse(text, reference);
}
