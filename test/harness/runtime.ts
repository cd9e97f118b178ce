import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface Runtime {
	/** Directory holding the Node 24 `node` binary n8n runs on. */
	node24Bin: string;
	/** The pinned n8n's executable script. */
	n8nBin: string;
	/** Node headers dir for native builds against Node 24. */
	nodeDir: string;
}

let cached: Runtime | undefined;

/** Paths of Node 24 and n8n, installing them into the cache on first use (scripts/ensure-runtime.sh). */
export function runtime(): Runtime {
	if (cached) return cached;
	const { HOMELAB_NODE24_BIN, HOMELAB_N8N_BIN, npm_config_nodedir } = process.env;
	if (HOMELAB_NODE24_BIN && HOMELAB_N8N_BIN && npm_config_nodedir) {
		cached = { node24Bin: HOMELAB_NODE24_BIN, n8nBin: HOMELAB_N8N_BIN, nodeDir: npm_config_nodedir };
		return cached;
	}
	const printed = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/ensure-runtime.sh'), '--print-env'], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const value = (name: string) => {
		const match = new RegExp(`export ${name}='([^']*)'`).exec(printed);
		if (!match) throw new Error(`ensure-runtime.sh did not print ${name}`);
		return match[1];
	};
	cached = {
		node24Bin: value('HOMELAB_NODE24_BIN'),
		n8nBin: value('HOMELAB_N8N_BIN'),
		nodeDir: value('npm_config_nodedir'),
	};
	return cached;
}
