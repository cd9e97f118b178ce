import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

import { parseDotEnv } from '../../../clients/docker/compose/dotenv';
import { CatalogInvalidError } from './problems';

/** `${NAME}` in catalog files: a secret reference (the whole value, or part of an env value). */
export const SECRET_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** What is shown instead of a secret, everywhere. */
export const MASK = '***';

/** Shorter values are not masked by value (masking "1" or "on" would garble every output); they are still
 * never rendered, since output is built from references, not values. */
const MASK_BY_VALUE_MIN_LENGTH = 4;

export interface SecretsOptions {
	/** NAME=value lines (.env syntax); must be outside the catalog and mode 600 */
	file?: string;
	/** the environment, consulted after the file */
	env?: Record<string, string | undefined>;
	/** the catalog folder: a secrets file inside it could end up in Git */
	catalogRoot: string;
}

/** Resolves secret references and remembers every value it handed out, so outputs can be masked by value. */
export class Secrets {
	private readonly used = new Set<string>();

	private constructor(
		private readonly fromFile: Record<string, string>,
		private readonly env: Record<string, string | undefined>,
	) {}

	static open(options: SecretsOptions): Secrets {
		const env = options.env ?? {};
		if (!options.file) return new Secrets({}, env);
		const file = path.resolve(options.file);
		const refuse = (message: string, hint: string): never => {
			throw new CatalogInvalidError([{ file, message, hint }]);
		};
		let real: string;
		try {
			real = realpathSync(file);
		} catch {
			return refuse(
				'secrets file does not exist',
				'Create it (NAME=value lines) with chmod 600, or fix --secrets',
			);
		}
		const root = realpathSync(options.catalogRoot);
		if (real === root || real.startsWith(`${root}${path.sep}`))
			refuse(
				'secrets file is inside the catalog folder, where it could be committed to Git',
				'Move it out of the catalog (e.g. ~/.config/homelab/secrets.env) and pass --secrets',
			);
		const mode = statSync(real).mode & 0o777;
		if (mode & 0o077)
			refuse(`secrets file can be read by others (mode ${mode.toString(8)})`, `Run chmod 600 ${file}`);
		return new Secrets(parseDotEnv(readFileSync(real, 'utf8')), env);
	}

	/** the secret's value, or undefined when neither the file nor the environment has it */
	get(name: string): string | undefined {
		const value = Object.prototype.hasOwnProperty.call(this.fromFile, name)
			? this.fromFile[name]
			: this.env[name];
		if (value !== undefined) this.used.add(value);
		return value;
	}

	/** replaces every secret value handed out so far with the mask */
	mask(text: string): string {
		const values = [...this.used].filter((value) => value.length >= MASK_BY_VALUE_MIN_LENGTH);
		values.sort((a, b) => b.length - a.length);
		let result = text;
		for (const value of values) result = result.split(value).join(MASK);
		return result;
	}
}

/** The names referenced in a text. */
export function referencedNames(text: string): string[] {
	return [...text.matchAll(SECRET_REFERENCE)].map((match) => match[1]);
}

/** The text with each reference replaced: by its value, or by the mask for output. */
export function substitute(text: string, value: (name: string) => string): string {
	return text.replace(SECRET_REFERENCE, (_, name: string) => value(name));
}
