import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** What an operation may return for one input item: one JSON object, several, or full items (e.g. binary). */
export type ItemResult = IDataObject | IDataObject[] | INodeExecutionData | INodeExecutionData[];

export type ItemHandler = (itemIndex: number, item: INodeExecutionData) => Promise<ItemResult>;

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return typeof value.json === 'object' && value.json !== null && !Array.isArray(value.json);
}

function toItems(result: ItemResult, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((entry) => {
		const item: INodeExecutionData = isExecutionData(entry) ? { ...entry } : { json: entry };
		// Every output item points back at the input item it came from, so expressions like
		// $('Previous').item resolve correctly even when one input fans out into many outputs.
		item.pairedItem = { item: itemIndex };
		return item;
	});
}

/**
 * The one per-item loop of this pack. Runs `handler` for every input item in order, reading that item's own
 * parameters (never item 0's), honours "Continue On Fail" by turning a failure into an error item paired with
 * its input, and otherwise rethrows with the item index so n8n highlights the failing item.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	handler: ItemHandler,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	const cancelSignal = ctx.getExecutionCancelSignal();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		if (cancelSignal?.aborted) {
			throw new NodeOperationError(ctx.getNode(), 'Execution was cancelled', {
				description: `Stopped before item ${itemIndex + 1} of ${items.length}; earlier items were processed.`,
			});
		}
		try {
			output.push(...toItems(await handler(itemIndex, items[itemIndex]), itemIndex));
		} catch (error) {
			if (ctx.continueOnFail()) {
				const message = error instanceof Error ? error.message : String(error);
				const description =
					error instanceof NodeOperationError || error instanceof NodeApiError
						? error.description
						: undefined;
				// "Continue (using error output)" moves an item to the error output only when its JSON has no keys
				// but error, message and details (n8n-core WorkflowExecute.handleNodeErrorOutput): there the hint
				// travels as `details`, or the item would stay on the success output.
				const hintKey = ctx.getNode().onError === 'continueErrorOutput' ? 'details' : 'errorDescription';
				output.push({
					json: { error: message, ...(description ? { [hintKey]: description } : {}) },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			if (error instanceof NodeOperationError || error instanceof NodeApiError) {
				error.context.itemIndex ??= itemIndex;
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- already a NodeError; rewrapping would lose its HTTP code and description
				throw error;
			}
			throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		}
	}
	return [output];
}
