// VM start, stop, shutdown, reboot, suspend and resume (shared/power.ts, one piece with the container's), and
// the fields only VMs have.
import type { INodeProperties } from 'n8n-workflow';

import { powerOperations } from '../shared/power';

export const { startExecute, stopExecute, shutdownExecute, rebootExecute, suspendExecute, resumeExecute } =
	powerOperations('qemu');

const shutdownShow = { resource: ['vm'], operation: ['shutdown'] };

export const shutdownDescription: INodeProperties[] = [
	{
		displayName: 'To Disk (Hibernate)',
		name: 'suspendToDisk',
		type: 'boolean',
		default: false,
		description:
			'Whether to save the RAM to disk and stop the VM (it continues on Resume or Start) instead of pausing it in memory',
		displayOptions: { show: { resource: ['vm'], operation: ['suspend'] } },
	},
	{
		displayName: 'Shutdown Timeout (Seconds)',
		name: 'shutdownTimeout',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 180,
		description: 'How long Proxmox waits for the guest to power off',
		displayOptions: { show: shutdownShow },
	},
	{
		displayName: 'Force Stop After Timeout',
		name: 'forceStop',
		type: 'boolean',
		default: false,
		description: 'Whether to stop the VM hard when the guest has not shut down in time',
		displayOptions: { show: shutdownShow },
	},
];
