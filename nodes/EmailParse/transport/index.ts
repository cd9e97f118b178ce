import type { IExecuteFunctions } from 'n8n-workflow';

import type { RefineOptions } from '../../../clients/email/refine-with-ollama';
import { refineWithOllama } from '../../../clients/email/refine-with-ollama';
import type { EmailAnalysis, EmailMessage, RefinedAnalysis } from '../../../clients/email/parse';
import { ollamaClient, toNodeError } from '../../Ollama/transport';

// The only place Email Parse talks to the network: the optional LLM refinement, through the Ollama node's
// transport (one client, one credential type, the same error wording as the Ollama node).

export async function refine(
	this: IExecuteFunctions,
	itemIndex: number,
	message: EmailMessage,
	analysis: EmailAnalysis,
	options: RefineOptions & { timeoutMs: number },
): Promise<RefinedAnalysis> {
	const client = await ollamaClient.call(this, { timeoutMs: options.timeoutMs });
	try {
		return await refineWithOllama(client, message, analysis, options);
	} catch (error) {
		throw toNodeError(this.getNode(), error, itemIndex, client.baseUrl);
	}
}
