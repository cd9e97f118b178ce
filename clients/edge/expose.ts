import net from 'node:net';

import { describeError } from '../../shared/errors';
import { sleep } from '../../shared/timing';
import { parseUpstream } from './caddy';
import {
	EdgeError,
	isValidHostname,
	normalizeName,
	type DnsRecord,
	type EdgeErrorKind,
	type EdgeRoute,
	type RecordProvider,
	type RecordType,
	type RouteProvider,
} from './types';
import { verify, type VerifyOptions, type VerifyReport } from './verify';

// Route + record + certificate as one step: the record first (the ACME CA resolves the name through the lab's
// DNS to validate the order), then the route (which makes the proxy order the certificate), then a wait until
// the proxy serves a certificate the lab trusts and a full verify from the client side. When any part fails or
// the caller cancels, what this call changed is put back as it was (an owned route/record it replaced is
// restored, a new one removed) and the error names the failed step and each thing rolled back: nothing half-done.

/** The steps of an expose, in order; a failure names the one it happened in. */
export type ExposeStep = 'check' | 'record' | 'route' | 'certificate' | 'verify';

export interface EdgeProgress {
	step: ExposeStep | 'rollback' | 'done';
	message: string;
}

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
	/** called at the start of each step and for each thing rolled back */
	onProgress?: (progress: EdgeProgress) => void;
	/** cancels the expose; what it changed so far is rolled back before it rejects */
	signal?: AbortSignal;
}

export interface ExposeResult {
	hostname: string;
	route: EdgeRoute;
	record: DnsRecord;
	changed: { route: boolean; record: boolean };
	/** what was done, e.g. "added the route ...", or that nothing changed */
	message: string;
	report: VerifyReport;
}

/** An expose that failed: which step, why, and what was rolled back (or could not be). */
export class ExposeError extends EdgeError {
	constructor(
		kind: EdgeErrorKind,
		message: string,
		readonly step: ExposeStep,
		readonly rolledBack: string[],
		readonly rollbackFailures: string[],
		readonly report?: VerifyReport,
	) {
		super(kind, message);
		this.name = 'ExposeError';
	}
}

interface Undo {
	/** past tense, for the error: "removed the route for x from Caddy at ..." */
	done: string;
	run: () => Promise<unknown>;
}

export async function exposeService(options: ExposeOptions): Promise<ExposeResult> {
	const { routes, records, signal } = options;
	const progress = (step: EdgeProgress['step'], message: string) => options.onProgress?.({ step, message });
	const { hostname, route, record } = plan(options);
	const undo: Undo[] = [];
	let step: ExposeStep = 'check';
	let report: VerifyReport | undefined;
	try {
		progress('check', `reading what ${records.description} and ${routes.description} hold for ${hostname}`);
		// what this node already owned for the name, to restore on failure (reading also proves both are reachable)
		const previousRecord = (await records.list()).find((r) => r.name === hostname && r.type === record.type);
		const previousRoute = (await routes.list()).find((r) => r.hostname === hostname);

		step = 'record';
		throwIfCancelled(signal);
		progress('record', `writing ${record.type} ${hostname} -> ${record.value} to ${records.description}`);
		const recordChange = await records.upsert(record);
		if (recordChange.changed) {
			undo.push(
				previousRecord
					? {
							done: `restored the ${record.type} record ${hostname} -> ${previousRecord.value} in ${records.description}`,
							run: () => records.upsert(previousRecord),
						}
					: {
							done: `deleted the ${record.type} record ${hostname} from ${records.description}`,
							run: () => records.remove(hostname, record.type),
						},
			);
		}

		step = 'route';
		throwIfCancelled(signal);
		progress('route', `writing the route ${hostname} -> ${route.upstream} to ${routes.description}`);
		const routeChange = await routes.upsert(route);
		if (routeChange.changed) {
			undo.push(
				previousRoute
					? {
							done: `restored the route ${hostname} -> ${previousRoute.upstream} in ${routes.description}`,
							run: () => routes.upsert(previousRoute),
						}
					: {
							done: `removed the route for ${hostname} from ${routes.description}`,
							run: () => routes.remove(hostname),
						},
			);
		}

		step = 'certificate';
		throwIfCancelled(signal);
		const verifyOptions: VerifyOptions = { ...options.verify, hostname, expectedAddress: options.address };
		const timeoutMs = options.certificateTimeoutMs ?? 60000;
		progress('certificate', `waiting up to ${Math.round(timeoutMs / 1000)} s for a trusted certificate`);
		report = await waitForCertificate(verifyOptions, timeoutMs, signal);

		step = 'verify';
		throwIfCancelled(signal);
		progress('verify', `verifying https://${hostname} from the client side`);
		// the wait ended with a full verify; once more only when its health request had failed
		if (!report.ok) report = await verify(verifyOptions);
		if (!report.ok) throw new EdgeError('verify', failureSummary(hostname, report));
		const changed = { route: routeChange.changed, record: recordChange.changed };
		const message =
			changed.route || changed.record
				? `exposed https://${hostname}: ${[
						changed.record ? `wrote ${record.type} ${hostname} -> ${record.value}` : '',
						changed.route ? `wrote the route to ${route.upstream}` : '',
					]
						.filter(Boolean)
						.join(', ')}; it verifies from the client side`
				: `${hostname} was already exposed exactly like this: nothing changed; it verifies from the client side`;
		progress('done', message);
		return { hostname, route, record, changed, message, report };
	} catch (error) {
		const rolledBack: string[] = [];
		const rollbackFailures: string[] = [];
		for (const { done, run } of undo.reverse()) {
			try {
				await run();
				rolledBack.push(done);
				progress('rollback', done);
			} catch (rollbackError) {
				rollbackFailures.push(`could not have ${done}: ${describeError(rollbackError)}`);
			}
		}
		const cause = error instanceof Error ? error.message : String(error);
		const kind: EdgeErrorKind = error instanceof EdgeError ? error.kind : 'provider';
		const outcome =
			rollbackFailures.length > 0
				? `rolling back failed, fix by hand: ${rollbackFailures.join('; ')}` +
					(rolledBack.length ? ` (rolled back: ${rolledBack.join('; ')})` : '')
				: rolledBack.length > 0
					? `rolled back: ${rolledBack.join('; ')}`
					: 'nothing was changed';
		throw new ExposeError(
			kind,
			`exposing ${hostname} failed at the ${step} step: ${cause}; ${outcome}`,
			step,
			rolledBack,
			rollbackFailures,
			report ?? (error instanceof ExposeError ? error.report : undefined),
		);
	}
}

