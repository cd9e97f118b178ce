// Time zone arithmetic without the process's local zone: every conversion names its zone (an IANA name or a
// fixed UTC offset in minutes), so a server running in TZ=Pacific/Chatham parses exactly like one in UTC.

/** A zone to interpret wall-clock times in: an IANA name (DST-aware) or a fixed offset from UTC in minutes. */
export type Zone = { kind: 'iana'; name: string } | { kind: 'offset'; minutes: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(name: string): Intl.DateTimeFormat {
	let format = formatters.get(name);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone: name,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(name, format);
	}
	return format;
}

/** Whether `name` is an IANA time zone this runtime knows (e.g. Europe/Berlin). */
export function isValidZoneName(name: string): boolean {
	try {
		formatter(name);
		return true;
	} catch {
		return false;
	}
}

// Offsets only change on quarter hours, so one lookup per zone and quarter hour is exact (Intl is slow).
const QUARTER_HOUR = 15 * 60000;
const offsetCache = new Map<string, number>();

/** The zone's offset from UTC in minutes at `instantMs` (east positive, +60 for CET). */
export function offsetAt(zone: Zone, instantMs: number): number {
	if (zone.kind === 'offset') return zone.minutes;
	const key = `${zone.name}|${Math.floor(instantMs / QUARTER_HOUR)}`;
	const cached = offsetCache.get(key);
	if (cached !== undefined) return cached;
	if (offsetCache.size > 10000) offsetCache.clear();
	const offset = lookupOffset(zone.name, instantMs);
	offsetCache.set(key, offset);
	return offset;
}

function lookupOffset(name: string, instantMs: number): number {
	const parts: Record<string, number> = {};
	for (const part of formatter(name).formatToParts(new Date(instantMs))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
	return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60000);
}

export interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/** The instant (ms since epoch) at which clocks in `zone` show `wall`. */
export function wallToInstant(wall: WallClock, zone: Zone): number {
	const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
	if (zone.kind === 'offset') return asUtc - zone.minutes * 60000;
	let guess = asUtc - offsetAt(zone, asUtc) * 60000;
	const corrected = asUtc - offsetAt(zone, guess) * 60000;
	if (corrected !== guess) guess = corrected;
	return guess;
}

/** The wall clock in `zone` at an instant. */
export function instantToWall(instantMs: number, zone: Zone): WallClock {
	const shifted = new Date(instantMs + offsetAt(zone, instantMs) * 60000);
	return {
		year: shifted.getUTCFullYear(),
		month: shifted.getUTCMonth() + 1,
		day: shifted.getUTCDate(),
		hour: shifted.getUTCHours(),
		minute: shifted.getUTCMinutes(),
		second: shifted.getUTCSeconds(),
	};
}

const pad = (value: number, width = 2): string => String(Math.abs(value)).padStart(width, '0');

/** "+01:00", "-05:00", "+05:45". */
export function formatOffset(minutes: number): string {
	const sign = minutes < 0 ? '-' : '+';
	return `${sign}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** ISO 8601 with the zone's offset at that instant: 2025-11-21T17:00:00+01:00. */
export function formatInZone(instantMs: number, zone: Zone): string {
	const wall = instantToWall(instantMs, zone);
	return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${formatOffset(offsetAt(zone, instantMs))}`;
}

/** YYYY-MM-DD of a wall clock. */
export function formatDay(wall: Pick<WallClock, 'year' | 'month' | 'day'>): string {
	return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

// RFC 5322 section 4.3 obsolete zone names, plus the few abbreviations real mailers still write.
const NAMED_OFFSETS: Record<string, number> = {
	UT: 0,
	UTC: 0,
	GMT: 0,
	Z: 0,
	EST: -300,
	EDT: -240,
	CST: -360,
	CDT: -300,
	MST: -420,
	MDT: -360,
	PST: -480,
	PDT: -420,
};

/**
 * The sender's UTC offset written in a Date header ("Thu, 20 Nov 2025 10:00:00 +0100", "... -0500 (EST)",
 * an ISO string "2025-11-20T10:00:00+01:00"), or undefined when it names none. "-0000" means "unknown" (RFC 5322
 * 3.3), as does an ISO "Z" that a JSON round-trip produced, so both give undefined.
 */
export function senderOffsetOf(dateHeader: string): number | undefined {
	const value = dateHeader.replace(/\([^)]*\)/g, ' ').trim();
	const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.exec(value);
	if (iso) {
		if (iso[1].toUpperCase() === 'Z') return undefined;
		return numericOffset(iso[1].replace(':', ''));
	}
	const numeric = /(?:\s|\d)([+-]\d{4})\s*$/.exec(value);
	if (numeric) return numeric[1] === '-0000' ? undefined : numericOffset(numeric[1]);
	const named = /\s([A-Z]{1,3})\s*$/i.exec(value);
	if (named) {
		const minutes = NAMED_OFFSETS[named[1].toUpperCase()];
		if (minutes !== undefined && named[1].toUpperCase() !== 'Z') return minutes;
	}
	return undefined;
}

function numericOffset(text: string): number | undefined {
	const sign = text.startsWith('-') ? -1 : 1;
	const hours = Number(text.slice(1, 3));
	const minutes = Number(text.slice(3, 5));
	if (hours > 14 || minutes > 59) return undefined;
	return sign * (hours * 60 + minutes);
}

function hasExplicitZone(value: string): boolean {
	return /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) || /\s(?:UT|UTC|GMT|[ECMP][SD]T)$/i.test(value);
}

/**
 * Parses a Date header or ISO string into an instant, or undefined when it is no date. A value without a zone
 * ("Thu, 20 Nov 2025 10:00:00") is read as a wall clock in `fallback`, never in the process's local zone.
 */
export function parseDateValue(value: string, fallback: Zone): number | undefined {
	const cleaned = value
		.replace(/\([^)]*\)/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		// Mailers that append a zone name after the offset ("+0100 CET").
		.replace(/([+-]\d{4})\s+[A-Z]{2,5}$/i, '$1');
	if (hasExplicitZone(cleaned)) {
		const ms = Date.parse(cleaned);
		return Number.isNaN(ms) ? undefined : ms;
	}
	const asUtc = Date.parse(/^\d{4}-\d{2}-\d{2}T/.test(cleaned) ? `${cleaned}Z` : `${cleaned} GMT`);
	if (Number.isNaN(asUtc)) return undefined;
	const wall = instantToWall(asUtc, { kind: 'offset', minutes: 0 });
	return wallToInstant(wall, fallback);
}
