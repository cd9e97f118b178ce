import type { HassState, StateChangedData } from '../../clients/homeassistant';

// The state-change logic of the trigger, without n8n or sockets so it can be tested on its own: which changes
// match (entity patterns, from/to, attribute-only changes, unavailable/unknown), the "for" hold time, emitting
// each change once, and catching up on changes missed while disconnected.

export interface StateWatcherOptions {
	/** Entity IDs or glob patterns (light.*, binary_sensor.*_motion). */
	entities: string[];
	/** Previous state must be one of these (empty: any). */
	from: string[];
	/** New state must be one of these (empty: any). */
	to: string[];
	/** The new state must hold this long before the change is emitted (0: at once). */
	forMs: number;
	/** Skip changes where only attributes changed (the state text stayed the same). */
	ignoreAttributeOnly: boolean;
	/** Skip changes from or to unavailable/unknown unless From/To name them (restarts produce many). */
	ignoreUnavailable: boolean;
}

export interface StateChange {
	entity_id: string;
	state: string | null;
	previous_state: string | null;
	new_state: HassState | null;
	old_state: HassState | null;
	/** True when found by comparing states after a reconnect rather than from a live event. */
	caught_up: boolean;
	/** How long the state was held before emitting ("for"), in seconds. */
	held_for_seconds?: number;
}

/** A state as the trigger remembers it across n8n restarts: without attributes, to keep static data small. */
export type RememberedState = Omit<HassState, 'attributes' | 'last_reported'>;

const UNSETTLED = new Set(['unavailable', 'unknown']);

export function patternToRegExp(pattern: string): RegExp {
	const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
	return new RegExp(`^${escaped}$`);
}

export function splitList(raw: string): string[] {
	return raw
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
}

export class StateWatcher {
	private readonly patterns: RegExp[];
	/** Last real (settled) state seen per matching entity (from events or get_states). */
	private readonly lastSeen = new Map<string, HassState | null>();
	/** Keys of changes already emitted, newest last (bounded). */
	private readonly emitted = new Set<string>();
	private readonly holds = new Map<string, { timer: NodeJS.Timeout; state: string }>();

	constructor(
		readonly options: StateWatcherOptions,
		private readonly emit: (change: StateChange) => void,
	) {
		this.patterns = options.entities.map(patternToRegExp);
	}

	watches(entityId: string): boolean {
		return this.patterns.some((pattern) => pattern.test(entityId));
	}

	/**
	 * Whether a state counts as a real one. With "ignore unavailable", unavailable/unknown (unless From/To name
	 * them) are a gap — what a restart or a flaky device produces — not a state to report or remember.
	 */
	private settled(value: string | null | undefined): boolean {
		if (value === null || value === undefined) return false;
		if (!this.options.ignoreUnavailable || !UNSETTLED.has(value)) return true;
		return this.options.from.includes(value) || this.options.to.includes(value);
	}

	/**
	 * Remembers the current states (on activation) so a later catch-up has something to compare with; entities
	 * already known (from `restore` or from an event that arrived first) keep what is known.
	 */
	seed(states: HassState[]): void {
		for (const state of states) {
			if (this.watches(state.entity_id) && this.settled(state.state) && !this.lastSeen.has(state.entity_id))
				this.lastSeen.set(state.entity_id, state);
		}
	}

	/**
	 * The last real state of every watched entity, trimmed to what a later comparison needs (no attributes):
	 * the trigger keeps it in the workflow's static data so an n8n restart can catch up (see `restore`).
	 */
	remembered(): RememberedState[] {
		return [...this.lastSeen.values()]
			.filter((state): state is HassState => state !== null)
			.map(({ entity_id, state, last_changed, last_updated, context }) => ({
				entity_id,
				state,
				last_changed,
				last_updated,
				context: { id: context?.id ?? '', parent_id: null, user_id: null },
			}));
	}

	/** Takes the states remembered before an n8n restart as the last ones seen; call `catchUp` next. */
	restore(saved: RememberedState[]): void {
		for (const state of saved) {
			if (
				state &&
				typeof state.entity_id === 'string' &&
				this.watches(state.entity_id) &&
				this.settled(state.state)
			)
				this.lastSeen.set(state.entity_id, { ...state, attributes: {} });
		}
	}

	/** A live state_changed event. */
	handleEvent(data: StateChangedData): void {
		if (!this.watches(data.entity_id)) return;
		const next = data.new_state;
		let old = data.old_state;
		if (!this.settled(next?.state)) {
			// Going unavailable: nothing to report; a hold ("for") on the previous state ends.
			this.endHold(data.entity_id, next?.state ?? null);
			return;
		}
		if (!this.settled(old?.state)) {
			// Back from unavailable: report it as a change from the last real state, if it differs.
			old = this.lastSeen.get(data.entity_id) ?? null;
			if (!old || old.state === next?.state) {
				if (next) this.lastSeen.set(data.entity_id, next);
				return;
			}
		}
		if (next) this.lastSeen.set(data.entity_id, next);
		this.consider(data.entity_id, old, next, false);
	}

	/**
	 * After a reconnect (and again when Home Assistant reports homeassistant_started): compares the states Home
	 * Assistant has now with the last real ones seen, and treats each difference as a change that happened while
	 * disconnected.
	 */
	catchUp(states: HassState[]): number {
		let found = 0;
		for (const current of states) {
			if (!this.watches(current.entity_id) || !this.lastSeen.has(current.entity_id)) continue;
			if (!this.settled(current.state)) continue;
			const previous = this.lastSeen.get(current.entity_id) ?? null;
			this.lastSeen.set(current.entity_id, current);
			if (previous?.state === current.state) continue;
			found += 1;
			this.consider(current.entity_id, previous, current, true);
		}
		return found;
	}

	private endHold(entityId: string, newText: string | null): void {
		const hold = this.holds.get(entityId);
		if (hold && hold.state !== newText) {
			clearTimeout(hold.timer);
			this.holds.delete(entityId);
		}
	}

	stop(): void {
		for (const hold of this.holds.values()) clearTimeout(hold.timer);
		this.holds.clear();
	}

	private consider(entityId: string, old: HassState | null, next: HassState | null, caughtUp: boolean): void {
		const { from, to, forMs, ignoreAttributeOnly } = this.options;
		const oldText = old?.state ?? null;
		const newText = next?.state ?? null;
		// A hold ("for") ends as soon as the state moves away from the one being held.
		this.endHold(entityId, newText);
		if (ignoreAttributeOnly && oldText === newText) return;
		if (from.length && !from.includes(oldText ?? '')) return;
		if (to.length && !to.includes(newText ?? '')) return;
		const change: StateChange = {
			entity_id: entityId,
			state: newText,
			previous_state: oldText,
			new_state: next,
			old_state: old,
			caught_up: caughtUp,
		};
		if (forMs <= 0) return this.once(change);
		if (this.holds.has(entityId)) return;
		const timer = setTimeout(() => {
			this.holds.delete(entityId);
			this.once({ ...change, held_for_seconds: forMs / 1000 });
		}, forMs);
		this.holds.set(entityId, { timer, state: newText ?? '' });
	}

	private once(change: StateChange): void {
		const state = change.new_state;
		const key = `${change.entity_id}|${state?.last_updated ?? ''}|${state?.context?.id ?? ''}|${change.state ?? ''}`;
		if (this.emitted.has(key)) return;
		this.emitted.add(key);
		if (this.emitted.size > 2000) this.emitted.delete(this.emitted.values().next().value as string);
		this.emit(change);
	}
}
