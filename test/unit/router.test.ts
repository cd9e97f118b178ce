// The one lookup every node's router uses: resource + operation of *this* item, and an actionable error for an
// operation this version of the pack does not have (a workflow saved by a newer version, or edited by hand).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { findOperation } from '../../nodes/shared/router';

const node: INode = {
	id: '1',
	name: 'Proxmox VE',
	type: 'n8n-nodes-homelab.proxmoxVe',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** A context whose parameters differ per item, to prove the lookup never reads item 0 for every item. */
function contextWithItems(items: Array<{ resource: string; operation: string }>): IExecuteFunctions {
	const fake = {
		getNode: () => node,
		getNodeParameter: (name: 'resource' | 'operation', itemIndex: number) => items[itemIndex][name],
	};
	return fake as unknown as IExecuteFunctions;
}

const operations = { vm: { start: 'vm.start', stop: 'vm.stop' }, node: { list: 'node.list' } };

describe('shared/router findOperation', () => {
	it("finds each item's own operation", () => {
		const context = contextWithItems([
			{ resource: 'vm', operation: 'start' },
			{ resource: 'node', operation: 'list' },
		]);
		assert.equal(findOperation(context, operations, 0), 'vm.start');
		assert.equal(findOperation(context, operations, 1), 'node.list');
	});

	it('names the unknown operation and resource, the item, and says to update the package', () => {
		const context = contextWithItems([
			{ resource: 'vm', operation: 'start' },
			{ resource: 'vm', operation: 'hibernate' },
		]);
		assert.throws(
			() => findOperation(context, operations, 1),
			(error: unknown) => {
				assert.ok(error instanceof NodeOperationError);
				assert.equal(error.message, 'The operation "hibernate" on "vm" is not known');
				assert.match(String(error.description), /newer version of n8n-nodes-homelab: update the package/);
				assert.equal(error.context.itemIndex, 1);
				return true;
			},
		);
		assert.throws(
			() => findOperation(contextWithItems([{ resource: 'lxc', operation: 'start' }]), operations, 0),
			{
				message: 'The operation "start" on "lxc" is not known',
			},
		);
	});
});
