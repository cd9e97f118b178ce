// How the node turns the client's failures into n8n errors: the message, the hint in the description and the
// HTTP code a user sees in the editor.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	ProxmoxApiError,
	ProxmoxCancelledError,
	ProxmoxInputError,
	ProxmoxTaskError,
	ProxmoxTimeoutError,
} from '../../clients/proxmox';
import { toNodeError } from '../../nodes/ProxmoxVe/transport';

const node: INode = {
	id: '1',
	name: 'Proxmox VE',
	type: 'n8n-nodes-homelab.proxmoxVe',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('Proxmox VE node error mapping', () => {
	it('403: names the identity, the privilege and the privilege-separation fix', () => {
		const error = toNodeError(
			node,
			new ProxmoxApiError('Permission check failed (/vms/100, VM.PowerMgmt)', {
				method: 'POST',
				path: '/nodes/pve1/qemu/100/status/start',
				status: 403,
				reason: 'Permission check failed (/vms/100, VM.PowerMgmt)',
			}),
			2,
			'n8n@pve!automation',
		);
		assert.ok(error instanceof NodeApiError);
		assert.equal(error.message, 'Proxmox VE: Permission check failed (/vms/100, VM.PowerMgmt)');
		assert.equal(error.httpCode, '403');
		assert.equal(error.context.itemIndex, 2);
		assert.match(
			String(error.description),
			/^n8n@pve!automation lacks the privilege VM\.PowerMgmt on \/vms\/100\. /,
		);
		assert.match(String(error.description), /Privilege Separation/);
	});

	it('403 for a user (not a token) points at user permissions', () => {
		const error = toNodeError(
			node,
			new ProxmoxApiError('Permission check failed (/, Sys.Audit)', {
				method: 'GET',
				path: '/cluster/status',
				status: 403,
				reason: 'Permission check failed (/, Sys.Audit)',
			}),
			0,
			'ops@pve',
		);
		assert.match(String(error.description), /User Permission/);
		assert.doesNotMatch(String(error.description), /Privilege Separation/);
	});

	it('401, 400 and connection failures get their own hints', () => {
		const unauthorized = toNodeError(
			node,
			new ProxmoxApiError('invalid token value!', { method: 'GET', path: '/version', status: 401 }),
		);
		assert.equal(unauthorized.message, 'Proxmox VE: invalid token value!');
		assert.match(String(unauthorized.description), /Token ID \(USER@REALM!TOKENNAME\)/);
		const badParams = toNodeError(
			node,
			new ProxmoxApiError('Parameter verification failed. vmid: value must have a minimum value of 100', {
				method: 'POST',
				path: '/nodes/pve1/qemu/9000/clone',
				status: 400,
				errors: { newid: 'value must have a minimum value of 100' },
			}),
		);
		assert.match(String(badParams.description), /newid: value must have a minimum value of 100/);
		const selfSigned = toNodeError(
			node,
			new ProxmoxApiError('The certificate of pve1:8006 does not verify (self-signed)', {
				method: 'GET',
				path: '/version',
				status: 0,
			}),
		);
		assert.equal(selfSigned.message, 'The certificate of pve1:8006 does not verify (self-signed)');
		assert.match(String(selfSigned.description), /Allow Self-Signed Certificate/);
	});

	it('tasks, timeouts, cancellation and bad input become NodeOperationErrors', () => {
		const task = toNodeError(
			node,
			new ProxmoxTaskError('Task qmclone 9000 on pve1 failed: storage full', 'UPID:x', 'storage full', [
				'transferred 1 GiB',
				'TASK ERROR: storage full',
			]),
		);
		assert.ok(task instanceof NodeOperationError);
		assert.match(String(task.description), /transferred 1 GiB\nTASK ERROR: storage full/);
		assert.match(String(task.description), /^The task log lines say why/);
		const timeout = toNodeError(node, new ProxmoxTimeoutError('still running', 'UPID:pve1:1'));
		assert.match(String(timeout.description), /keeps running on Proxmox.*UPID:pve1:1/);
		const agent = toNodeError(node, new ProxmoxTimeoutError('no IP'));
		assert.match(String(agent.description), /qemu-guest-agent/);
		assert.ok(toNodeError(node, new ProxmoxCancelledError('stopped')) instanceof NodeOperationError);
		const input = toNodeError(
			node,
			new ProxmoxInputError('vmid 5 is out of range', 'vmid', 'IDs start at 100'),
		);
		assert.deepEqual([input.message, input.description], ['vmid 5 is out of range', 'IDs start at 100']);
	});
});
