import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeListSearchResult,
} from 'n8n-workflow';

import { describeError } from '../../../shared/errors';
import { caddyFromCredential, powerDnsFromCredential } from '../transport/edge';

// Credential tests run the same clients the operations use, so a test that passes means the operations can work;
// listSearch offers what the servers hold wherever a user would otherwise type a hostname.

export async function caddyAdminApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const { provider } = caddyFromCredential(credential.data ?? {});
		const routes = await provider.list();
		// read-only; fails on a catch-all policy with a public CA, which would send lab names to Let's Encrypt
		await provider.checkLabTlsPolicy();
		return { status: 'OK', message: `Connected: ${routes.length} route(s) managed by this node` };
	} catch (error) {
		return { status: 'Error', message: describeError(error) };
	}
}

export async function powerDnsApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const { provider } = powerDnsFromCredential(credential.data ?? {});
		const records = await provider.list();
		return { status: 'OK', message: `Connected: ${records.length} record(s) managed by this node` };
	} catch (error) {
		return { status: 'Error', message: describeError(error) };
	}
}

const matches = (filter: string | undefined, ...values: string[]) =>
	!filter || values.some((value) => value.toLowerCase().includes(filter.toLowerCase()));

export async function searchRoutes(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { provider } = caddyFromCredential(await this.getCredentials('caddyAdminApi'));
	const routes = await provider.list();
	return {
		results: routes
			.filter((route) => matches(filter, route.hostname, route.upstream))
			.map((route) => ({ name: `${route.hostname} → ${route.upstream}`, value: route.hostname })),
	};
}

export async function searchRecords(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { provider } = powerDnsFromCredential(await this.getCredentials('powerDnsApi'));
	const records = await provider.list();
	return {
		results: records
			.filter((record) => matches(filter, record.name, record.value))
			.map((record) => ({ name: `${record.name} ${record.type} ${record.value}`, value: record.name })),
	};
}
