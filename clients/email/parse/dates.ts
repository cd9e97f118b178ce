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
		extract: (context, match) => {
			const date = context.reference.getDateWithAdjustedTimezone();
			const toFriday = (5 - date.getDay() + 7) % 7;
			const nextWeek = /next|nächste|prochaine/i.test(match[0]) ? 7 : 0;
			date.setDate(date.getDate() + toFriday + nextWeek);
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

/** German "24.11." (day and month, no year): the year closest to the reference, or the next one forward. */
function germanDayMonthParser(): chrono.Parser {
	return {
		pattern: () => /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(?![\d])/,
		extract: (context, match) => {
			const day = Number(match[1]);
			const month = Number(match[2]);
			if (day < 1 || day > 31 || month < 1 || month > 12) return null;
			const ref = context.reference.getDateWithAdjustedTimezone();
			let year = ref.getFullYear();
			const candidate = new Date(year, month - 1, day);
			const halfYear = 183 * 86400000;
			if (candidate.getTime() < ref.getTime() - halfYear) year++;
			else if (candidate.getTime() > ref.getTime() + halfYear) year--;
			if (context.option.forwardDate && new Date(year, month - 1, day + 1).getTime() < ref.getTime()) year++;
			const components = context.createParsingComponents({ day, month });
			components.imply('year', year);
			return components;
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

type Meridiem = 'am' | 'pm' | undefined;

function hourOf(hour: number, meridiem: Meridiem): number {
	if (meridiem === 'pm' && hour < 12) return hour + 12;
	if (meridiem === 'am' && hour === 12) return 0;
	return hour;
}

/**
 * "between 9 and 11am", "zwischen 10:30 und 13:00 Uhr", "entre 9h et 13h": one time range (chrono reads the
 * second time as a separate time, or misreads "9h et").
 */
function timeRangeParser(pattern: RegExp): chrono.Parser {
	return {
		pattern: () => pattern,
		extract: (context, match) => {
			const groups = match.groups ?? {};
			const endMeridiem = groups.m2?.toLowerCase().replace(/\./g, '') as Meridiem;
			let startMeridiem = groups.m1?.toLowerCase().replace(/\./g, '') as Meridiem;
			const h1 = Number(groups.h1);
			const h2 = Number(groups.h2);
			if (!startMeridiem && endMeridiem) startMeridiem = h1 <= h2 ? endMeridiem : 'am';
			const startHour = hourOf(h1, startMeridiem);
			const endHour = hourOf(h2, endMeridiem);
			if (startHour > 23 || endHour > 23) return null;
			const text = match[0].trimStart();
			const index = (match.index ?? 0) + match[0].length - text.length;
			return context.createParsingResult(
				index,
				text,
				{ hour: startHour, minute: Number(groups.n1 ?? 0) },
				{ hour: endHour, minute: Number(groups.n2 ?? 0) },
			);
		},
	};
}

const AMPM = String.raw`\s*(?:(?<m1>am|pm|a\.m\.|p\.m\.))?`;
const RANGE_EN = new RegExp(
	String.raw`\bbetween\s+(?<h1>\d{1,2})(?:[:.](?<n1>\d{2}))?${AMPM}\s+and\s+(?<h2>\d{1,2})(?:[:.](?<n2>\d{2}))?\s*(?<m2>am|pm|a\.m\.|p\.m\.)?`,
	'i',
);
const RANGE_DE =
	/\bzwischen\s+(?<h1>\d{1,2})(?:[:.](?<n1>\d{2}))?(?:\s*Uhr)?\s+und\s+(?<h2>\d{1,2})(?:[:.](?<n2>\d{2}))?\s*Uhr/i;
const RANGE_FR =
	/(?:^|\s)entre\s+(?<h1>\d{1,2})\s*h\s*(?<n1>\d{2})?\s+et\s+(?<h2>\d{1,2})\s*h\s*(?<n2>\d{2})?/i;

// Phrases chrono does not know. Patterns start with a boundary group like chrono's own ones.
const EXTRA_PARSERS: Record<'en' | 'de' | 'fr', chrono.Parser[]> = {
	en: [
		timeRangeParser(RANGE_EN),
		endOfDayParser(/\b(?:EOD|COB|EOB|end of (?:the )?(?:business )?day|close of business)\b/i),
		endOfWeekParser(/\b(?:EOW|end of (?:the |this |next )?(?:work(?:ing)? )?week)\b/i),
		endOfMonthParser(/\b(?:EOM|end of (?:the |this )?month)\b/i),
	],
	de: [
		timeRangeParser(RANGE_DE),
		endOfDayParser(/\b(?:Dienstschluss|Feierabend|Geschäftsschluss|Tagesende|Ende des (?:Arbeits)?tages)\b/i),
		endOfWeekParser(/\b(?:Ende (?:der|dieser|nächster|der nächsten) Woche)\b/i),
		germanDayMonthParser(),
		endOfMonthParser(/\b(?:Monatsende|Ende (?:des|dieses) Monats)\b/i),
	],
	fr: [
		timeRangeParser(RANGE_FR),
		endOfDayParser(/(?:^|\s)(fin de (?:la )?journée)\b/i),
		endOfWeekParser(/(?:^|\s)(fin de (?:la |cette )?semaine(?: prochaine)?)\b/i),
		endOfMonthParser(/(?:^|\s)(fin (?:du|de ce) mois)\b/i),
	],
};

// Zone abbreviations that are everyday words of the language: chrono reads any 2-4 letters after a time as a
// zone, case-insensitively, so "um 17 Uhr ist das Meeting" became 17:00 India time and "à 17h est prévu" 17:00 New
// York time. In these languages those words never name a zone, whatever their case; any other abbreviation
// counts only written in capitals ("17 Uhr MEZ", "17h CET"), as zones are written.
const ORDINARY_WORDS: Record<'de' | 'fr', ReadonlySet<string>> = {
	de: new Set(['IST', 'AST']),
	fr: new Set(['EST', 'ET', 'ART']),
};
const TRAILING_ZONE = /\s*,?\s*\(?([A-Za-z]{2,4})\)?$/;

/** Drops a zone chrono took from an ordinary word after a time: the time is then read in the message's zone. */
function zoneWordsRefiner(words: ReadonlySet<string>): chrono.Refiner {
	return {
		refine: (_context, results) => {
			for (const result of results) {
				if (!result.start.isCertain('timezoneOffset')) continue;
				const match = TRAILING_ZONE.exec(result.text);
				const word = match?.[1];
				if (!match || !word || (!words.has(word.toUpperCase()) && word === word.toUpperCase())) continue;
				result.text = result.text.slice(0, match.index);
				result.start.delete('timezoneOffset');
				result.end?.delete('timezoneOffset');
			}
			return results;
		},
	};
}

function build(base: chrono.Chrono, extra: chrono.Parser[], zoneWords?: ReadonlySet<string>): chrono.Chrono {
	const parser = base.clone();
	parser.parsers.push(...extra);
	if (zoneWords) parser.refiners.push(zoneWordsRefiner(zoneWords));
	return parser;
}

const parsers: Record<DateLocale, chrono.Chrono> = {
	en: build(chrono.casual, EXTRA_PARSERS.en),
	'en-GB': build(chrono.en.GB, EXTRA_PARSERS.en),
	de: build(chrono.de.casual, EXTRA_PARSERS.de, ORDINARY_WORDS.de),
	fr: build(chrono.fr.casual, EXTRA_PARSERS.fr, ORDINARY_WORDS.fr),
};

// Words chrono reads as "the reference instant" that say nothing about when something happens.
const NOISE = /^(?:now|right now|jetzt|maintenant|heute|today|aujourd'hui)$/i;
// Vague periods ("next week") and bare durations ("30 days") are not dates.
const VAGUE =
	/^(?:(?:this|next|last) (?:week|month|year)|(?:nächste|diese|letzte)[nr]? (?:Woche|Monat|Jahr)|(?:la |le )?(?:semaine|mois|année) (?:prochaine?|dernière?)|(?:cette|ce) (?:semaine|mois|année)|\d+ (?:days?|weeks?|months?|Tage?n?|Wochen?|jours|semaines))$/i;
// A time-only result must look like a time: "3pm", "10:30", "9 Uhr", "14h", "noon"; not a bare "at 3" or "von 14".
const TIME_WORD =
	/\d:\d\d|\d\s*(?:am|pm|a\.m\.|p\.m\.|uhr|h\b|h\d)|\bnoon|midnight|mittag|midi|minuit|EOD|COB|EOB|end of|close of|Feierabend|Dienstschluss|fin de/i;

type Day = Pick<WallClock, 'year' | 'month' | 'day'>;

function wallOf(components: chrono.ParsedComponents, day?: Day): WallClock {
	return {
		year: day?.year ?? components.get('year') ?? 1970,
		month: day?.month ?? components.get('month') ?? 1,
		day: day?.day ?? components.get('day') ?? 1,
		hour: components.get('hour') ?? 0,
		minute: components.get('minute') ?? 0,
		second: components.get('second') ?? 0,
	};
}

function instantOf(components: chrono.ParsedComponents, zone: Zone, allDay: boolean, day?: Day): number {
	const wall = wallOf(components, day);
	if (allDay) return wallToInstant({ ...wall, hour: 0, minute: 0, second: 0 }, zone);
	// A zone written in the text ("15:00 CET", "3pm EST") wins over the reference zone.
	if (components.isCertain('timezoneOffset')) {
		const offset = components.get('timezoneOffset') ?? 0;
		return wallToInstant(wall, { kind: 'offset', minutes: offset });
	}
	return wallToInstant(wall, zone);
}

function inSameParagraph(text: string, from: number, to: number): boolean {
	return to - from <= 120 && !/\n\s*\n/.test(text.slice(from, to));
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
	// List bullets ("- Monday ...") would read as "to" between two dates: make them bullets of the same length.
	const searchable = text.replace(/^([ \t]*)[-*]([ \t])/gm, '$1\u2022$2');
	const results = parser.parse(
		searchable,
		{ instant: reference, timezone: offsetAt(zone, reference.getTime()) },
		{ forwardDate: options.forwardDate },
	);
	const mentions: DateMention[] = [];
	let previousDated: { endIndex: number; wall: WallClock } | undefined;
	const isTimeOnly = (result: chrono.ParsedResult): boolean =>
		!['day', 'weekday', 'month', 'year'].some((c) => result.start.isCertain(c as chrono.Component));
	for (let position = 0; position < results.length; position++) {
		const result = results[position];
		const phrase = result.text.trim();
		// "EOD Friday", "COB on Monday": a time followed by its date.
		const next = results[position + 1];
		let followingDay: Day | undefined;
		if (
			next &&
			isTimeOnly(result) &&
			!isTimeOnly(next) &&
			!next.start.isCertain('hour') &&
			/^[\s,]*(?:on|am|le)?\s*$/i.test(text.slice(result.index + result.text.length, next.index))
		) {
			followingDay = wallOf(next.start);
			position++;
		}
		if (VAGUE.test(phrase)) continue;
		const start = result.start;
		if (NOISE.test(phrase) && !result.end) {
			// Not reported, but a time right after it ("heute zwischen 10:30 und 13:00 Uhr") is on that day.
			previousDated = { endIndex: result.index + result.text.length, wall: wallOf(start) };
			continue;
		}
		// A month alone ("in November") is a period, not a date.
		if (start.isCertain('month') && !start.isCertain('day') && !start.isCertain('weekday')) continue;
		let day: Day | undefined = followingDay;
		const timeOnly = isTimeOnly(result) && !followingDay;
		const relativeTime = [...result.tags()].some((tag) => /relative/i.test(tag));
		if (timeOnly && !relativeTime && !TIME_WORD.test(phrase)) continue;
		// A time on its own ("from 10:00 to 12:00") belongs to the date mentioned just before it in the paragraph.
		if (
			timeOnly &&
			!relativeTime &&
			previousDated &&
			inSameParagraph(text, previousDated.endIndex, result.index)
		) {
			day = previousDated.wall;
		}
		const allDay = !start.isCertain('hour');
		const startMs = instantOf(start, zone, allDay, day);
		if (Number.isNaN(startMs)) continue;
		const endMs = result.end ? instantOf(result.end, zone, allDay, day) : undefined;
		const local = allDay ? wallOf(start, day) : instantToWall(startMs, zone);
		const relative =
			!start.isCertain('month') ||
			!/\d/.test(phrase) ||
			[...result.tags()].some((tag) => /relative|casual/i.test(tag));
		if (!timeOnly) previousDated = { endIndex: result.index + result.text.length, wall: local };
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
