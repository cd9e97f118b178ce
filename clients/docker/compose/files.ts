import path from 'node:path';

import { ComposeError } from './errors';
import { parseDotEnv } from './dotenv';
import { parseCompose, type ComposeProject, type ParseOptions } from './model';

/**
 * Reads one file for a compose project: its text, or `undefined` when there is no such file. The caller decides
 * which files may be read at all (the n8n node passes one that honours n8n's file-access rules and refuses
 * /proc, /sys and /dev) and throws its own error for a refused path; this module never touches the disk itself.
 */
export type ComposeFileReader = (absolutePath: string) => Promise<string | undefined>;

export interface ComposeFileOptions extends Omit<ParseOptions, 'readFile' | 'source'> {
	/** absolute path of the compose file */
	composePath: string;
	readFile: ComposeFileReader;
	/** variables that override the `.env` beside the compose file (the `.env` fills in the rest) */
	overrides?: Record<string, string>;
}

/** What a compose file on disk becomes: the project, and the folder its relative paths resolve against. */
export interface LoadedComposeFile {
	project: ComposeProject;
	configFile: string;
	workingDir: string;
}

/** Loads a compose file, the `.env` beside it and every `env_file:` it names, each through `readFile`. */
export async function loadComposeFile(options: ComposeFileOptions): Promise<LoadedComposeFile> {
	const { composePath, readFile, overrides, ...parse } = options;
	if (!path.isAbsolute(composePath))
		throw new ComposeError(
			`"${composePath}" is not an absolute path`,
			'Give the full path of the compose file, e.g. /opt/stacks/media/compose.yaml',
		);
	const yaml = await readFile(composePath);
	if (yaml === undefined)
		throw new ComposeError(
			`The compose file "${composePath}" does not exist`,
			'Check the path; it is read on the machine n8n runs on (for n8n in Docker, mount the folder into its container)',
		);
	const workingDir = parse.workingDir?.trim() || path.dirname(composePath);
	const dotEnv = await readFile(path.join(path.dirname(composePath), '.env'));
	const variables = { ...(dotEnv === undefined ? {} : parseDotEnv(dotEnv)), ...overrides };
	const project = await parseComposeReading(yaml, readFile, {
		...parse,
		variables,
		workingDir,
		source: composePath,
	});
	return { project, configFile: composePath, workingDir };
}

/**
 * parseCompose with every `env_file:` read through `readFile`. The env files are found by a first parse (their
 * contents only fill containers' environments, never the file's own interpolation, so that parse sees the same
 * paths), read, then the YAML is parsed again with their text.
 */
export async function parseComposeReading(
	yaml: string,
	readFile: ComposeFileReader,
	options: Omit<ParseOptions, 'readFile'>,
): Promise<ComposeProject> {
	const wanted = new Set<string>();
	parseCompose(yaml, {
		...options,
		readFile: (file) => {
			wanted.add(file);
			return '';
		},
	});
	const envFiles = new Map<string, string>();
	for (const file of wanted) {
		const text = await readFile(file);
		if (text === undefined)
			throw new ComposeError(
				`The env_file "${file}" of ${options.source ?? 'the compose file'} does not exist`,
				'Create it, or remove it from env_file:',
			);
		envFiles.set(file, text);
	}
	return parseCompose(yaml, { ...options, readFile: (file) => envFiles.get(file) ?? '' });
}
