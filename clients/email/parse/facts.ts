// Rule-based facts: invoices (amount, currency, number), shipping (carrier, tracking numbers), links, phone
// numbers. Deterministic regular expressions only; each fact carries the words it was read from.

export interface Money {
	amount: number;
	currency: string;
	text: string;
}

export interface TrackingNumber {
	carrier: string;
	number: string;
	url: string | null;
}

export interface Phone {
	text: string;
	/** Digits with a leading + when the number is international. */
	normalized: string;
}

const CURRENCY_SYMBOLS: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP', US$: 'USD', Fr: 'CHF' };
const CURRENCY_CODES = 'EUR|USD|GBP|CHF|CAD|AUD|SEK|NOK|DKK|PLN|CZK|JPY';
const NUMBER = String.raw`\d{1,3}(?:[.,'\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const MONEY = new RegExp(
	String.raw`(?<pre>US\$|[€$£]|\b(?:${CURRENCY_CODES})\b)\s?(?<a>${NUMBER})(?!\d)|(?<b>${NUMBER})\s?(?<post>[€$£]|\b(?:${CURRENCY_CODES})\b)`,
	'g',
);

/** "1.234,56" -> 1234.56, "1,234.56" -> 1234.56, "1 234,56" -> 1234.56, "45" -> 45. */
export function parseAmount(text: string): number {
	const compact = text.replace(/[\s']/g, '');
	const decimal = /[.,](\d{1,2})$/.exec(compact);
	if (decimal) {
		const whole = compact.slice(0, decimal.index).replace(/[.,]/g, '');
		return Number(`${whole}.${decimal[1]}`);
	}
	return Number(compact.replace(/[.,]/g, ''));
}

/** Every amount of money with a currency in the text. */
export function findMoney(text: string): Array<Money & { index: number }> {
	const found: Array<Money & { index: number }> = [];
	for (const match of text.matchAll(MONEY)) {
		const groups = match.groups ?? {};
		const symbol = (groups.pre ?? groups.post ?? '').trim();
		const number = groups.a ?? groups.b ?? '';
		const amount = parseAmount(number);
		if (!Number.isFinite(amount)) continue;
		found.push({
			amount,
			currency: CURRENCY_SYMBOLS[symbol] ?? symbol.toUpperCase(),
			text: match[0].trim(),
			index: match.index ?? 0,
		});
	}
	return found;
}

const TOTAL_LABEL =
	/(?:total|amount due|balance due|amount payable|grand total|to pay|gesamtbetrag|rechnungsbetrag|endbetrag|zu zahlen|zahlbetrag|summe|brutto|montant|total ttc|net à payer|à payer)[^\n\d€$£]{0,30}$/i;

/** The amount an invoice asks for: the one labelled total / amount due, else the largest. */
export function invoiceTotal(text: string): Money | null {
	const money = findMoney(text);
	if (money.length === 0) return null;
	const labelled = money.filter((entry) =>
		TOTAL_LABEL.test(text.slice(Math.max(0, entry.index - 60), entry.index)),
	);
	const pool = labelled.length > 0 ? labelled : money;
	const best =
		labelled.length > 0 ? pool[pool.length - 1] : pool.reduce((a, b) => (b.amount > a.amount ? b : a));
	return { amount: best.amount, currency: best.currency, text: best.text };
}

const INVOICE_NUMBER =
	/\b(?:invoice|inv|receipt|rechnung|rechnungs|facture|bill)[\s-]*(?:no\.?|number|nr\.?|nummer|n°|num(?:éro)?\.?|#|id)?\s*[:#.]?\s*(?<id>[A-Z0-9][A-Z0-9\-/_.]{2,30}[A-Z0-9])/gi;

/** The invoice number ("Invoice No. INV-2025-0042", "Rechnungsnummer: RE-12345", "Facture n° F2025/118"). */
export function findInvoiceNumber(text: string): string | null {
	for (const match of text.matchAll(INVOICE_NUMBER)) {
		const id = match.groups?.id ?? '';
		if (/\d/.test(id) && !/^\d{1,2}[./]\d{1,2}[./]\d{2,4}$/.test(id)) return id;
	}
	return null;
}

interface CarrierRule {
	carrier: string;
	pattern: RegExp;
	/** Patterns too generic to trust without the carrier's name nearby. */
	needsName?: RegExp;
	url: (number: string) => string;
}

const CARRIERS: CarrierRule[] = [
	{ carrier: 'UPS', pattern: /\b1Z[0-9A-Z]{16}\b/g, url: (n) => `https://www.ups.com/track?tracknum=${n}` },
	{
		carrier: 'Amazon Logistics',
		pattern: /\bTBA\d{12}\b/g,
		url: (n) => `https://track.amazon.com/tracking/${n}`,
	},
	{
		carrier: 'USPS',
		pattern: /\b9[2345]\d{20}\b|\b[A-Z]{2}\d{9}US\b/g,
		url: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
	},
	{
		carrier: 'Royal Mail',
		pattern: /\b[A-Z]{2}\d{9}GB\b/g,
		url: (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}`,
	},
	{
		carrier: 'Deutsche Post',
		pattern: /\b[A-Z]{2}\d{9}DE\b/g,
		url: (n) => `https://www.deutschepost.de/de/s/sendungsverfolgung.html?piececode=${n}`,
	},
	{
		carrier: 'La Poste',
		pattern: /\b[A-Z]{2}\d{9}FR\b|\b\d[A-Z]\d{11}\b/g,
		url: (n) => `https://www.laposte.fr/outils/suivre-vos-envois?code=${n}`,
	},
	{
		carrier: 'DHL',
		pattern: /\bJJD\d{18,20}\b|\bJVGL\d{10,20}\b|\b00340\d{15}\b|\bGM\d{16,18}\b/g,
		url: (n) => `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${n}`,
	},
	{
		carrier: 'Hermes',
		pattern: /\bH\d{19,20}\b/g,
		url: (n) => `https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation/#${n}`,
	},
	{
		carrier: 'DHL',
		pattern: /\b\d{10}\b|\b\d{12}\b|\b\d{20}\b/g,
		needsName: /\bDHL\b/i,
		url: (n) => `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${n}`,
	},
	{
		carrier: 'FedEx',
		pattern: /\b\d{12}\b|\b\d{15}\b|\b\d{20}\b/g,
		needsName: /\bFed ?Ex\b/i,
		url: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
	},
	{
		carrier: 'DPD',
		pattern: /\b0\d{13}\b|\b\d{14}\b/g,
		needsName: /\bDPD\b/i,
		url: (n) => `https://tracking.dpd.de/status/de_DE/parcel/${n}`,
	},
	{
		carrier: 'Hermes',
		pattern: /\b\d{14}\b|\b\d{16}\b/g,
		needsName: /\bHermes\b/i,
		url: (n) => `https://www.myhermes.de/empfangen/sendungsverfolgung/sendungsinformation/#${n}`,
	},
	{
		carrier: 'GLS',
		pattern: /\b\d{11,12}\b|\b[A-Z0-9]{8}\b(?=.*GLS)/g,
		needsName: /\bGLS\b/i,
		url: (n) => `https://gls-group.com/track/${n}`,
	},
];

