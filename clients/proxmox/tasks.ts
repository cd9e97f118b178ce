// Tasks: every asynchronous Proxmox call answers a UPID; these read a task's status and log and wait until it
// stops. One family of ProxmoxClient (client.ts says why the families are stacked classes).

import { sleep } from '../../shared/timing';
import { ProxmoxCancelledError, ProxmoxTaskError, ProxmoxTimeoutError } from './errors';
import { ClusterApis } from './cluster';
import { seg } from './session';
import type { PveTaskLogLine, PveTaskStatus, TaskResult, WaitOptions } from './types';
import { assertNodeName, assertPollInterval, parseUpid } from './validation';

const DEFAULT_TASK_TIMEOUT_MS = 10 * 60 * 1000;
const LOG_TAIL_LINES = 10;

export class TaskApis extends ClusterApis {
	private taskPath(node: string | undefined, upid: string): string {
		const parsed = parseUpid(upid);
		return `/nodes/${seg(node ? assertNodeName(node) : parsed.node)}/tasks/${seg(upid.trim())}`;
	}

	/** GET /nodes/{node}/tasks/{upid}/status; node defaults to the one in the UPID. */
	async taskStatus(upid: string, node?: string): Promise<PveTaskStatus> {
		return await this.get(`${this.taskPath(node, upid)}/status`);
	}

	/** GET /nodes/{node}/tasks/{upid}/log (lines from `start`, at most `limit`). */
	async taskLog(
		upid: string,
		options: { node?: string; start?: number; limit?: number } = {},
	): Promise<PveTaskLogLine[]> {
		return await this.get(`${this.taskPath(options.node, upid)}/log`, {
			start: options.start,
			limit: options.limit,
		});
	}

	/**
	 * Polls a task until it stops. Resolves with its final status when the exit status is OK (or "WARNINGS: n");
	 * rejects with ProxmoxTaskError (exit status + last log lines) otherwise, ProxmoxTimeoutError after
	 * `timeoutMs`, ProxmoxCancelledError when `signal` aborts. The task itself is never stopped by this.
	 */
	async waitForTask(upid: string, options: WaitOptions & { node?: string } = {}): Promise<TaskResult> {
		const parsed = parseUpid(upid);
		const node = options.node ?? parsed.node;
		const timeoutMs = options.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
		const interval = assertPollInterval(options.pollIntervalMs ?? this.pollIntervalMs);
		const started = Date.now();
		let logStart = 0;
		let lastLine = '';
		for (;;) {
			if (options.signal?.aborted) {
				throw new ProxmoxCancelledError(
					`Stopped waiting for task ${upid}; it keeps running on ${node}`,
					upid,
				);
			}
			const status = await this.taskStatus(upid, node);
			if (options.onProgress) {
				const lines = await this.taskLog(upid, { node, start: logStart, limit: 500 }).catch(() => []);
				logStart += lines.length;
				const newLogLines = lines.map((line) => line.t).filter((text) => text !== 'no content');
				if (newLogLines.length) lastLine = newLogLines[newLogLines.length - 1];
				options.onProgress({ upid, status: status.status, elapsedMs: Date.now() - started, newLogLines });
			}
			if (status.status === 'stopped') {
				const exitstatus = status.exitstatus ?? 'unknown';
				if (exitstatus === 'OK' || exitstatus.startsWith('WARNINGS')) {
					const now = Date.now();
					return {
						upid,
						node,
						type: parsed.type,
						id: parsed.id,
						user: parsed.user,
						status: 'stopped',
						exitstatus,
						startedAt: new Date(parsed.starttime * 1000).toISOString(),
						durationMs: Math.max(0, now - parsed.starttime * 1000),
						waitedMs: now - started,
					};
				}
				const log = await this.taskLog(upid, { node, start: 0, limit: 5000 }).catch(() => []);
				const tail = log
					.map((line) => line.t)
					.filter((text) => text !== 'no content')
					.slice(-LOG_TAIL_LINES);
				throw new ProxmoxTaskError(
					`Task ${parsed.type}${parsed.id ? ` ${parsed.id}` : ''} on ${node} failed: ${exitstatus}`,
					upid,
					exitstatus,
					tail,
				);
			}
			const elapsed = Date.now() - started;
			if (elapsed >= timeoutMs) {
				throw new ProxmoxTimeoutError(
					`Task ${parsed.type}${parsed.id ? ` ${parsed.id}` : ''} on ${node} still running after ${Math.round(elapsed / 1000)} s${lastLine ? ` (last log line: ${lastLine})` : ''}`,
					upid,
				);
			}
			await sleep(Math.min(interval, Math.max(1, timeoutMs - elapsed)), options.signal).catch(
				() => undefined,
			);
		}
	}
}
