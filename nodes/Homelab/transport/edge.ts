import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CaddyRouteProvider, type LabIssuer } from '../../../clients/edge/caddy';
import { ExposeError } from '../../../clients/edge/expose';
import { PowerDnsRecordProvider } from '../../../clients/edge/powerdns';
import { EdgeError, type EdgeErrorKind } from '../../../clients/edge/types';
import type { VerifyOptions, VerifyReport } from '../../../clients/edge/verify';

// The one place the Homelab node turns its edge credentials into the shared clients and their EdgeErrors into
// node errors that say what failed and what to do about it.

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

export interface CaddySettings {
	provider: CaddyRouteProvider;
	proxyAddress: string;
	/** verify options from the credential: port, CA bundle and its name */
	verify: Pick<VerifyOptions, 'port' | 'caBundle' | 'caName'>;
}

export function caddyFromCredential(data: ICredentialDataDecryptedObject): CaddySettings {
	const adminUrl = text(data.adminUrl);
	if (!adminUrl) throw new EdgeError('invalid', 'the Caddy Admin API credential has no Admin API URL');
	let issuer: LabIssuer = { internal: true };
	if (data.issuer !== 'internal') {
		const acmeDirectory = text(data.acmeDirectory);
		if (!acmeDirectory) {
			throw new EdgeError(
				'invalid',
				'the Caddy Admin API credential has no ACME Directory URL: set it or choose the internal CA',
			);
		}
		const roots = text(data.acmeTrustedRootsFile);
		issuer = { acmeDirectory, ...(roots ? { trustedRootsPemFiles: [roots] } : {}) };
	}
	return {
		provider: new CaddyRouteProvider({ adminUrl, server: text(data.server) || 'srv0', issuer }),
		proxyAddress: text(data.proxyAddress),
		verify: {
			port: Number(data.httpsPort) || 443,
			caBundle: text(data.caBundle),
			caName: text(data.caName) || "the lab's CA",
		},
	};
}

export interface PowerDnsSettings {
	provider: PowerDnsRecordProvider;
	dnsServer: string;
}

export function powerDnsFromCredential(data: ICredentialDataDecryptedObject): PowerDnsSettings {
	const apiUrl = text(data.apiUrl);
	const zone = text(data.zone);
	if (!apiUrl || !zone)
		throw new EdgeError('invalid', 'the PowerDNS API credential needs an API URL and a zone');
	return {
		provider: new PowerDnsRecordProvider({
			apiUrl,
			apiKey: text(data.apiKey),
			zone,
			serverId: text(data.serverId) || 'localhost',
			defaultTtl: Number(data.defaultTtl) || 300,
		}),
		dnsServer: text(data.dnsServer),
	};
}

/** The item's Caddy credential as a provider; an incomplete credential is an error naming the missing field. */
export async function caddy(ctx: IExecuteFunctions, itemIndex: number): Promise<CaddySettings> {
	const data = await ctx.getCredentials('caddyAdminApi', itemIndex);
	return await edgeCall(ctx, itemIndex, async () => await Promise.resolve(caddyFromCredential(data)));
}

export async function powerDns(ctx: IExecuteFunctions, itemIndex: number): Promise<PowerDnsSettings> {
	const data = await ctx.getCredentials('powerDnsApi', itemIndex);
	return await edgeCall(ctx, itemIndex, async () => await Promise.resolve(powerDnsFromCredential(data)));
}

const WHAT_TO_DO: Record<EdgeErrorKind, string> = {
	invalid: 'Correct the value named above',
	conflict:
		'The name is already used by an entry this node does not manage: remove that entry on the server, or choose another hostname',
	auth: 'Check the API key in the credential',
	unreachable: 'Check the URL in the credential and that the server is running and reachable from n8n',
	provider: 'The server refused the change for the reason quoted above; fix that on the server and run again',
	verify:
		'The change is in place but the service does not work from a client: run Route → Verify for each check, fix the failing one',
	cancelled: 'The execution was cancelled; run it again',
};

/** An EdgeError (or anything else) from the edge clients as a NodeOperationError for this item. */
export function edgeNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	if (!(error instanceof EdgeError))
		return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	let description = WHAT_TO_DO[error.kind];
	if (error instanceof ExposeError && error.rollbackFailures.length > 0) {
		description = `Rolling back failed: ${error.rollbackFailures.join('; ')}. Undo these by hand, then run again`;
	} else if (error instanceof ExposeError && error.kind === 'verify') {
		description =
			'Everything was rolled back. Fix the failing check named above (e.g. start the upstream) and run again';
	}
	return new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description });
}

/** Runs an edge call for an item; its failure becomes a node error naming what failed and what to do. */
export async function edgeCall<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	work: () => Promise<T>,
): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw edgeNodeError(ctx, error, itemIndex);
	}
}

/** A verify report as item JSON, with the failed checks' messages first for people and AI agents to read. */
export function reportJson(report: VerifyReport): IDataObject {
	return {
		hostname: report.hostname,
		ok: report.ok,
		failed: report.checks.filter((check) => !check.ok && !check.skipped).map((check) => check.message),
		checks: report.checks.map((check) => ({ ...check })),
		address: report.address ?? null,
		certificate: report.certificate ? { ...report.certificate } : null,
		http: report.http ? { ...report.http } : null,
	};
}
