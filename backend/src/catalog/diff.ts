import { KIND_ORDER, type Resource, type ResourceKind } from './resources';

export type Action = 'add' | 'change' | 'remove';

export interface ResourceChange {
	kind: ResourceKind;
	id: string;
	action: Action;
	/** attribute names that differ (all of them for add and remove) */
	changed: string[];
	before?: Record<string, string>;
	after?: Record<string, string>;
}

export interface ServicePlan {
	name: string;
	action: Action | 'unchanged';
	resources: ResourceChange[];
}

const key = (resource: Resource) => `${resource.kind}\u0000${resource.id}`;

/**
 * What turns `base` into `desired`, grouped by service. A resource that moves from one service to another is a
 * change of both: removed from one, added to the other.
 */
export function diffResources(base: Resource[], desired: Resource[]): ServicePlan[] {
	const before = new Map(base.map((resource) => [key(resource), resource]));
	const after = new Map(desired.map((resource) => [key(resource), resource]));
	const plans = new Map<string, ResourceChange[]>();
	const record = (service: string, change: ResourceChange) =>
		plans.set(service, [...(plans.get(service) ?? []), change]);

	for (const resource of desired) {
		const old = before.get(key(resource));
		if (!old || old.service !== resource.service) {
			record(resource.service, {
				kind: resource.kind,
				id: resource.id,
				action: 'add',
				changed: Object.keys(resource.attributes),
				after: resource.attributes,
			});
			continue;
		}
		const names = [...new Set([...Object.keys(old.attributes), ...Object.keys(resource.attributes)])];
		const changed = names.filter((name) => old.attributes[name] !== resource.attributes[name]);
		if (changed.length)
			record(resource.service, {
				kind: resource.kind,
				id: resource.id,
				action: 'change',
				changed,
				before: old.attributes,
				after: resource.attributes,
			});
	}
	for (const resource of base) {
		const kept = after.get(key(resource));
		if (kept && kept.service === resource.service) continue;
		record(resource.service, {
			kind: resource.kind,
			id: resource.id,
			action: 'remove',
			changed: Object.keys(resource.attributes),
			before: resource.attributes,
		});
	}

	const services = new Set([...base, ...desired].map((resource) => resource.service));
	const existedBefore = new Set(base.filter((r) => r.kind === 'stack').map((r) => r.service));
	const existsAfter = new Set(desired.filter((r) => r.kind === 'stack').map((r) => r.service));
	return [...services].sort().map((name) => {
		const resources = (plans.get(name) ?? []).sort(
			(a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.id.localeCompare(b.id),
		);
		const action: ServicePlan['action'] = !existedBefore.has(name)
			? 'add'
			: !existsAfter.has(name)
				? 'remove'
				: resources.length
					? 'change'
					: 'unchanged';
		return { name, action, resources };
	});
}

/** A line diff (longest common subsequence) for multi-line attributes such as the rendered compose file. */
export function lineDiff(before: string, after: string): string[] {
	const a = before.split('\n');
	const b = after.split('\n');
	const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
	for (let i = a.length - 1; i >= 0; i--)
		for (let j = b.length - 1; j >= 0; j--)
			lengths[i][j] =
				a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
	const lines: string[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length || j < b.length) {
		if (i < a.length && j < b.length && a[i] === b[j]) {
			lines.push(`  ${a[i]}`);
			i++;
			j++;
		} else if (i < a.length && (j >= b.length || lengths[i + 1][j] >= lengths[i][j + 1]))
			lines.push(`- ${a[i++]}`);
		else lines.push(`+ ${b[j++]}`);
	}
	return lines;
}
