import { stat } from 'node:fs/promises';
import path from 'node:path';

import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ComposeFileReader } from '../../../../clients/docker';
import { describeError, errorCode } from '../../../../shared/errors';

/** Kernel and device trees: never a compose or env file, and /proc/self/environ holds n8n's own secrets. */
const SYSTEM_TREES = ['/proc', '/sys', '/dev'];
/** Compose and env files are small; a bigger one is a mistake (or a device) and is not read into memory. */
const MAX_BYTES = 1024 * 1024;

const inSystemTree = (file: string) =>
	SYSTEM_TREES.some((tree) => file === tree || file.startsWith(`${tree}/`));

/**
 * Reads compose files on the n8n machine under n8n's own file-access rules, as its Read/Write Files node does:
 * the path is resolved (symlinks followed), refused when n8n refuses it (N8N_RESTRICT_FILE_ACCESS_TO, by default
 * ~/.n8n-files in n8n 2.x; n8n's own folders; N8N_BLOCK_FILE_PATTERNS) or when it lies in /proc, /sys or /dev,
 * and opened through n8n's createReadStream (no symlinked folders on the way). A missing file is `undefined`.
 */
export function n8nFileReader(ctx: IExecuteFunctions, itemIndex: number): ComposeFileReader {
	const refuse = (file: string, why: string) =>
		new NodeOperationError(ctx.getNode(), `The file "${file}" may not be read: ${why}`, {
			itemIndex,
			description:
				'Keep the compose file, its .env and its env files in a folder n8n may read: one listed in N8N_RESTRICT_FILE_ACCESS_TO (n8n 2.x default: ~/.n8n-files of the user n8n runs as), not inside n8n’s own folder',
		});
	const unreadable = (file: string, error: unknown) =>
		new NodeOperationError(ctx.getNode(), `The file "${file}" cannot be read: ${describeError(error)}`, {
			itemIndex,
			description:
				'The path is read on the machine n8n runs on; for n8n in Docker, mount the folder into its container',
		});
	return async (file) => {
		if (inSystemTree(path.resolve(file))) throw refuse(file, 'it is in a system folder (/proc, /sys, /dev)');
		let resolved: Awaited<ReturnType<IExecuteFunctions['helpers']['resolvePath']>>;
		try {
			resolved = await ctx.helpers.resolvePath(file);
		} catch (error) {
			if (errorCode(error) === 'ENOENT') return undefined;
			throw unreadable(file, error);
		}
		if (inSystemTree(resolved)) throw refuse(file, `it leads to ${resolved}, a system folder`);
		if (ctx.helpers.isFilePathBlocked(resolved))
			throw refuse(file, 'n8n’s file-access settings do not allow this path');
		try {
			const info = await stat(resolved);
			// a FIFO or device would block or never end: only regular files are compose material
			if (!info.isFile()) throw refuse(file, 'it is not a regular file');
			if (info.size > MAX_BYTES) throw refuse(file, `it is larger than ${MAX_BYTES} bytes`);
			const chunks: Buffer[] = [];
			let size = 0;
			for await (const chunk of await ctx.helpers.createReadStream(resolved)) {
				size += (chunk as Buffer).length;
				if (size > MAX_BYTES) throw refuse(file, `it is larger than ${MAX_BYTES} bytes`);
				chunks.push(chunk as Buffer);
			}
			return Buffer.concat(chunks).toString('utf8');
		} catch (error) {
			if (errorCode(error) === 'ENOENT') return undefined;
			// a refusal above, or n8n's own ("Access to the file is not allowed." for a symlinked folder)
			throw error instanceof NodeOperationError ? error : unreadable(file, error);
		}
	};
}