/** Checks the input before anything is changed and builds the route and record it asks for. */
function plan(options: ExposeOptions): { hostname: string; route: EdgeRoute; record: DnsRecord } {
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
	const family = net.isIP(options.address);
	if (family === 0) {
		throw new EdgeError(
			'invalid',
			`invalid proxy address "${options.address}": expected an IPv4 or IPv6 address`,
		);
	}
	return {
		hostname,
		route: { hostname, upstream: options.upstream },
		record: { name: hostname, type: family === 6 ? 'AAAA' : 'A', value: options.address, ttl: options.ttl },
	};
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new EdgeError('cancelled', `cancelled (${describeError(signal.reason)})`);
}

export interface UnexposeOptions {
	hostname: string;
	routes: RouteProvider;
	records: RecordProvider;
	onProgress?: (progress: EdgeProgress) => void;
}

export interface UnexposeResult {
	hostname: string;
	changed: { route: boolean; records: RecordType[] };
	message: string;
}

/**
 * Takes a service off the edge: the route first (the proxy stops serving the name), then this node's A and
 * AAAA records for it. Idempotent: nothing owned left for the name changes nothing and says so.
 */
export async function unexposeService(options: UnexposeOptions): Promise<UnexposeResult> {
	const { routes, records } = options;
	const hostname = normalizeName(options.hostname);
	if (!isValidHostname(hostname)) throw new EdgeError('invalid', `invalid hostname "${options.hostname}"`);
	options.onProgress?.({
		step: 'route',
		message: `removing the route for ${hostname} from ${routes.description}`,
	});
	const route = await routes.remove(hostname);
	const removedRecords: RecordType[] = [];
	for (const type of ['A', 'AAAA'] as const) {
		options.onProgress?.({
			step: 'record',
			message: `deleting ${type} ${hostname} from ${records.description}`,
		});
		try {
			if ((await records.remove(hostname, type)).changed) removedRecords.push(type);
		} catch (error) {
			const kind = error instanceof EdgeError ? error.kind : 'provider';
			const before = route.changed ? `removed the route for ${hostname}, but ` : '';
			throw new EdgeError(
				kind,
				`unexposing ${hostname}: ${before}deleting its ${type} record failed: ${describeError(error)}; run it again once ${records.description} answers`,
			);
		}
	}
	const done = [
		route.changed ? `removed the route from ${routes.description}` : '',
		removedRecords.length
			? `deleted ${removedRecords.join(' and ')} ${hostname} from ${records.description}`
			: '',
	].filter(Boolean);
	const message = done.length
		? `unexposed ${hostname}: ${done.join(', ')}`
		: `${hostname} was not exposed by this node: nothing changed`;
	options.onProgress?.({ step: 'done', message });
	return { hostname, changed: { route: route.changed, records: removedRecords }, message };
}

/**
 * Polls until the proxy serves a certificate the lab trusts for the name (the ACME order runs in the background
 * once the route exists). Resolves with the last report; throws naming the last TLS failure on timeout, or
 * `cancelled` as soon as the signal aborts.
 */
export async function waitForCertificate(
	options: VerifyOptions,
	timeoutMs: number,
	signal?: AbortSignal,
): Promise<VerifyReport> {
	const deadline = Date.now() + timeoutMs;
	let report = await verify(options);
	while (!tlsReady(report) && Date.now() < deadline) {
		await sleep(500, signal).catch(() => undefined);
		throwIfCancelled(signal);
		report = await verify(options);
	}
	if (tlsReady(report)) return report;
	throw new ExposeError(
		'verify',
		`no trusted certificate for ${options.hostname} after ${Math.round(timeoutMs / 1000)} s: ${failureSummary(options.hostname, report)}`,
		'certificate',
		[],
		[],
		report,
	);
}

function tlsReady(report: VerifyReport): boolean {
	return report.checks.some((check) => check.check === 'tls' && check.ok);
}

export function failureSummary(hostname: string, report: VerifyReport): string {
	const failed = report.checks.filter((check) => !check.ok && !check.skipped).map((check) => check.message);
	return `${hostname} does not work from the client side: ${failed.join('; ')}`;
}
