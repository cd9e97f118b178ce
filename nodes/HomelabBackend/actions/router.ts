import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';

import { runPerItem } from '../../shared/per-item';
import { unknownOperation } from '../../shared/router';
import { backendRequest } from '../transport/api';
import * as job from './job';
import { submitBody } from './job/common';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

const operations: Record<string, OperationExecute> = {
	submit: job.submit.execute,
	get: job.get.execute,
	list: job.list.execute,
	cancel: job.cancel.execute,
};

/**
 * "Submit and Wait" works like n8n's Wait node on "On Webhook Call": the job is submitted with this
 * execution's signed resume URL as its callback, the execution waits, and the backend's POST to that URL
 * (when the job ends) resumes it through this node's webhook, which outputs the finished job.
 * One job per execution: only the first input item is submitted.
 */
async function submitAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resumeUrl = this.evaluateExpression('{{ $execution.resumeUrl }}', 0) as string;
	let submitted: IDataObject;
	try {
		const body = { ...submitBody(this, 0), callbackUrl: resumeUrl };
		submitted = await backendRequest(this, 'POST', '/v1/jobs', body, 0);
	} catch (error) {
		// n8n itself would pass the input item on unchanged (on the regular output, without the error): say what
		// failed, with only the keys n8n's "error output" routing accepts (error, message, details)
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- already a NodeApiError/NodeOperationError from backendRequest/submitBody; rewrapping would lose its HTTP code and description
		if (!this.continueOnFail()) throw error;
		const description =
			error instanceof NodeOperationError || error instanceof NodeApiError ? error.description : undefined;
		return [
			[
				{
					json: {
						error: error instanceof Error ? error.message : String(error),
						...(description ? { details: description } : {}),
					},
					pairedItem: { item: 0 },
				},
			],
		];
	}
	this.setMetadata({ resumeUrl });
	const timeoutHours = this.getNodeParameter('waitLimitHours', 0, 0) as number;
	await this.putExecutionToWait(
		timeoutHours > 0 ? new Date(Date.now() + timeoutHours * 3_600_000) : WAIT_INDEFINITELY,
	);
	return [[{ json: submitted, pairedItem: { item: 0 } }]];
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0);
	if (operation === 'submitAndWait') return await submitAndWait.call(this);
	return await runPerItem(this, async (itemIndex) => {
		const op = this.getNodeParameter('operation', itemIndex);
		const execute = operations[op];
		if (!execute) throw unknownOperation(this, `"${op}"`, itemIndex);
		return await execute.call(this, itemIndex);
	});
}
