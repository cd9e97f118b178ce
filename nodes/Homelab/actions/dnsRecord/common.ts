import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RecordType } from '../../../../clients/edge/types';

const TYPES: RecordType[] = ['A', 'AAAA', 'CNAME'];

export const recordType = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'Type',
	name: 'type',
	type: 'options',
	options: TYPES.map((type) => ({ name: type, value: type })),
	default: 'A',
	displayOptions: { show },
});

export function readRecordType(ctx: IExecuteFunctions, itemIndex: number): RecordType {
	const type = ctx.getNodeParameter('type', itemIndex, 'A') as string;
	if (!TYPES.includes(type as RecordType)) {
		throw new NodeOperationError(ctx.getNode(), `Unsupported record type "${type}"`, {
			itemIndex,
			description: 'Use A, AAAA or CNAME',
		});
	}
	return type as RecordType;
}
