import { ImapFlow, type ImapFlowOptions, type SearchObject } from 'imapflow';

import { sleep, withTimeout } from '../../shared/timing';
import { classifyMailError, type MailFailure, type MailServerSettings } from './connection';
import { imapFlowOptions } from './imap';

// Why this exists: n8n's built-in IMAP trigger dies silently when the server goes away for a while, opens a
// second session after some reconnects (emitting mails twice), and marks mails read before emitting them.
// This watcher keeps exactly one session, proves it alive with NOOP on a timer, reconnects with backoff
// forever, remembers the last emitted UID (and recent Message-IDs, for UIDVALIDITY resets) in state the
// caller persists, and changes flags only after a message was handed over.

/** What survives restarts (n8n keeps it in the workflow's static data). */
export interface WatcherState {
	uidValidity?: string;
	/** highest UID handed over in `uidValidity` */
	lastUid?: number;
	/** Message-IDs handed over lately: after a UIDVALIDITY change the mailbox is rescanned and these are skipped */
	recentMessageIds?: string[];
	/** UIDs handed over whose post-action (seen / move) did not complete; retried after reconnecting */
	pendingPostActions?: number[];
}

export interface StateStore {
	load(): WatcherState;
	save(state: WatcherState): void;
}

export interface WatcherCriteria {
	unseenOnly: boolean;
	from?: string;
	subject?: string;
	since?: Date;
}

export interface PostAction {
	markSeen: boolean;
	moveTo?: string;
}

export interface FetchedMessage {
	uid: number;
	uidValidity: string;
	mailbox: string;
	source: Buffer;
	flags: string[];
	internalDate: string | null;
}

export interface MessageDelivery {
	prepare(message: FetchedMessage): Promise<() => void>;
}

export interface WatcherLogger {
	info(message: string, meta?: Record<string, unknown>): void;
	warn(message: string, meta?: Record<string, unknown>): void;
	debug(message: string, meta?: Record<string, unknown>): void;
}

export interface ImapWatcherOptions {
	server: MailServerSettings;
	mailbox: string;
	criteria: WatcherCriteria;
	postAction: PostAction;
	/** with no saved state: start after the newest message ('new') or hand over every matching one ('all') */
	firstStart: 'new' | 'all';
	state: StateStore;
	/**
	 * Hands one message to n8n in two steps: `prepare` may fail (the message is then tried again on the next
	 * scan, nothing is saved); `emit` runs synchronously right after the advanced position was saved, so the
	 * host's save at emit time (n8n writes static data when a trigger emits, and not after) carries it.
	 */
	deliver: MessageDelivery;
	log: WatcherLogger;
	/** NOOP + rescan every this many ms (also the polling fallback when IDLE pushes nothing) */
	watchdogMs?: number;
	/** a NOOP (or a whole connect) slower than this declares the connection dead */
	deadAfterMs?: number;
	backoff?: { initialMs: number; maxMs: number };
}

const RECENT_IDS = 1000;

export class ImapWatcher {
	private client: ImapFlow | undefined;
	/** bumped whenever a session is abandoned, so late events of an old client are ignored */
	private generation = 0;
	private stopped = false;
	private reconnectTimer: NodeJS.Timeout | undefined;
	private watchdogTimer: NodeJS.Timeout | undefined;
	private failures = 0;
	private scanRunning: Promise<void> | undefined;
	private scanAgain = false;
	readonly stats = { connects: 0, connectionLosses: 0, delivered: 0, skippedDuplicates: 0, lastError: '' };

	constructor(private readonly options: ImapWatcherOptions) {}

	private get watchdogMs() {
		return this.options.watchdogMs ?? 15000;
	}

	private get deadAfterMs() {
		return this.options.deadAfterMs ?? 10000;
	}

