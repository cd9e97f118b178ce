// Splits an email body into the message the sender wrote and the history below it (a reply's quote or a
// forwarded message), so dates in old mails are not mistaken for new ones.

export type QuotedKind = 'reply' | 'forward';

export interface SplitBody {
	/** What the sender wrote on top. */
	top: string;
	/** The quoted or forwarded history ('' when there is none). */
	quoted: string;
	kind: QuotedKind | null;
}

const FORWARD_MARKERS = [
	/^-{2,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Message transféré|Message transfere)\s*-{2,}\s*$/i,
	/^(?:Begin forwarded message|Anfang der weitergeleiteten Nachricht|Début du message réexpédié)\s*:\s*$/i,
	/^-{2,}\s*(?:Forwarded|Fwd)\s*-{2,}\s*$/i,
];

const REPLY_MARKERS = [
	/^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$/i,
	/^On\s.{4,200}\swrote:\s*$/i,
	/^Am\s.{4,200}\sschrieb\s.{0,200}:\s*$/i,
	/^Le\s.{4,200}\sa écrit\s*:\s*$/i,
	/^_{20,}\s*$/,
];

// Outlook's header block: "From: ..." followed within a few lines by "Sent:" / "Date:" (and translations).
const OUTLOOK_FROM = /^\*?(?:From|Von|De)\s?:\*?\s/i;
const OUTLOOK_SENT = /^\*?(?:Sent|Date|Gesendet|Datum|Envoyé|Date)\s?:\*?\s/i;

/** Splits `text` at the first line that starts quoted history. */
export function splitQuoted(text: string): SplitBody {
	const lines = text.split('\n');
	let offset = 0;
	for (let index = 0; index < lines.length; index++) {
		const line = lines[index].trim();
		const joined = index + 1 < lines.length ? `${line} ${lines[index + 1].trim()}` : line;
		let kind: QuotedKind | null = null;
		if (FORWARD_MARKERS.some((pattern) => pattern.test(line))) kind = 'forward';
		else if (REPLY_MARKERS.some((pattern) => pattern.test(line) || pattern.test(joined))) kind = 'reply';
		else if (
			OUTLOOK_FROM.test(line) &&
			lines.slice(index + 1, index + 5).some((next) => OUTLOOK_SENT.test(next.trim()))
		)
			kind = 'reply';
		else if (line.startsWith('>') && lines.slice(index).filter((next) => next.startsWith('>')).length >= 1)
			kind = 'reply';
		if (kind && (index > 0 || kind === 'forward' || line.startsWith('>'))) {
			return { top: text.slice(0, offset).trimEnd(), quoted: text.slice(offset), kind };
		}
		offset += lines[index].length + 1;
	}
	return { top: text, quoted: '', kind: null };
}

const ATTRIBUTION = [
	...FORWARD_MARKERS,
	...REPLY_MARKERS,
	/^\*?(?:From|Von|De|Sent|Date|Gesendet|Datum|Envoyé|To|An|À|Cc|Subject|Betreff|Objet)\s?:\*?\s/i,
];

/**
 * The quoted history as text to read: quote markers ("> ") removed, and the attribution lines ("On ... wrote:",
 * "Sent: ...", "Date: ...") dropped, since their dates say when the old mail was sent, not when anything happens.
 */
export function quotedContent(quoted: string): string {
	return quoted
		.split('\n')
		.map((line) => line.replace(/^(?:\s*>)+ ?/, ''))
		.map((line) => (ATTRIBUTION.some((pattern) => pattern.test(line.trim())) ? '' : line))
		.join('\n');
}
