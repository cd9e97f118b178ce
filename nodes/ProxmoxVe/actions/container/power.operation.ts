// Container start, stop, shutdown, reboot, suspend and resume: shared/power.ts, one piece with the VM's.
import { powerOperations } from '../shared/power';

export const { startExecute, stopExecute, shutdownExecute, rebootExecute, suspendExecute, resumeExecute } =
	powerOperations('lxc');
