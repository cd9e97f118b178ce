import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as job from './actions/job';
import { router } from './actions/router';
import { backendRequest } from './transport/api';

// Not a trigger: its one webhook is n8n's resume webhook (restartWebhook, like the Wait node's), which n8n
// registers itself for a waiting execution; there is nothing to create on the backend's side.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class HomelabBackend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Homelab Backend',
		name: 'homelabBackend',
		icon: { light: 'file:homelabBackend.svg', dark: 'file:homelabBackend.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + ($parameter["jobType"] || $parameter["resource"])}}',
		description: 'Run durable homelab jobs (provision VMs, deploy stacks, back up) on homelab-backend',
		defaults: { name: 'Homelab Backend' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'homelabBackendApi', required: true }],
		// "Submit and Wait": the backend POSTs the finished job to $execution.resumeUrl, which lands here
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '',
				restartWebhook: true,
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Job', value: 'job' }],
				default: 'job',
			},
			...job.description,
			{
				displayName: 'Wait Limit (Hours)',
				name: 'waitLimitHours',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Resume anyway after this many hours (0: wait as long as the job takes)',
				displayOptions: { show: { resource: ['job'], operation: ['submitAndWait'] } },
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	/** The backend's callback resumed the execution: output the finished job as the backend reports it. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const body = this.getBodyData() as { jobId?: string };
		const jobId = typeof body.jobId === 'string' ? body.jobId : '';
		// the job as the backend reports it (with its steps), not only what the callback body claims
		const finished = /^[0-9a-f-]{36}$/.test(jobId)
			? await backendRequest<IDataObject>(this, 'GET', `/v1/jobs/${jobId}`)
			: (body as IDataObject);
		return { workflowData: [[{ json: finished }]] };
	}
}
