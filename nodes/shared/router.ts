import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Operations of a node, by resource then operation, as its `actions/router.ts` declares them. */
export type OperationTable<Execute> = Record<string, Record<string, Execute>>;

/**
 * The item's resource + operation looked up in a node's table. An unknown pair means the workflow was saved by a
 * newer pack (or hand-edited), so the error says to update the package instead of failing with a bare TypeError.
 */
export function findOperation<Execute>(
	context: IExecuteFunctions,
	operations: OperationTable<Execute>,
	itemIndex: number,
): Execute {
	const resource = context.getNodeParameter('resource', itemIndex);
	const operation = context.getNodeParameter('operation', itemIndex);
	const execute = operations[resource]?.[operation];
	if (!execute) throw unknownOperation(context, `"${operation}" on "${resource}"`, itemIndex);
	return execute;
}

export function unknownOperation(
	context: IExecuteFunctions,
	what: string,
	itemIndex: number,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), `The operation ${what} is not known`, {
		itemIndex,
		description: 'The workflow may come from a newer version of n8n-nodes-homelab: update the package',
	});
}