/** Tracking numbers by the carriers' number formats; generic digit runs only when the carrier is named. */
export function findTrackingNumbers(text: string): TrackingNumber[] {
	const found = new Map<string, TrackingNumber>();
	// Numbers split into groups for readability ("1Z 999 AA1 01 2345 6784") are joined before matching.
	const variants = [text, text.replace(/(?<=\b[0-9A-Z]{2,6}) (?=[0-9A-Z]{2,6}\b)/g, '')];
	for (const rule of CARRIERS) {
		for (const variant of variants) {
			if (rule.needsName && !rule.needsName.test(variant)) continue;
			for (const match of variant.matchAll(rule.pattern)) {
				const number = match[0];
				if (rule.needsName && !nearTrackingWords(variant, match.index ?? 0)) continue;
				if (![...found.keys()].some((known) => known.includes(number) || number.includes(known)))
					found.set(number, { carrier: rule.carrier, number, url: rule.url(number) });
			}
		}
	}
	return [...found.values()];
}

const TRACKING_WORDS =
	/tracking|track|sendungs|paket|parcel|package|shipment|suivi|colis|numéro|sendung|waybill|airway|awb|number|nummer/i;

function nearTrackingWords(text: string, index: number): boolean {
	return TRACKING_WORDS.test(text.slice(Math.max(0, index - 80), index));
}

