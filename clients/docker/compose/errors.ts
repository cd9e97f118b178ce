import { DockerError } from '../errors';

/** A problem with a compose file: `line`/`column` point into the YAML when known. */
export class ComposeError extends DockerError {
	constructor(
		message: string,
		hint: string,
		readonly line?: number,
		readonly column?: number,
	) {
		super(message, hint, undefined, 'COMPOSE');
		this.name = 'ComposeError';
	}
}
