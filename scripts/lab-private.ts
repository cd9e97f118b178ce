// What keeps the lab private: its folder readable by this user only, and n8n's encryption key.
// The key: the lab passes no N8N_ENCRYPTION_KEY: on first start n8n draws a random key
// into <user folder>/.n8n/config, writes it 0600 (N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS stays on, so n8n also
// refuses a config others can read) and reuses it on every later start, so saved credentials keep decrypting.
// Labs made before ran with a key published in this repository: the lab refuses them with what to do.
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The key every lab used before it got its own; anyone who reads this repository knows it. */
export const PUBLIC_LAB_KEY = 'homelab-test-encryption-key';

/** Every path under `dir`, without descending into symlinks (the pack in n8n's folder links to the repository). */
export function entriesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		return entry.isDirectory() ? [file, ...entriesUnder(file)] : [file];
	});
}

/**
 * The lab folder holds n8n's key and database, the backend's database and the logins: only this user may read
 * it. The umask covers what the lab, n8n and the backend create (databases, WAL files, logs); the chmods cover
 * labs made before, when everything in them was world-readable. Symlinks are left alone.
 */
export function makeLabFolderPrivate(labDir: string): void {
	process.umask(0o077);
	mkdirSync(labDir, { recursive: true, mode: 0o700 });
	chmodSync(labDir, 0o700);
	for (const file of entriesUnder(labDir)) {
		const stat = lstatSync(file);
		if (!stat.isSymbolicLink() && (stat.mode & 0o077) !== 0) chmodSync(file, stat.mode & 0o700);
	}
}

export function n8nSettingsFile(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'config');
}

/**
 * A lab made before it had its own key runs on the public one, so its saved credentials are readable by anyone
 * who can read its folder. n8n 2.x also wraps its deployment keys (signing, data encryption) with that key, so
 * swapping it in place is not safe: refuse to start and say what to do, before anything is changed.
 */
export function refusePublicLabKey(userFolder: string, labDir: string): void {
	const settingsFile = n8nSettingsFile(userFolder);
	if (!existsSync(settingsFile)) return;
	const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as { encryptionKey?: unknown };
	if (settings.encryptionKey !== PUBLIC_LAB_KEY) return;
	throw new Error(
		`${labDir} was created with the public n8n encryption key "${PUBLIC_LAB_KEY}", so the credentials saved ` +
			`in it are not protected. Export what you want to keep (workflows from the editor), move the lab aside ` +
			`(mv ${labDir} ${labDir}.public-key) and start the lab again: it gets a random key of its own; then ` +
			`enter the credentials again.`,
	);
}
