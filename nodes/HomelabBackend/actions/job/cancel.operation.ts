import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { backendRequest } from '../../transport/api';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = encodeURIComponent((this.getNodeParameter('jobId', itemIndex) as string).trim());
	return await backendRequest(this, 'POST', `/v1/jobs/${id}/cancel`, undefined, itemIndex);
}
