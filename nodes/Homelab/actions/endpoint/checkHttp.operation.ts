import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { probeHttp } from '../../transport/probe';

const showFor = { resource: ['endpoint'], operation: ['checkHttp'] };

export const description: INodeProperties[] = [
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://jellyfin.lab.example:8920/health',
		description: 'HTTP or HTTPS address of the service to check',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'GET', value: 'GET' },
			{ name: 'HEAD', value: 'HEAD' },
		],
		default: 'GET',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Expected Status Codes',
		name: 'expectedStatus',
		type: 'string',
		default: '200-399',
		placeholder: '200,204,300-399',
		description: 'Comma-separated codes or ranges that count as healthy',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Require Valid Certificate',
		name: 'requireValidCertificate',
		type: 'boolean',
		default: true,
		description:
			'Whether an HTTPS certificate that does not verify (self-signed, expired, wrong host) counts as a problem',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Certificate Warning Days',
		name: 'certificateWarningDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 14,
		description: 'Report a problem when the certificate expires within this many days',
		displayOptions: { show: showFor },
	},
];

/** Parses "200,204,300-399" into a predicate; rejects anything else with a message the user can act on. */
export function parseStatusRanges(spec: string): (status: number) => boolean {
	const ranges = spec
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => {
			const match = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(part);
			if (!match) throw new Error(`"${part}" is not a status code or range like 200 or 200-399`);
			const low = Number(match[1]);
			const high = Number(match[2] ?? match[1]);
			if (low > high) throw new Error(`"${part}" is an empty range: write the lower code first`);
			return [low, high] as const;
		});
	if (ranges.length === 0) throw new Error('no status codes given: use e.g. 200-399');
	return (status) => ranges.some(([low, high]) => status >= low && status <= high);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const rawUrl = this.getNodeParameter('url', itemIndex) as string;
	const method = this.getNodeParameter('method', itemIndex) as 'GET' | 'HEAD';
	const expected = this.getNodeParameter('expectedStatus', itemIndex) as string;
	const requireValid = this.getNodeParameter('requireValidCertificate', itemIndex) as boolean;
	const warningDays = this.getNodeParameter('certificateWarningDays', itemIndex) as number;
	const timeoutMs = this.getNodeParameter('options.timeout', itemIndex, 10000) as number;
	const failWhenDown = this.getNodeParameter('options.failWhenDown', itemIndex, false) as boolean;

	let url: URL;
	try {
		url = new URL(rawUrl.trim());
	} catch {
		throw new NodeOperationError(this.getNode(), `"${rawUrl}" is not a valid URL`, {
			itemIndex,
			description: 'Write the full address including the scheme, e.g. https://nas.lab.example:5001',
		});
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new NodeOperationError(this.getNode(), `Unsupported scheme "${url.protocol}" in ${url.href}`, {
			itemIndex,
			description: 'Use http:// or https://; for other services use the "Check TCP Port" operation',
		});
	}
	let isExpected: (status: number) => boolean;
	try {
		isExpected = parseStatusRanges(expected);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Expected Status Codes: ${(error as Error).message}`, {
			itemIndex,
		});
	}

	const result = await probeHttp(url, method, { timeoutMs, signal: this.getExecutionCancelSignal() });
	const problems: string[] = [];
	if (!result.up) problems.push(`unreachable: ${result.error}`);
	if (result.statusCode !== undefined && !isExpected(result.statusCode)) {
		problems.push(`status ${result.statusCode} is not in ${expected}`);
	}
	if (result.tls) {
		if (requireValid && !result.tls.authorized) {
			problems.push(`certificate does not verify: ${result.tls.authorizationError ?? 'unknown reason'}`);
		}
		if (result.tls.daysLeft < warningDays) {
			problems.push(`certificate expires in ${result.tls.daysLeft} days (${result.tls.validTo})`);
		}
	}
	const healthy = problems.length === 0;
	if (!healthy && failWhenDown) {
		throw new NodeOperationError(this.getNode(), `${url.href} is unhealthy: ${problems.join('; ')}`, {
			itemIndex,
			description:
				'Check that the service runs and its certificate is current, or turn off "Fail When Unhealthy"',
		});
	}
	return {
		url: url.href,
		healthy,
		problems,
		statusCode: result.statusCode ?? null,
		latencyMs: result.latencyMs,
		errorCode: result.errorCode ?? null,
		tls: (result.tls as unknown as IDataObject) ?? null,
		checkedAt: new Date().toISOString(),
	};
}
