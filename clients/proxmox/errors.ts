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

/** A task (UPID) that stopped with an exit status other than OK. */
export class ProxmoxTaskError extends Error {
	override readonly name = 'ProxmoxTaskError';
	constructor(
		message: string,
		readonly upid: string,
		readonly exitstatus: string,
		/** The last lines of the task log, oldest first. */
		readonly logTail: string[],
	) {
		super(message);
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
