// Email parsing without network: raw RFC 822 (mailparser) or text in, dated and classified facts out.
// Pure functions with no n8n types, shared by the Email Parse node and the IMAP trigger.
export { analyzeEmail } from './analyze';
export type { AnalyzeOptions, DateSource, EmailAnalysis, FoundDate } from './analyze';
export { DATE_LOCALES, END_OF_DAY_HOUR, extractDates, rawChrono } from './dates';
export type { DateLocale, DateMention, DateOptions } from './dates';
export {
	findInvoiceNumber,
	findLinks,
	findMoney,
	findPhones,
	findTrackingNumbers,
	parseAmount,
} from './facts';
export type { Money, Phone, TrackingNumber } from './facts';
export { classifyIntents } from './intents';
export type { Intent, IntentType } from './intents';
export { detectLocale } from './language';
export { EmailParseError, emptyMessage, htmlToText, looksLikeRfc822, parseRawMessage } from './message';
export type { EmailMessage, RawMessageOptions } from './message';
export { splitQuoted } from './quoted';
export type { QuotedKind, SplitBody } from './quoted';
export * from './timezone';
export {
	checkRefinement,
	ISO_WITH_OFFSET,
	mergeRefinement,
	REFINEMENT_SCHEMA,
	refinementMessages,
	rulesOnly,
} from './refine';
export type {
	FactSource,
	LlmDate,
	LlmFacts,
	RefinedAnalysis,
	RefinedDate,
	Refinement,
	RefinementCheck,
} from './refine';
