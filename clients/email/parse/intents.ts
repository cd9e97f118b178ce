// Intent classification by weighted cue words (en, de, fr) and by the facts found. Deterministic: the same mail
// always gets the same intents and confidences.

export type IntentType = 'meeting' | 'deadline' | 'invoice' | 'shipping';

export interface Intent {
	type: IntentType;
	/** 0..1, from the weight of the evidence. */
	confidence: number;
	/** The cues that were found, for explaining the decision. */
	evidence: string[];
}

interface Cue {
	pattern: RegExp;
	weight: number;
}

const CUES: Record<IntentType, Cue[]> = {
	meeting: [
		{
			pattern:
				/\b(?:meeting|meet|call|catch[- ]up|sync|appointment|reschedule|coffee|lunch|join|invite|invitation|calendar|availability|available|slot|zoom|teams|webex|google meet|demo|interview|workshop|session|join us|join the call)\b/gi,
			weight: 1,
		},
		{
			pattern:
				/\b(?:does .{1,30} work for you|would .{1,40} work|how about|are you free|can we (?:meet|talk|do|have)|could we (?:have|set up|meet)|let'?s (?:meet|have|talk)|schedule (?:a|an|the) (?:call|meeting|session))\b/gi,
			weight: 2,
		},
		{
			pattern:
				/\b(?:Termin|Besprechung|Treffen|treffen|Meeting|Telefonat|Videocall|Terminvorschlag|Zeit für|passt (?:es )?Ihnen|passt dir|Einladung)\w*/g,
			weight: 1,
		},
		{
			pattern:
				/\b(?:rendez-vous|réunion|rencontrer|disponible|disponibilités|créneau|visio|appel|entretien)\b/gi,
			weight: 1,
		},
	],
	invoice: [
		{
			pattern:
				/\b(?:invoice|receipt|payment|amount due|balance due|billing|bill|statement|instal?lment|pay(?:able)?|remit|remittance|IBAN|VAT|subtotal)\b/gi,
			weight: 1,
		},
		{
			pattern: /\b(?:Rechnung|Zahlung|zahlbar|Betrag|Überweisung|MwSt|USt|Mahnung|Gesamtbetrag)\w*/g,
			weight: 1,
		},
		{ pattern: /\b(?:facture|paiement|montant|TVA|règlement|à payer)\b/gi, weight: 1 },
	],
	shipping: [
		{
			pattern:
				/\b(?:shipped|shipping|shipment|dispatched|tracking|delivery|delivered|out for delivery|parcel|package|courier|carrier|on its way)\b/gi,
			weight: 1,
		},
		{
			pattern:
				/\b(?:Sendung|versandt|verschickt|Versand|Paket|Zustellung|zugestellt|Sendungsverfolgung|unterwegs)\w*/g,
			weight: 1,
		},
		{ pattern: /\b(?:colis|expédié|expédition|livraison|livré|suivi)\w*/gi, weight: 1 },
	],
	deadline: [
		{
			pattern:
				/\b(?:deadline|due|by (?:EOD|COB|end of)|no later than|latest by|until|submit|submission|reminder|overdue|expires?|expiring|cut-?off|asap|ends|runs out)\b/gi,
			weight: 1,
		},
		{ pattern: /\b(?:EOD|EOW|COB)\b/g, weight: 2 },
		{
			pattern:
				/\b(?:Frist|fällig|spätestens|bis (?:zum|spätestens)|Abgabe|einreichen|Erinnerung|läuft .{0,20}ab)\b/gi,
			weight: 1,
		},
		{ pattern: /(?:date limite|au plus tard|échéance|avant le|d'ici|rappel|rendre|expire)/gi, weight: 1 },
	],
};

export interface IntentEvidence {
	subject: string;
	body: string;
	/** Quoted or forwarded history: counts half. */
	quoted: string;
	hasTrackingNumber: boolean;
	hasCarrier: boolean;
	hasInvoiceNumber: boolean;
	hasMoney: boolean;
	/** Dates after a deadline cue ("by", "due", "bis", "avant"). */
	deadlineCount: number;
	/** Of those, dates in a sentence that asks for something ("Send the contract by Friday"): a deadline by itself. */
	requestedDeadlineCount?: number;
	/** Dates with a time of day in the message. */
	timedDateCount: number;
}

function score(type: IntentType, text: string, weight: number, evidence: string[]): number {
	let total = 0;
	for (const cue of CUES[type]) {
		const matches = text.match(cue.pattern) ?? [];
		// Repeating the same word adds little: first hit full weight, the next two half.
		matches.slice(0, 3).forEach((match, index) => {
			total += (index === 0 ? cue.weight : cue.weight / 2) * weight;
			if (!evidence.includes(match.toLowerCase())) evidence.push(match.toLowerCase());
		});
	}
	return total;
}

const confidenceOf = (points: number): number => Math.round((1 - Math.exp(-points / 3)) * 100) / 100;

/** Intents with confidence >= `threshold`, most confident first; on a tie the more specific (deadline last). */
export function classifyIntents(input: IntentEvidence, threshold = 0.4): Intent[] {
	const intents: Intent[] = [];
	for (const type of Object.keys(CUES) as IntentType[]) {
		const evidence: string[] = [];
		let points =
			score(type, input.subject, 2, evidence) +
			score(type, input.body, 1, evidence) +
			score(type, input.quoted, 0.5, evidence);
		switch (type) {
			case 'shipping':
				if (input.hasTrackingNumber) {
					points += 3;
					evidence.push('tracking number');
				}
				if (input.hasCarrier && points > 0) points += 1;
				break;
			case 'invoice':
				if (input.hasInvoiceNumber) {
					points += 2;
					evidence.push('invoice number');
				}
				if (input.hasMoney && points > 0) {
					points += 1.5;
					evidence.push('amount');
				}
				break;
			case 'deadline':
				if (input.deadlineCount > 0) {
					points += 1.5;
					evidence.push('date after a deadline cue');
				}
				if ((input.requestedDeadlineCount ?? 0) > 0) {
					points += 1.5;
					evidence.push('request with a date');
				}
				break;
			case 'meeting':
				if (input.timedDateCount > 0 && points > 0) {
					points += 1;
					evidence.push('time of day');
				}
				break;
		}
		const confidence = confidenceOf(points);
		if (confidence >= threshold) intents.push({ type, confidence, evidence });
	}
	return intents.sort((a, b) => b.confidence - a.confidence);
}
