// Values for the backend API fuzz test: a seeded random source (the same seed gives the same inputs), hostile
// strings and numbers, deep nesting and byte-level mutation of a valid body.

/** mulberry32: small, fast, and the same sequence for the same seed on every machine */
export class Random {
	private state: number;

	constructor(readonly seed: number) {
		this.state = seed >>> 0;
	}

	/** in [0, 1) */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** in [0, below) */
	int(below: number): number {
		return Math.floor(this.next() * below);
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(list: readonly T[]): T {
		return list[this.int(list.length)];
	}

	/** a random JSON value of hostile strings and numbers, nested up to `depth` */
	value(depth: number): unknown {
		const kind = this.int(depth > 0 ? 7 : 5);
		if (kind === 0) return this.pick(HOSTILE_STRINGS);
		if (kind === 1) return this.pick(HOSTILE_NUMBERS);
		if (kind === 2) return this.pick([true, false, null]);
		if (kind === 3) return this.pick(HOSTILE_STRINGS).repeat(1 + this.int(50));
		if (kind === 4) return this.int(1000);
		if (kind === 5) return Array.from({ length: this.int(5) }, () => this.value(depth - 1));
		return this.object(depth - 1);
	}

	object(depth: number): Record<string, unknown> {
		const object: Record<string, unknown> = {};
		for (let i = this.int(5); i > 0; i--) object[this.pick(KEYS)] = this.value(depth);
		return object;
	}
}

export const HOSTILE_STRINGS: readonly string[] = [
	'',
	' ',
	'\u0000',
	'a\u0000b',
	'%00',
	'\ud800',
	'\udfff',
	'\ufeff',
	'\u202e',
	'\u{1f4a5}',
	'../../etc/passwd',
	'..\\..\\windows',
	'/proc/self/environ',
	"' OR 1=1 --",
	'"; DROP TABLE jobs; --',
	'$(id)',
	'`id`',
	'${HOMELAB_BACKEND_TOKEN}',
	'{{$credentials.token}}',
	'__proto__',
	'constructor',
	'toString',
	'<script>alert(1)</script>',
	'\r\nX-Injected: 1',
	'1e3',
	'0x10',
	'-1',
	'NaN',
	'Infinity',
	'9'.repeat(40),
	'2026-02-30T25:61:61Z',
	'queued',
	'failed',
	'selftest',
	'http://169.254.169.254/',
	'x'.repeat(300),
];

export const HOSTILE_NUMBERS: readonly number[] = [
	0,
	-1,
	-0,
	1.5,
	1e21,
	2 ** 53,
	-(2 ** 53),
	Number.MAX_VALUE,
	Number.MIN_VALUE,
	999_999_999_999,
];

const KEYS: readonly string[] = [
	'steps',
	'sleepMs',
	'echo',
	'node',
	'template',
	'name',
	'cloudInit',
	'host',
	'project',
	'compose',
	'env',
	'guests',
	'storage',
	'__proto__',
	'constructor',
	'a\u0000b',
	'',
	'\ud800',
	'password',
];

/** `depth` objects nested inside each other, as text (no recursion: deep enough to break a recursive reader) */
export function deepObjects(depth: number): unknown {
	return JSON.parse(`${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`);
}

/** `depth` arrays nested inside each other, as JSON text */
export function deepArrays(depth: number): string {
	return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

const INSERTS = [
	'\u0000',
	'"',
	'{',
	'}',
	'[',
	']',
	',',
	':',
	'\\',
	'\u00ff',
	'\ud800',
	'\n',
	'e',
	'-',
	'0',
	'\\u0000',
];

/** a valid body with 1-3 random edits: characters deleted, inserted or repeated, or the text cut short; sometimes
 * bytes that are not UTF-8 */
export function mutate(random: Random, text: string): Buffer {
	let out = text;
	for (let edits = 1 + random.int(3); edits > 0; edits--) {
		const at = random.int(out.length + 1);
		const op = random.int(5);
		if (op === 0) out = out.slice(0, at) + out.slice(at + 1 + random.int(4));
		else if (op === 1) out = out.slice(0, at) + random.pick(INSERTS) + out.slice(at);
		else if (op === 2)
			out = out.slice(0, at) + out.slice(at, at + 8).repeat(2 + random.int(3)) + out.slice(at);
		else if (op === 3) out = out.slice(0, at);
		else out = out.slice(0, at) + String.fromCharCode(random.int(0x80)) + out.slice(at + 1);
	}
	const bytes = Buffer.from(out, 'utf8');
	if (!random.chance(0.1)) return bytes;
	const at = random.int(bytes.length + 1);
	return Buffer.concat([
		bytes.subarray(0, at),
		Buffer.from([random.pick([0xc0, 0xff, 0xfe, 0x80, 0xed])]),
		bytes.subarray(at),
	]);
}