const CARRIER_NAMES: Array<[RegExp, string]> = [
	[/\bUPS\b/, 'UPS'],
	[/\bDHL\b/i, 'DHL'],
	[/\bFed ?Ex\b/i, 'FedEx'],
	[/\bUSPS\b/i, 'USPS'],
	[/\bDPD\b/, 'DPD'],
	[/\bHermes\b/i, 'Hermes'],
	[/\bGLS\b/, 'GLS'],
	[/\bRoyal Mail\b/i, 'Royal Mail'],
	[/\bDeutsche Post\b/i, 'Deutsche Post'],
	[/\bColissimo|La Poste|Chronopost\b/i, 'La Poste'],
	[/\bAmazon Logistics\b/i, 'Amazon Logistics'],
];

/** The carrier a text names, if any. */
export function findCarrierName(text: string): string | null {
	for (const [pattern, carrier] of CARRIER_NAMES) if (pattern.test(text)) return carrier;
	return null;
}

const LINK = /\bhttps?:\/\/[^\s<>"'\])]+|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s<>"'\])]*/gi;

/** Distinct links (http, https, www.), trailing punctuation removed. */
export function findLinks(text: string): string[] {
	const links = new Set<string>();
	for (const match of text.matchAll(LINK)) links.add(match[0].replace(/[.,;:!?]+$/, ''));
	return [...links];
}

const INTERNATIONAL = /(?<![\w+/.-])(?:\+|00)[1-9]\d{0,2}(?:[\s./-]?\(?\d{1,5}\)?){2,6}(?![\w/-])/g;
const NORTH_AMERICAN = /(?<![\w+/.-])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w/-]|\.\d)/g;
const NATIONAL = /(?<![\w+/.-])0\d{1,5}(?:[\s/-]\d{2,8}){1,4}(?![\w/-]|\.\d)/g;
const PHONE_LABEL =
	/(?:tel|phone|mobile|mobil|handy|cell|call|fax|tél|téléphone|portable|ruf|☎|📞)[^\n\d]{0,12}$/i;

/** Phone numbers: international (+49 / 0049 ...), North American, and national ones after a phone label. */
export function findPhones(text: string): Phone[] {
	const phones = new Map<string, Phone>();
	const add = (raw: string): void => {
		const trimmed = raw.trim();
		const digits = trimmed.replace(/\D/g, '');
		if (digits.length < 7 || digits.length > 15) return;
		const normalized = trimmed.startsWith('+')
			? `+${digits}`
			: trimmed.startsWith('00')
				? `+${digits.slice(2)}`
				: digits;
		if (!phones.has(normalized)) phones.set(normalized, { text: trimmed, normalized });
	};
	for (const match of text.matchAll(INTERNATIONAL)) add(match[0]);
	for (const match of text.matchAll(NORTH_AMERICAN)) {
		if (
			PHONE_LABEL.test(text.slice(Math.max(0, (match.index ?? 0) - 30), match.index)) ||
			/\(/.test(match[0])
		)
			add(match[0]);
	}
	for (const match of text.matchAll(NATIONAL)) {
		if (PHONE_LABEL.test(text.slice(Math.max(0, (match.index ?? 0) - 30), match.index))) add(match[0]);
	}
	return [...phones.values()];
}
