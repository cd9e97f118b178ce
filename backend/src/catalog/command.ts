import { loadCatalog } from './load';
import type { Catalog } from './model';
import { planLive } from './online';
import { planOffline, withLive } from './plan';
import { CatalogInvalidError, formatProblem } from './problems';
import { renderJson, renderMarkdown, renderText } from './render';
import { Checkouts } from './source';
import { suggestion } from './suggest';

export interface CommandIo {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	env: Record<string, string | undefined>;
}

/** Exit codes of `homelab plan`, as `terraform plan -detailed-exitcode`. */
export const EXIT = { unchanged: 0, error: 1, changes: 2 } as const;

const FLAGS = ['--offline', '--json', '--markdown'];
const VALUED = ['--catalog', '--base', '--secrets'];

export const PLAN_USAGE =
	'homelab plan [--offline] [--catalog DIR|GIT_URL#ref[:folder]] [--base DIR|ref] [--secrets FILE] [--json|--markdown]';

function parse(args: string[]): { flags: Set<string>; values: Map<string, string> } {
	const flags = new Set<string>();
	const values = new Map<string, string>();
	for (let index = 0; index < args.length; index++) {
		const arg = args[index];
		if (FLAGS.includes(arg)) flags.add(arg);
		else if (VALUED.includes(arg)) {
			const value = args[++index];
			if (value === undefined || value.startsWith('--'))
				throw new Error(`${arg} needs a value. Usage: ${PLAN_USAGE}`);
			values.set(arg, value);
		} else throw new Error(`unknown option ${arg}. ${suggestion(arg, [...FLAGS, ...VALUED], 'options')}`);
	}
	if (flags.has('--json') && flags.has('--markdown')) throw new Error('give --json or --markdown, not both');
	return { flags, values };
}

/**
 * `homelab plan`: returns the exit code; output goes through io (secrets masked by value as a last guard).
 * --offline compares the catalog with --base only; without it the containers are also compared with the Docker
 * hosts (read-only).
 */
export async function planCommand(
	args: string[],
	io: CommandIo,
	connect?: Parameters<typeof planLive>[1],
): Promise<number> {
	let catalog: Catalog | undefined;
	const checkouts = new Checkouts();
	const mask = (text: string) => (catalog ? catalog.secrets.mask(text) : text);
	try {
		const { flags, values } = parse(args);
		const secretsFile = values.get('--secrets') ?? io.env.HOMELAB_SECRETS_FILE;
		const current = checkouts.catalog(values.get('--catalog'));
		catalog = loadCatalog(current.dir!, { secretsFile, env: io.env });
		const baseSpec = values.get('--base');
		const base = baseSpec ? checkouts.base(baseSpec, current) : undefined;
		let baseCatalog: Catalog | undefined;
		if (base?.dir)
			try {
				// the base is only compared: its secrets may be gone, its rendering masks them anyway
				baseCatalog = loadCatalog(base.dir, { secretsFile, env: io.env, requireSecrets: false });
			} catch (error) {
				if (error instanceof CatalogInvalidError)
					throw new Error(
						`the base ${baseSpec} does not load, so there is nothing sound to compare with:\n${error.message}`,
					);
				throw error;
			}
		const online = !flags.has('--offline');
		// online without --base: the live engines are the base, so the catalog part is compared with itself
		const offlinePlan = planOffline(catalog, online && !base ? catalog : baseCatalog, {
			catalog: current.label,
			base: base?.label ?? null,
		});
		const plan = online ? withLive(offlinePlan, await planLive(catalog, connect)) : offlinePlan;
		const render = flags.has('--json') ? renderJson : flags.has('--markdown') ? renderMarkdown : renderText;
		io.stdout(mask(render(plan)));
		if (plan.incomplete) return EXIT.error;
		return plan.hasChanges ? EXIT.changes : EXIT.unchanged;
	} catch (error) {
		if (error instanceof CatalogInvalidError)
			io.stderr(
				mask(
					`homelab plan: the catalog is invalid, nothing was planned:\n${error.problems.map(formatProblem).join('\n')}\n`,
				),
			);
		else io.stderr(mask(`homelab plan: ${(error as Error).message}\n`));
		return EXIT.error;
	} finally {
		checkouts.cleanup();
	}
}
