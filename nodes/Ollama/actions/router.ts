import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../../../shared/per-item';
import * as embedding from './embedding';
import * as model from './model';
import * as text from './text';

type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

const operations: Record<string, Record<string, OperationExecute>> = {
	text: { chat: text.chat.execute, generate: text.generate.execute },
	embedding: { embed: embedding.embed.execute },
	model: {
		copy: model.copy.execute,
		delete: model.deleteModel.execute,
		list: model.list.execute,
		pull: model.pull.execute,
		running: model.running.execute,
		show: model.show.execute,
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
