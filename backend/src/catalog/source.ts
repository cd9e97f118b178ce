import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT_FILES } from './load';
import type { SourceLabel } from './plan';

/** A catalog folder on disk, wherever it came from, and how to tidy up after. */
export interface CatalogCheckout {
	/** undefined: the source has no catalog at all (a base from before the catalog existed) */
	dir: string | undefined;
	label: SourceLabel;
	/** the Git work tree and the catalog's folder inside it, when the catalog is in Git */
	git?: { top: string; prefix: string };
}

function git(cwd: string, args: string[], input?: Buffer): Buffer {
	try {
		return execFileSync('git', args, {
			cwd,
			input,
			stdio: ['pipe', 'pipe', 'pipe'],
			maxBuffer: 256 * 1024 * 1024,
		});
	} catch (error) {
		const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop();
		throw new Error(`git ${args[0]} failed: ${stderr || (error as Error).message}`);
	}
}

const isDir = (candidate: string) => existsSync(candidate) && statSync(candidate).isDirectory();
/** a bare repository given without #ref is a Git URL, not a folder holding a catalog */
const isBareRepository = (dir: string) =>
	existsSync(path.join(dir, 'HEAD')) && isDir(path.join(dir, 'objects')) && isDir(path.join(dir, 'refs'));

/** Temp folders made while resolving sources; removed by `cleanup`. */
export class Checkouts {
	private readonly dirs: string[] = [];

	temp(prefix: string): string {
		const dir = mkdtempSync(path.join(os.tmpdir(), `homelab-${prefix}-`));
		this.dirs.push(dir);
		return dir;
	}

	cleanup(): void {
		for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
	}

	/** --catalog: a folder (default: the current one) or GIT_URL#ref[:folder] (cloned) */
	catalog(spec: string | undefined): CatalogCheckout {
		const given = spec ?? '.';
		if (isDir(given) && !isBareRepository(given)) {
			const dir = path.resolve(given);
			return { dir, label: { label: given, ...gitInfo(dir) }, git: workTree(dir) };
		}
		// GIT_URL#ref[:folder] (a ref cannot contain ":", so the folder inside the repository follows it)
		const hash = given.lastIndexOf('#');
		const url = hash > 0 ? given.slice(0, hash) : given;
		const [ref, folder = ''] = (hash > 0 ? given.slice(hash + 1) : 'HEAD').split(':', 2);
		const prefix = folder.replace(/^\/+|\/+$/g, '');
		if (
			!/^[\w./@:~-]+$/.test(url) ||
			!/^[\w./@^~-]+$/.test(ref) ||
			ref.startsWith('-') ||
			!/^[\w./-]*$/.test(prefix) ||
			prefix.split('/').includes('..')
		)
			throw new Error(`--catalog ${given} is neither a folder nor GIT_URL#ref[:folder]`);
		const top = this.temp('catalog');
		git(top, ['clone', '--quiet', '--no-checkout', '--', url, top]);
		const commit = resolveRef(top, ref);
		git(top, ['checkout', '--quiet', '--detach', commit]);
		return {
			dir: path.join(top, prefix),
			label: { label: given, commit },
			git: { top, prefix: prefix ? `${prefix}/` : '' },
		};
	}

	/** --base: a folder, or a ref of the catalog's Git repository (its catalog folder at that commit) */
	base(spec: string, current: CatalogCheckout): CatalogCheckout {
		if (isDir(spec))
			return { dir: path.resolve(spec), label: { label: spec, ...gitInfo(path.resolve(spec)) } };
		if (!current.git)
			throw new Error(
				`--base ${spec} is not a folder, and the catalog is not in a Git repository to find it as a ref`,
			);
		if (!/^[\w./@^~-]+$/.test(spec) || spec.startsWith('-'))
			throw new Error(`--base ${spec} is not a Git ref`);
		const commit = resolveRef(current.git.top, spec);
		const prefix = current.git.prefix;
		const hasCatalog = ROOT_FILES.some((name) => {
			try {
				git(current.git!.top, ['cat-file', '-e', `${commit}:${prefix}${name}`]);
				return true;
			} catch {
				return false;
			}
		});
		if (!hasCatalog) return { dir: undefined, label: { label: spec, commit } };
		const dir = this.temp('base');
		const archive = git(current.git.top, ['archive', '--format=tar', commit, ...(prefix ? [prefix] : [])]);
		execFileSync('tar', ['-x', '-C', dir], { input: archive });
		return { dir: path.join(dir, prefix), label: { label: spec, commit } };
	}
}

function resolveRef(top: string, ref: string): string {
	for (const candidate of [ref, `origin/${ref}`])
		try {
			return git(top, ['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`])
				.toString()
				.trim();
		} catch {
			// try the next form
		}
	throw new Error(`"${ref}" is not a branch, tag or commit of the catalog's repository`);
}

/** the Git work tree a folder is in, and the folder's path inside it ("" at the top, else ending in "/") */
function workTree(dir: string): CatalogCheckout['git'] {
	try {
		const top = git(dir, ['rev-parse', '--show-toplevel']).toString().trim();
		const prefix = git(dir, ['rev-parse', '--show-prefix']).toString().trim();
		return { top, prefix };
	} catch {
		return undefined;
	}
}

function gitInfo(dir: string): { commit?: string } {
	try {
		return { commit: git(dir, ['rev-parse', 'HEAD']).toString().trim() };
	} catch {
		return {};
	}
}
