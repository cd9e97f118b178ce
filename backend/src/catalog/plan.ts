import { diffResources, type ServicePlan } from './diff';
import type { Catalog } from './model';
import type { LiveServicePlan } from './online';
import { desiredResources } from './resources';

export interface SourceLabel {
	/** what the user gave: a folder, GIT_URL#ref, or a ref */
	label: string;
	commit?: string;
}

export interface Plan {
	catalog: SourceLabel;
	base: SourceLabel | null;
	hasChanges: boolean;
	summary: { add: number; change: number; remove: number; unchanged: number };
	services: Array<ServicePlan & { stack?: string; host?: string }>;
	warnings: string[];
	/** online only: each service's containers against its Docker host */
	live?: LiveServicePlan[];
	/** online only: some host could not be asked, so the plan is incomplete */
	incomplete?: boolean;
}

/** The offline plan: what changes between the base catalog (none: an empty lab) and this one. */
export function planOffline(
	catalog: Catalog,
	base: Catalog | undefined,
	labels: { catalog: SourceLabel; base: SourceLabel | null },
): Plan {
	const services = diffResources(base ? desiredResources(base) : [], desiredResources(catalog)).map(
		(plan) => {
			const declared = catalog.services.find((service) => service.name === plan.name);
			const before = base?.services.find((service) => service.name === plan.name);
			const source = declared ?? before;
			return { ...plan, stack: source?.stack, host: source?.host };
		},
	);
	const count = (action: ServicePlan['action']) =>
		services.filter((service) => service.action === action).length;
	const summary = {
		add: count('add'),
		change: count('change'),
		remove: count('remove'),
		unchanged: count('unchanged'),
	};
	return {
		...labels,
		hasChanges: summary.add + summary.change + summary.remove > 0,
		summary,
		services,
		warnings: catalog.services.flatMap((service) => service.warnings),
	};
}

/** Adds the online part: container changes count as changes; an unreachable host makes the plan incomplete. */
export function withLive(plan: Plan, live: LiveServicePlan[]): Plan {
	const liveChanges = live.some((service) => service.action === 'create' || service.action === 'change');
	return {
		...plan,
		live,
		hasChanges: plan.hasChanges || liveChanges,
		incomplete: live.some((service) => service.action === 'unknown'),
	};
}
