import type { AnyJobDefinition } from '../engine/types';
import { backupRun } from './backup-run';
import { deployStack } from './deploy-stack';
import type { JobServices } from './ops';
import { provisionVm } from './provision-vm';
import { selftest } from './selftest';

export const builtinJobs: Array<AnyJobDefinition<JobServices>> = [
	provisionVm as AnyJobDefinition<JobServices>,
	backupRun as AnyJobDefinition<JobServices>,
	deployStack as AnyJobDefinition<JobServices>,
	selftest as AnyJobDefinition<JobServices>,
];
