import { lineDiff, type ResourceChange } from './diff';
import type { LiveServicePlan } from './online';
import type { Plan } from './plan';

const SIGN = { add: '+', change: '~', remove: '-', unchanged: ' ' } as const;
/** unchanged lines kept around a change in compose diffs */
const CONTEXT = 2;

/** the changed lines of a multi-line attribute with a little context, like `diff -U2` */
function excerpt(before: string, after: string): string[] {
	const lines = lineDiff(before, after);
	const near = (index: number) =>
		lines.slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1).some((line) => !line.startsWith('  '));
	const result: string[] = [];
	lines.forEach((line, index) => {
		if (near(index)) result.push(line);
		else if (result[result.length - 1] !== '  ...') result.push('  ...');
	});
	return result.filter((line) => line !== '  ' && line.trim() !== '');
}

/** one line per attribute: short values inline, multi-line ones (compose, docs) as a line diff */
function details(change: ResourceChange): string[] {
	const lines: string[] = [];
	for (const name of change.changed) {
		const before = change.before?.[name] ?? '';
		const after = change.after?.[name] ?? '';
		if (before.includes('\n') || after.includes('\n')) {
			// what would exist is shown whole (compose after interpolation, docs page); what goes away by name only
			if (change.action === 'add')
				lines.push(
					`${name}:`,
					...after
						.trimEnd()
						.split('\n')
						.map((line) => `  ${line}`),
				);
			else if (change.action === 'change')
				lines.push(`${name}:`, ...excerpt(before, after).map((line) => `  ${line}`));
		} else if (change.action === 'change')
			lines.push(`${name}: ${before || '(none)'} -> ${after || '(none)'}`);
		else if (change.action === 'add' && after) lines.push(`${name}: ${after}`);
	}
	return lines;
}

const LIVE_SIGN = { create: '+', recreate: '~', start: '>', unchanged: ' ', remove: '-' } as const;

/** the online part: per service, what a deploy would do to each container, and why */
function liveLines(live: LiveServicePlan[]): string[] {
	const lines = ['Containers (live, against the Docker hosts):'];
	for (const service of live) {
		if (service.error) {
			lines.push(`  ? ${service.name} on ${service.host}: cannot tell, ${service.error}`);
			continue;
		}
		lines.push(`  ${service.name} on ${service.host}: ${service.action}`);
		for (const container of service.containers)
			lines.push(
				`    ${LIVE_SIGN[container.action]} ${container.action} ${container.container}${container.reason ? ` (${container.reason})` : ''}`,
			);
	}
	return lines;
}

function summaryLine(plan: Plan): string {
	if (plan.incomplete) return 'Plan incomplete: some Docker hosts could not be asked (see above).';
	if (plan.live) {
		const count = (action: LiveServicePlan['action']) =>
			plan.live!.filter((service) => service.action === action).length;
		const live = `live: ${count('create')} stack(s) to create, ${count('change')} to change, ${count('unchanged')} unchanged`;
		return `${plan.hasChanges ? 'Plan' : 'No changes'}: ${live}.${plan.base ? ` Catalog against base: ${catalogSummary(plan)}` : ''}`;
	}
	return catalogSummary(plan);
}

function catalogSummary(plan: Plan): string {
	const { add, change, remove, unchanged } = plan.summary;
	if (add + change + remove === 0) return `No changes: ${unchanged} service(s) match the base.`;
	return `Plan: ${add} service(s) to add, ${change} to change, ${remove} to remove, ${unchanged} unchanged.`;
}

function header(plan: Plan): string {
	const at = (label: Plan['catalog']) =>
		`${label.label}${label.commit ? ` (${label.commit.slice(0, 12)})` : ''}`;
	const base = plan.base ? at(plan.base) : plan.live ? 'the Docker hosts' : 'an empty lab (no --base)';
	return `Catalog ${at(plan.catalog)} against ${base}`;
}

export function renderText(plan: Plan): string {
	const out = [header(plan), ''];
	for (const service of plan.services) {
		if (service.action === 'unchanged') continue;
		const where = [service.stack, service.host && `on ${service.host}`].filter(Boolean).join(', ');
		out.push(`${SIGN[service.action]} service ${service.name}${where ? ` (${where})` : ''}`);
		for (const change of service.resources) {
			out.push(`    ${SIGN[change.action]} ${change.kind} ${change.id}`);
			out.push(...details(change).map((line) => `        ${line}`));
		}
		out.push('');
	}
	if (plan.live) out.push(...liveLines(plan.live), '');
	for (const warning of plan.warnings) out.push(`warning: ${warning}`);
	out.push(summaryLine(plan));
	return `${out.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** for a pull-request comment: a summary table, then each service's changes folded */
export function renderMarkdown(plan: Plan): string {
	const out = ['### homelab plan', '', header(plan), ''];
	out.push(`**${summaryLine(plan)}**`, '');
	const changed = plan.services.filter((service) => service.action !== 'unchanged');
	if (changed.length) {
		out.push('| | service | stack | host | changes |', '| --- | --- | --- | --- | --- |');
		for (const service of changed) {
			const changes = service.resources.map((change) => `${SIGN[change.action]} ${change.kind} ${change.id}`);
			out.push(
				`| ${SIGN[service.action]} | ${cell(service.name)} | ${cell(service.stack ?? '')} | ${cell(service.host ?? '')} | ${cell(changes.join(', '))} |`,
			);
		}
		out.push('');
		for (const service of changed) {
			out.push(`<details><summary>${SIGN[service.action]} ${service.name}</summary>`, '', '```diff');
			for (const change of service.resources) {
				out.push(`${SIGN[change.action]} ${change.kind} ${change.id}`);
				out.push(...details(change).map((line) => `    ${line}`));
			}
			out.push('```', '', '</details>', '');
		}
	}
	if (plan.live) out.push('```', ...liveLines(plan.live), '```', '');
	if (plan.warnings.length) out.push(...plan.warnings.map((warning) => `> warning: ${warning}`), '');
	return `${out.join('\n')}\n`;
}

export function renderJson(plan: Plan): string {
	return `${JSON.stringify(plan, null, 2)}\n`;
}
