// Errors of the Proxmox VE client. They carry what a caller needs to explain a failure (HTTP status, Proxmox's
// reason phrase, per-parameter `errors`, a task's exit status and last log lines) and never depend on n8n, so
// the backend can use them as they are; the n8n node turns them into NodeApiError/NodeOperationError.

/** An HTTP answer other than 2xx from the Proxmox API (or no answer at all: status 0). */
export class ProxmoxApiError extends Error {
	override readonly name = 'ProxmoxApiError';
	constructor(
		message: string,
		readonly details: {
			method: string;
			path: string;
			/** HTTP status, 0 when the request never got an answer (DNS, refused, TLS, timeout). */
			status: number;
			/** Proxmox puts the error in the HTTP reason phrase, e.g. "Permission check failed (/vms/100, VM.Clone)". */
			reason?: string;
			/** Per-parameter messages of a 400 "Parameter verification failed." */
			errors?: Record<string, string>;
			/** The Node error code of a failed connection (ECONNREFUSED, ...). */
			code?: string;
		},
	) {
		super(message);
	}

	get status(): number {
		return this.details.status;
	}

	/** For a 403 "Permission check failed (/vms/100, VM.Clone)": the path and the missing privilege. */
	get missingPrivilege(): { path: string; privilege: string } | undefined {
		const match = /Permission check failed \(([^,]+),\s*([^)]+)\)/.exec(this.details.reason ?? this.message);
		return match ? { path: match[1].trim(), privilege: match[2].trim() } : undefined;
	}
}

/** What a failed task's exit status means: what to do about it, and whether trying again later can help. */
export interface TaskFailureAdvice {
	hint: string;
	/** false when the same call fails the same way until someone changes something (a template, a taken ID). */
	retryable: boolean;
}

// Exit statuses Proxmox's workers die with (qemu-server, pve-container, vzdump, pve-storage), most specific first.
const TASK_ADVICE: Array<[RegExp, TaskFailureAdvice]> = [
	[
		/can't start a (?:vm|CT) if it's a template/i,
		{
			hint: 'A template cannot run: clone it (VM → Clone / Container → Clone) and start the clone, or pick a guest that is not a template.',
			retryable: false,
		},
	],
	[
		/is locked \(/i,
		{
			hint: 'Another operation holds the guest\'s lock (the word in brackets): wait until its task ends (Cluster → List Tasks) and try again; a lock left by a crashed task is removed with "qm unlock <vmid>" / "pct unlock <vmid>" on the node.',
			retryable: true,
		},
	],
	[
		/already running/i,
		{ hint: 'The guest is already running: nothing to start. Check its status first.', retryable: false },
	],
	[/not running/i, { hint: 'The guest is not running: start it first.', retryable: false }],
	[
		/already exists/i,
		{
			hint: 'The VM ID is taken: pick a free one (Cluster → Next Free VM ID) or remove the old guest.',
			retryable: false,
		},
	],
	[
		/does not exist|no such/i,
		{
			hint: 'Something the task needs is missing (guest, storage, volume or snapshot): check the names it gives.',
			retryable: false,
		},
	],
	[
		/no space left|not enough space|out of space/i,
		{ hint: 'The storage is full: free space on it or use another storage.', retryable: false },
	],
];

/** The advice for a task's exit status; unknown failures get the task log as their guide and may be retried. */
export function adviseOnTaskFailure(exitstatus: string): TaskFailureAdvice {
	const known = TASK_ADVICE.find(([pattern]) => pattern.test(exitstatus));
	return (
		known?.[1] ?? {
			hint: "The task log lines say why; the whole log is in the Proxmox UI, the node's Task History.",
			retryable: true,
		}
	);
}

/**
 * A task (UPID) that stopped with an exit status other than OK. Proxmox accepts most calls at once (the answer
 * is the UPID) and fails inside the task: the exit status is the error ("you can't start a vm if it's a
 * template") and the log's last line repeats it as "TASK ERROR: ...".
 */
export class ProxmoxTaskError extends Error {
	override readonly name = 'ProxmoxTaskError';
	/** What to do about it, from the exit status. */
	readonly hint: string;
	readonly retryable: boolean;
	constructor(
		message: string,
		readonly upid: string,
		readonly exitstatus: string,
		/** The last lines of the task log, oldest first. */
		readonly logTail: string[],
	) {
		super(message);
		const advice = adviseOnTaskFailure(exitstatus);
		this.hint = advice.hint;
		this.retryable = advice.retryable;
	}
}

/** Waiting for a task or the guest agent took longer than allowed; the task itself may still be running. */
export class ProxmoxTimeoutError extends Error {
	override readonly name = 'ProxmoxTimeoutError';
	constructor(
		message: string,
		readonly upid?: string,
	) {
		super(message);
	}
}

/** The wait was cancelled (the n8n execution was stopped); a started task keeps running on Proxmox. */
export class ProxmoxCancelledError extends Error {
	override readonly name = 'ProxmoxCancelledError';
	constructor(
		message: string,
		readonly upid?: string,
	) {
		super(message);
	}
}

/** Input the client refuses before sending anything (bad VMID, node name, token id, SSH key, ...). */
export class ProxmoxInputError extends Error {
	override readonly name = 'ProxmoxInputError';
	constructor(
		message: string,
		/** Which parameter was wrong, in the words of the Proxmox API (vmid, node, sshkeys, ...). */
		readonly parameter: string,
		readonly hint?: string,
	) {
		super(message);
	}
}
