import net from 'node:net';

import { describeError } from '../../shared/errors';
import { parseUpstream } from './caddy';
import {
	EdgeError,
	isValidHostname,
	normalizeName,
	type DnsRecord,
	type EdgeRoute,
	type RecordProvider,
	type RouteProvider,
} from './types';
import { verify, type VerifyOptions, type VerifyReport } from './verify';

// Route + record + certificate as one step: the record first (the ACME CA resolves the name through the lab's
// DNS to validate the order), then the route (which makes the proxy order the certificate), then a wait until
// the proxy serves a certificate the lab trusts, then a full verify. When any part fails, what this call changed
// is put back as it was (an owned route/record it replaced is restored, a new one removed): nothing half-done.

export interface ExposeOptions {
	hostname: string;
	upstream: string;
	/** the proxy's address the record points to */
	address: string;
	labDomain: string;
	routes: RouteProvider;
	records: RecordProvider;
	/** how to verify from the client side (hostname and expectedAddress are filled in) */
	verify: Omit<VerifyOptions, 'hostname' | 'expectedAddress'>;
	ttl?: number;
	/** how long the proxy may take to get the certificate (default 60 s) */
	certificateTimeoutMs?: number;
}

export interface ExposeResult {
	route: EdgeRoute;
	record: DnsRecord;
	changed: { route: boolean; record: boolean };
	report: VerifyReport;
}

export async function exposeService(options: ExposeOptions): Promise<ExposeResult> {
	const hostname = normalizeName(options.hostname);
	const labDomain = normalizeName(options.labDomain);
	if (!isValidHostname(hostname)) throw new EdgeError('invalid', `invalid hostname "${options.hostname}"`);
	if (!hostname.endsWith(`.${labDomain}`)) {
		throw new EdgeError(
			'invalid',
			`${hostname} is outside the lab domain ${labDomain}: use <name>.${labDomain}`,
		);
	}
	parseUpstream(options.upstream);
	if (net.isIP(options.address) === 0) {
		throw new EdgeError(
			'invalid',
			`invalid proxy address "${options.address}": expected an IPv4 or IPv6 address`,
		);
	}
	const route: EdgeRoute = { hostname, upstream: options.upstream };
	const record: DnsRecord = {
		name: hostname,
		type: net.isIP(options.address) === 6 ? 'AAAA' : 'A',
		value: options.address,
		ttl: options.ttl,
	};
	// what this node already owned for the name, to restore on failure (reading also proves both are reachable)
	const previousRecord = (await options.records.list()).find(
		(r) => r.name === hostname && r.type === record.type,
	);
	const previousRoute = (await options.routes.list()).find((r) => r.hostname === hostname);

	const undo: (() => Promise<unknown>)[] = [];
	try {
		const recordChange = await options.records.upsert(record);
		if (recordChange.changed) {
			undo.push(() =>
				previousRecord
					? options.records.upsert(previousRecord)
					: options.records.remove(hostname, record.type),
			);
		}
		const routeChange = await options.routes.upsert(route);
		if (routeChange.changed) {
			undo.push(() =>
				previousRoute ? options.routes.upsert(previousRoute) : options.routes.remove(hostname),
			);
		}
		const verifyOptions: VerifyOptions = { ...options.verify, hostname, expectedAddress: options.address };
		await waitForCertificate(verifyOptions, options.certificateTimeoutMs ?? 60000);
		const report = await verify(verifyOptions);
		if (!report.ok) throw new EdgeError('verify', failureSummary(hostname, report));
		return { route, record, changed: { route: routeChange.changed, record: recordChange.changed }, report };
	} catch (error) {
		const rollbackErrors: string[] = [];
		for (const step of undo.reverse()) {
			try {
				await step();
			} catch (rollbackError) {
				rollbackErrors.push(describeError(rollbackError));
			}
		}
		if (rollbackErrors.length === 0) throw error;
		const message = error instanceof Error ? error.message : String(error);
		throw new EdgeError(
			error instanceof EdgeError ? error.kind : 'provider',
			`${message}; rolling back also failed, fix by hand: ${rollbackErrors.join('; ')}`,
		);
	}
}

/**
 * Polls until the proxy serves a certificate the lab trusts for the name (the ACME order runs in the background
 * once the route exists). Resolves with the last report; throws naming the last TLS failure on timeout.
 */
export async function waitForCertificate(options: VerifyOptions, timeoutMs: number): Promise<VerifyReport> {
	const deadline = Date.now() + timeoutMs;
	let report = await verify(options);
	while (!tlsReady(report) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		report = await verify(options);
	}
	if (tlsReady(report)) return report;
	throw new EdgeError(
		'verify',
		`no trusted certificate for ${options.hostname} after ${Math.round(timeoutMs / 1000)} s: ${failureSummary(options.hostname, report)}`,
	);
}

function tlsReady(report: VerifyReport): boolean {
	return report.checks.some((check) => check.check === 'tls' && check.ok);
}

export function failureSummary(hostname: string, report: VerifyReport): string {
	const failed = report.checks.filter((check) => !check.ok && !check.skipped).map((check) => check.message);
	return `${hostname} does not work from the client side: ${failed.join('; ')}`;
}
