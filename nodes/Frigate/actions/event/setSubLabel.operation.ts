import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { frigateCall } from '../../transport';
import { eventIdField, eventIdOf } from '../common';

const showFor = { resource: ['event'], operation: ['setSubLabel'] };

export const description: INodeProperties[] = [
	eventIdField(showFor),
	{
		displayName: 'Sub Label',
		name: 'subLabel',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Alice',
		description: 'E.g. the name of a recognised face or a licence plate (up to 100 characters).',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Score',
		name: 'score',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0,
		description: 'Confidence of the sub label between 0 and 1; 0 sends none',
		displayOptions: { show: showFor },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = eventIdOf.call(this, itemIndex);
	const subLabel = this.getNodeParameter('subLabel', itemIndex) as string;
	const score = this.getNodeParameter('score', itemIndex, 0) as number;
	const result = await frigateCall(
		this,
		itemIndex,
		async (client, signal) => await client.setSubLabel(id, subLabel, score > 0 ? score : undefined, signal),
	);
	return { id, subLabel: subLabel.trim(), ...(score > 0 ? { score } : {}), message: result.message };
}
