import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../../../shared/per-item';
import * as endpoint from './endpoint';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>;

const operations: Record<string, Record<string, OperationExecute>> = {
	endpoint: {
		checkHttp: endpoint.checkHttp.execute,
		checkTcp: endpoint.checkTcp.execute,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPerItem(this, async (itemIndex) => {
		const resource = this.getNodeParameter('resource', itemIndex);
		const operation = this.getNodeParameter('operation', itemIndex);
		const execute = operations[resource]?.[operation];
		if (!execute) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" on "${resource}" is not known`,
				{
					itemIndex,
					description: 'The workflow may come from a newer version of n8n-nodes-homelab: update the package',
				},
			);
		}
		return await execute.call(this, itemIndex);
	});
}
