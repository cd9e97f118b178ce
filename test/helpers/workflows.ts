import type { WorkflowJson, WorkflowNode } from '../harness/n8n';

/** A workflow `Manual Trigger -> node1 -> node2 ...` in a straight line, the shape most tests need. */
export function linearWorkflow(name: string, nodes: WorkflowNode[]): WorkflowJson {
	const all: WorkflowNode[] = [
		{
			name: 'Manual Trigger',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			parameters: {},
			position: [0, 0],
		},
		...nodes.map((node, index) => ({ ...node, position: [220 * (index + 1), 0] })),
	];
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < all.length - 1; index++) {
		connections[all[index].name] = { main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { name, nodes: all, connections };
}

/** A Code node that emits the given JSON items. */
export function itemsNode(name: string, items: Array<Record<string, unknown>>): WorkflowNode {
	return {
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
	};
}
