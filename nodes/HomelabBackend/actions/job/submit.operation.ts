import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { backendRequest } from '../../transport/api';
import { jobTypeAndInput, submitBody } from './common';

export const description: INodeProperties[] = jobTypeAndInput(['submit', 'submitAndWait']);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await backendRequest(this, 'POST', '/v1/jobs', submitBody(this, itemIndex), itemIndex);
}