	/** First connection; throws a classified failure so activation tells the user what is wrong. */
	async start(): Promise<void> {
		try {
			await this.connect();
		} catch (error) {
			throw this.failure(error);
		}
		this.watchdogTimer = setInterval(() => void this.watchdog(), this.watchdogMs);
		this.requestScan();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.reconnectTimer);
		clearInterval(this.watchdogTimer);
		const client = this.client;
		this.client = undefined;
		this.generation++;
		if (scanInFlight(this.scanRunning)) await Promise.race([this.scanRunning, sleep(5000)]);
		if (client) {
			await withTimeout(() => client.logout(), { ms: 3000, what: 'LOGOUT' }).catch(() => client.close());
		}
	}

	/** Whether a live session is open right now (for tests and diagnostics). */
	get connected(): boolean {
		return this.client?.usable === true;
	}

	failure(error: unknown): Error & { failure: MailFailure } {
		const failure = classifyMailError(error, this.options.server);
		return Object.assign(new Error(failure.message), { failure });
	}

	private async connect(): Promise<void> {
		const generation = ++this.generation;
		const settings: ImapFlowOptions = {
			...imapFlowOptions(this.options.server),
			// Return to IDLE quickly after our own commands, so new mail is pushed within a second instead of
			// waiting out imapflow's 15 s default.
			autoIdleDelay: 1000,
			maxIdleTime: 5 * 60 * 1000,
		};
		const client = new ImapFlow(settings);
		client.on('error', (error: Error) => this.connectionLost(generation, error));
		client.on('close', () => this.connectionLost(generation, new Error('connection closed')));
		client.on('exists', () => {
			if (generation === this.generation) this.requestScan();
		});
		try {
			await withTimeout(
				async () => {
					await client.connect();
					await client.mailboxOpen(this.options.mailbox);
				},
				{ ms: this.deadAfterMs * 3, what: 'connecting' },
			);
		} catch (error) {
			client.close();
			throw error;
		}
		if (this.stopped || generation !== this.generation) {
			client.close();
			return;
		}
		this.client = client;
		this.stats.connects++;
		this.failures = 0;
		this.adoptMailbox(client);
		await this.retryPostActions(client);
		this.options.log.info('IMAP session open', {
			mailbox: this.options.mailbox,
			connects: this.stats.connects,
		});
	}

	/** Applies UIDVALIDITY and first-start rules to the saved state after a mailbox was opened. */
	private adoptMailbox(client: ImapFlow): void {
		const mailbox = client.mailbox;
		if (!mailbox) return;
		const uidValidity = String(mailbox.uidValidity);
		const state = this.options.state.load();
		if (state.uidValidity === undefined) {
			const lastUid = this.options.firstStart === 'new' ? Number(mailbox.uidNext) - 1 : 0;
			this.options.state.save({
				...state,
				uidValidity,
				lastUid,
				recentMessageIds: state.recentMessageIds ?? [],
			});
		} else if (state.uidValidity !== uidValidity) {
			// UIDs of the old validity mean nothing now: rescan everything, skipping what was already handed
			// over (recognised by Message-ID).
			this.options.log.warn('IMAP UIDVALIDITY changed: rescanning the mailbox without duplicates', {
				previous: state.uidValidity,
				current: uidValidity,
			});
			this.options.state.save({ ...state, uidValidity, lastUid: 0, pendingPostActions: [] });
		}
	}

	private async retryPostActions(client: ImapFlow): Promise<void> {
		const state = this.options.state.load();
		for (const uid of state.pendingPostActions ?? []) await this.postAction(client, uid);
	}

	private connectionLost(generation: number, error: unknown): void {
		if (this.stopped || generation !== this.generation) return;
		this.generation++;
		this.stats.connectionLosses++;
		this.stats.lastError = this.failure(error).message;
		const client = this.client;
		this.client = undefined;
		client?.close();
		this.options.log.warn('IMAP connection lost; reconnecting', { error: this.stats.lastError });
		this.scheduleReconnect();
	}

	private scheduleReconnect(): void {
		if (this.stopped) return;
		clearTimeout(this.reconnectTimer);
		const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 1000, maxMs: 15000 };
		const delay = Math.min(maxMs, initialMs * 2 ** Math.min(this.failures, 16)) * (0.8 + Math.random() * 0.4);
		this.reconnectTimer = setTimeout(() => {
			this.connect().then(
				() => this.requestScan(),
				(error: unknown) => {
					this.failures++;
					this.stats.lastError = this.failure(error).message;
					this.options.log.warn('IMAP reconnect failed; retrying', {
						error: this.stats.lastError,
						attempt: this.failures,
					});
					this.scheduleReconnect();
				},
			);
		}, delay);
	}

	/** NOOP on a timer: a server that stopped answering is noticed within watchdogMs + deadAfterMs. */
	private async watchdog(): Promise<void> {
		const client = this.client;
		if (!client || this.stopped) return;
		const generation = this.generation;
		try {
			await withTimeout(() => client.noop(), { ms: this.deadAfterMs, what: 'NOOP' });
			this.requestScan();
		} catch (error) {
			this.connectionLost(generation, error);
		}
	}

	/** Coalesces scan requests: at most one scan runs, and one more follows if anything asked meanwhile. */
	requestScan(): void {
		if (this.stopped) return;
		if (scanInFlight(this.scanRunning)) {
			this.scanAgain = true;
			return;
		}
		this.scanRunning = this.scan()
			.catch((error: unknown) => {
				this.stats.lastError = this.failure(error).message;
				this.options.log.debug('IMAP scan interrupted', { error: this.stats.lastError });
			})
			.finally(() => {
				this.scanRunning = undefined;
				if (this.scanAgain) {
					this.scanAgain = false;
					this.requestScan();
				}
			});
	}

	private async scan(): Promise<void> {
		const client = this.client;
		if (!client?.mailbox) return;
		const generation = this.generation;
		const state = this.options.state.load();
		const lastUid = state.lastUid ?? 0;
		const { criteria } = this.options;
		const query: SearchObject = { uid: `${lastUid + 1}:*` };
		if (criteria.unseenOnly) query.seen = false;
		if (criteria.from) query.from = criteria.from;
		if (criteria.subject) query.subject = criteria.subject;
		if (criteria.since) query.since = criteria.since;
		const found = await client.search(query, { uid: true });
		// "n:*" always matches the newest message even when its UID is below n.
		const uids = (found || []).filter((uid) => uid > lastUid).sort((a, b) => a - b);
		for (const uid of uids) {
			if (this.stopped || generation !== this.generation) return;
			await this.handOver(client, uid, String(client.mailbox.uidValidity), generation);
		}
	}

	private async handOver(
		client: ImapFlow,
		uid: number,
		uidValidity: string,
		generation: number,
	): Promise<void> {
		const message = await client.fetchOne(
			String(uid),
			{ source: true, flags: true, internalDate: true, envelope: true },
			{ uid: true },
		);
		if (!message || !message.source) return;
		const state = this.options.state.load();
		const messageId = message.envelope?.messageId;
		const recent = state.recentMessageIds ?? [];
		if (messageId && recent.includes(messageId)) {
			this.stats.skippedDuplicates++;
			this.options.state.save({ ...state, lastUid: Math.max(uid, state.lastUid ?? 0) });
			return;
		}
		const emit = await this.options.deliver.prepare({
			uid,
			uidValidity,
			mailbox: this.options.mailbox,
			source: message.source,
			flags: [...(message.flags ?? [])],
			internalDate: message.internalDate ? new Date(message.internalDate).toISOString() : null,
		});
		if (this.stopped || generation !== this.generation) return;
		const hasPostAction = this.options.postAction.markSeen || Boolean(this.options.postAction.moveTo);
		// Position first, emit second: n8n writes static data when the trigger emits and at no other time while
		// the workflow runs, so saving after the emit would leave the last mail's UID in memory only and an n8n
		// restart would emit that mail again.
		const current = this.options.state.load();
		this.options.state.save({
			...current,
			lastUid: Math.max(uid, current.lastUid ?? 0),
			recentMessageIds: messageId
				? [...(current.recentMessageIds ?? []), messageId].slice(-RECENT_IDS)
				: current.recentMessageIds,
			pendingPostActions: hasPostAction
				? [...(current.pendingPostActions ?? []), uid]
				: current.pendingPostActions,
		});
		emit();
		this.stats.delivered++;
		if (hasPostAction) await this.postAction(client, uid);
	}

	/** Marks seen / moves a message that was handed over; kept pending (and retried) if the session drops. */
	private async postAction(client: ImapFlow, uid: number): Promise<void> {
		const { markSeen, moveTo } = this.options.postAction;
		if (markSeen) await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
		if (moveTo) await client.messageMove(String(uid), moveTo, { uid: true });
		const state = this.options.state.load();
		this.options.state.save({
			...state,
			pendingPostActions: (state.pendingPostActions ?? []).filter((pending) => pending !== uid),
		});
	}
}

function scanInFlight(scan: Promise<void> | undefined): scan is Promise<void> {
	return scan !== undefined;
}
