import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { backendRequest } from '../../transport/api';
import { jobIdProperty } from './common';

export const description: INodeProperties[] = [jobIdProperty(['get', 'cancel'])];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = encodeURIComponent((this.getNodeParameter('jobId', itemIndex) as string).trim());
	return await backendRequest(this, 'GET', `/v1/jobs/${id}`, undefined, itemIndex);
}
