// Sends the rules' analysis of a mail to an Ollama model for refinement (through the shared Ollama client, with
// the answer constrained by Ollama's `format` JSON schema) and merges the answer. The pure half (schema, prompt,
// checks, merge) is clients/email/parse/refine.ts.
import type { OllamaClient, OllamaErrorKind } from '../ollama';
import { OllamaError } from '../ollama';
import type { EmailAnalysis, EmailMessage, RefinedAnalysis } from './parse';
import { checkRefinement, mergeRefinement, REFINEMENT_SCHEMA, refinementMessages, rulesOnly } from './parse';

export interface RefineOptions {
	model: string;
	/** Default 0: the same mail gives the same answer. */
	temperature?: number;
	/** Ollama's num_ctx; the prompt (schema + mail + rules) needs room. Default 8192. */
	numCtx?: number;
	/** Body characters sent to the model. Default 6000. */
	maxBodyChars?: number;
	/** More attempts after an answer that is not valid JSON for the schema. Default 1. */
	retries?: number;
	/**
	 * 'rules' (default): when the model cannot give a usable answer (unreachable, timeout, server error,
	 * invalid JSON), return the rules' output with a warning. 'error': throw.
	 * A misconfiguration (model not pulled, access refused, bad request) and a cancelled run always throw.
	 */
	onFailure?: 'rules' | 'error';
}

/** Failures of the moment or of the model's answer, after which the rules' output is still a good answer. */
const FALLBACK_KINDS: OllamaErrorKind[] = ['unreachable', 'timeout', 'server', 'structuredOutput'];

export const DEFAULT_REFINE = { temperature: 0, numCtx: 8192, maxBodyChars: 6000, retries: 1 } as const;

/** The rules' analysis refined by the model, or (see `onFailure`) the rules' output with a warning. */
export async function refineWithOllama(
	client: OllamaClient,
	message: EmailMessage,
	analysis: EmailAnalysis,
	options: RefineOptions,
): Promise<RefinedAnalysis> {
	const started = Date.now();
	try {
		const result = await client.chatStructured(
			{
				model: options.model,
				messages: refinementMessages(message, analysis, options.maxBodyChars ?? DEFAULT_REFINE.maxBodyChars),
				options: {
					temperature: options.temperature ?? DEFAULT_REFINE.temperature,
					num_ctx: options.numCtx ?? DEFAULT_REFINE.numCtx,
				},
			},
			REFINEMENT_SCHEMA,
			options.retries ?? DEFAULT_REFINE.retries,
		);
		const checked = checkRefinement(result.data);
		if (!checked.ok) {
			// chatStructured validated against the same schema; this only guards against the two drifting apart.
			throw new OllamaError(
				'structuredOutput',
				`The model "${options.model}" answered: ${checked.problems.join('; ')}`,
				{
					model: options.model,
				},
			);
		}
		const refined = mergeRefinement(analysis, message, checked.facts, {
			model: result.model,
			attempts: result.attempts,
			durationMs: Date.now() - started,
		});
		for (const problem of checked.dropped) refined.warnings.push(`LLM refinement: ${problem}, ignored`);
		return refined;
	} catch (error) {
		const failure = error instanceof OllamaError ? error : undefined;
		if (!failure || (options.onFailure ?? 'rules') === 'error' || !FALLBACK_KINDS.includes(failure.kind)) {
			throw error;
		}
		const output = rulesOnly(analysis, {
			model: options.model,
			used: false,
			changes: [],
			error: failure.message,
			durationMs: Date.now() - started,
		});
		output.warnings = [
			...output.warnings,
			`LLM refinement failed, the rules' output is returned: ${failure.message}`,
		];
		return output;
	}
}
