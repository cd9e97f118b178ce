import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const jobTypeAndInput = (operations: string[]): INodeProperties[] => [
	{
		displayName: 'Job Type',
		name: 'jobType',
		type: 'options',
		options: [
			{
				name: 'Backup Run',
				value: 'backup-run',
				description: 'Vzdump guests, verify, retention, restore-verify',
			},
			{ name: 'Deploy Stack', value: 'deploy-stack', description: 'A compose project on a Docker host' },
			{
				name: 'Provision VM',
				value: 'provision-vm',
				description: 'Clone a template, cloud-init, boot, wait for IP',
			},
			{ name: 'Selftest', value: 'selftest', description: 'N journaled steps that only wait' },
		],
		default: 'provision-vm',
		displayOptions: { show: { resource: ['job'], operation: operations } },
	},
	{
		displayName: 'Input (JSON)',
		name: 'input',
		type: 'json',
		default: '{}',
		required: true,
		description: "The job's input; the backend's /v1/job-types lists each type's schema",
		displayOptions: { show: { resource: ['job'], operation: operations } },
	},
	{
		displayName: 'Idempotency Key',
		name: 'idempotencyKey',
		type: 'string',
		default: '',
		description:
			'Submitting again with the same key returns the job already submitted instead of starting another',
		displayOptions: { show: { resource: ['job'], operation: operations } },
	},
];

export function submitBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = ctx.getNodeParameter('input', itemIndex) as string | IDataObject;
	let input: unknown = raw;
	if (typeof raw === 'string') {
		try {
			input = JSON.parse(raw || '{}');
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `Input is not valid JSON: ${(error as Error).message}`, {
				itemIndex,
			});
		}
	}
	if (!input || typeof input !== 'object' || Array.isArray(input))
		throw new NodeOperationError(ctx.getNode(), 'Input must be a JSON object', { itemIndex });
	const idempotencyKey = (ctx.getNodeParameter('idempotencyKey', itemIndex, '') as string).trim();
	return {
		type: ctx.getNodeParameter('jobType', itemIndex) as string,
		input: input as IDataObject,
		...(idempotencyKey ? { idempotencyKey } : {}),
	};
}

export const jobIdProperty = (operations: string[]): INodeProperties => ({
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	required: true,
	default: '',
	displayOptions: { show: { resource: ['job'], operation: operations } },
});
