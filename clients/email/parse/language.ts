import type { DateLocale } from './dates';

const STOPWORDS: Record<'en' | 'de' | 'fr', string[]> = {
	en: [
		'the',
		'and',
		'you',
		'your',
		'for',
		'with',
		'is',
		'are',
		'please',
		'will',
		'we',
		'to',
		'of',
		'thanks',
		'on',
		'at',
		'this',
		'that',
		'be',
		'hi',
		'hello',
		'regards',
		'has',
		'have',
		'our',
		'it',
	],
	de: [
		'der',
		'die',
		'das',
		'und',
		'ist',
		'sie',
		'ich',
		'wir',
		'nicht',
		'mit',
		'bitte',
		'für',
		'ihre',
		'uns',
		'ihr',
		'den',
		'dem',
		'zu',
		'auf',
		'im',
		'von',
		'sehr',
		'hallo',
		'grüße',
		'kommt',
		'wird',
		'ein',
		'eine',
		'wurde',
	],
	fr: [
		'le',
		'la',
		'les',
		'et',
		'est',
		'vous',
		'nous',
		'pour',
		'avec',
		'une',
		'des',
		'merci',
		'votre',
		'je',
		'du',
		'au',
		'sur',
		'vos',
		'bonjour',
		'cordialement',
		'sera',
		'sont',
	],
};

const sets = Object.fromEntries(
	Object.entries(STOPWORDS).map(([language, list]) => [language, new Set(list)]),
) as Record<'en' | 'de' | 'fr', Set<string>>;

// Domains whose senders write day-first English dates (12/03 = 12 March).
const DAY_FIRST_TLDS = /\.(?:uk|ie|au|nz|in|za)$/i;

/**
 * The locale a text is most likely written in (en, de, fr by stopword counts); English mail from a
 * day-first country's domain reads as en-GB.
 */
export function detectLocale(text: string, senderAddress?: string): DateLocale {
	const words = text.toLowerCase().match(/[a-zäöüßéèêàçùôî']+/g) ?? [];
	const counts = { en: 0, de: 0, fr: 0 };
	for (const word of words.slice(0, 400)) {
		for (const language of ['en', 'de', 'fr'] as const) if (sets[language].has(word)) counts[language]++;
		if (/[äöüß]/.test(word)) counts.de += 0.5;
		if (/[éèêàçù]/.test(word)) counts.fr += 0.5;
	}
	const best = (['en', 'de', 'fr'] as const).reduce((a, b) => (counts[b] > counts[a] ? b : a));
	if (best !== 'en') return best;
	const domain = senderAddress?.split('@')[1] ?? '';
	return DAY_FIRST_TLDS.test(domain) ? 'en-GB' : 'en';
}
