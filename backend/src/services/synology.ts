// SynologyOps (backup-run's Hyper Backup step) on the shared DSM client in clients/synology.
import { SynologyApiError, SynologyClient, SynologyInputError } from '../../../clients/synology';
import { PermanentError } from '../engine/types';
import type { SynologyOps } from '../jobs/ops';
import { pollUntil } from '../jobs/util';

export interface SynologyServiceConfig {
	/** https://nas.lab:5001 */
	baseUrl: string;
	username: string;
	password: string;
	/** the base32 2FA secret when the account has 2-step verification */
	otpSecret?: string;
	/** false accepts DSM's self-signed certificate */
	rejectUnauthorized?: boolean;
	/** how often a running Hyper Backup task is asked (default 10 s) */
	pollIntervalMs?: number;
}

/** a DSM status field as text ('' when absent or not a scalar) */
const text = (value: unknown) =>
	typeof value === 'string' || typeof value === 'number' ? String(value) : '';

/** last_bkp_result values DSM reports for a finished run that did its job */
const SUCCEEDED = new Set(['done', 'success', 'partial_success']);
/** DSM login errors (wrong account/password, 2FA, disabled account): a retry cannot fix them */
const LOGIN_CODES = new Set([400, 401, 402, 403, 404, 406, 407, 408, 409, 410]);

export function createSynologyOps(config: SynologyServiceConfig): SynologyOps {
	const dsm = new SynologyClient({
		url: config.baseUrl,
		account: config.username,
		password: config.password,
		otpSecret: config.otpSecret,
		allowSelfSigned: config.rejectUnauthorized === false,
		session: 'HyperBackup',
	});
	const interval = config.pollIntervalMs ?? 10_000;
	return {
		runHyperBackup: async (taskId, signal) => {
			try {
				// a run still going (started by an attempt a crash cut short) is waited for, not started again
				const before = await dsm.backupStatus(taskId);
				if (before.status !== 'backup') await dsm.startBackup(taskId);
				const last = await pollUntil(
					async () => {
						const status = await dsm.backupStatus(taskId);
						return status.status === 'backup' ? undefined : status;
					},
					interval,
					signal,
				);
				const result = text(last.last_bkp_result) || 'unknown';
				if (!SUCCEEDED.has(result))
					throw new Error(
						`Hyper Backup task ${taskId} ended with "${result}" (see DSM → Hyper Backup → Log)`,
					);
				return { result, finishedAt: text(last.last_bkp_end_time) || text(last.last_bkp_time) };
			} catch (error) {
				if (error instanceof SynologyInputError) throw new PermanentError(`Synology: ${error.message}`);
				if (error instanceof SynologyApiError && (error.code === 4401 || LOGIN_CODES.has(error.code)))
					throw new PermanentError(
						`Synology: ${error.message}${error.code === 4401 ? '' : ' (check services.synology username / password)'}`,
					);
				throw error;
			}
		},
	};
}
