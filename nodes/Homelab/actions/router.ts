import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runPerItem } from '../../shared/per-item';
import { findOperation } from '../../shared/router';
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
		const execute = findOperation(this, operations, itemIndex);
		return await execute.call(this, itemIndex);
	});
}
